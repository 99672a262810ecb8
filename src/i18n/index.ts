import { en, type MessageKey } from './en.ts';
import { zhCN } from './zh-CN.ts';

export type { MessageKey };
export type Vars = Record<string, string | number>;
export const LOCALES = ['en-US', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

/** A message, or its plural forms chosen by Intl.PluralRules on the {count} variable. */
export type Message = string | ({ other: string } & Partial<Record<Intl.LDMLPluralRule, string>>);

export const CATALOGS: Record<Locale, Record<MessageKey, Message>> = { 'en-US': en, 'zh-CN': zhCN };

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** Discord locales zh-CN and zh-TW read Chinese; everything else reads English. */
export function localeOf(discordLocale: string | undefined): Locale {
  return discordLocale?.startsWith('zh') ? 'zh-CN' : 'en-US';
}

const plurals = new Map<Locale, Intl.PluralRules>();
function pluralForm(locale: Locale, message: Message, count: unknown): string {
  if (typeof message === 'string') return message;
  let rules = plurals.get(locale);
  if (!rules) plurals.set(locale, (rules = new Intl.PluralRules(locale)));
  return message[rules.select(Number(count ?? 0))] ?? message.other;
}

export function translate(locale: Locale, key: MessageKey, vars: Vars = {}): string {
  const template = pluralForm(locale, CATALOGS[locale][key] ?? en[key], vars.count);
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** Both languages of a key, for slash-command descriptions and choice names. */
export function both(key: MessageKey): { en: string; zh: string } {
  return { en: translate('en-US', key), zh: translate('zh-CN', key) };
}

/** Whether Intl knows the time zone (an IANA name such as Asia/Shanghai). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: Locale, timeZone: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(opts)}`;
  let f = dateFormats.get(key);
  if (!f) dateFormats.set(key, (f = new Intl.DateTimeFormat(locale, { timeZone, ...opts })));
  return f;
}

/** A stored ISO time as the reader reads it: their language, the server's time zone. */
export function formatTime(iso: string, locale: Locale, timeZone: string = DEFAULT_TIME_ZONE): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return dateFormat(locale, timeZone, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(d).replace(',', '');
}

/** The zone's offset as people write it, e.g. "GMT+8". */
export function zoneLabel(timeZone: string = DEFAULT_TIME_ZONE, at = new Date()): string {
  return dateFormat('en-US', timeZone, { timeZoneName: 'shortOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

/** Joins a list the way the language does: "a, b" / "a、b". */
export function joinList(items: readonly string[], locale: Locale): string {
  return items.join(locale === 'zh-CN' ? '、' : ', ');
}

/** The console's and command line's language: CONSOLE_LOCALE, else a Chinese LANG, else English. */
export function envLocale(env: Record<string, string | undefined>): Locale {
  if (env.CONSOLE_LOCALE === 'zh-CN' || env.CONSOLE_LOCALE === 'en-US') return env.CONSOLE_LOCALE;
  return (env.LANG ?? env.LC_ALL ?? '').startsWith('zh') ? 'zh-CN' : 'en-US';
}

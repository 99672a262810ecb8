import { en, type MessageKey } from './en.ts';
import { zhCN } from './zh-CN.ts';

export type { MessageKey };
export type Vars = Record<string, string | number>;
export const LOCALES = ['en-US', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

export const CATALOGS: Record<Locale, Record<MessageKey, string>> = { 'en-US': en, 'zh-CN': zhCN };

/** Discord locales zh-CN and zh-TW read Chinese; everything else reads English. */
export function localeOf(discordLocale: string | undefined): Locale {
  return discordLocale?.startsWith('zh') ? 'zh-CN' : 'en-US';
}

export function translate(locale: Locale, key: MessageKey, vars: Vars = {}): string {
  const template = CATALOGS[locale][key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** Both languages of a key, for slash-command descriptions and choice names. */
export function both(key: MessageKey): { en: string; zh: string } {
  return { en: en[key], zh: zhCN[key] };
}

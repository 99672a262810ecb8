import { describe, expect, it } from 'vitest';
import { CATALOGS, LOCALES, both, formatTime, localeOf, translate, type Message, type MessageKey } from '../../src/i18n/index.ts';

/** Every text of a message: the string, or each of its plural forms. */
const forms = (m: Message): string[] => (typeof m === 'string' ? [m] : Object.values(m));
const placeholders = (m: Message) => [...new Set(forms(m).flatMap((s) => [...s.matchAll(/\{(\w+)\}/g)].map((x) => x[1]!)))].sort();
const en = CATALOGS['en-US'];
const zh = CATALOGS['zh-CN'];

/** Keys whose {placeholders} differ between two catalogs (a key missing on one side counts). */
function mismatches(a: Record<string, Message>, b: Record<string, Message>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => a[k] === undefined || b[k] === undefined || JSON.stringify(placeholders(a[k])) !== JSON.stringify(placeholders(b[k]))).sort();
}

describe('catalogs', () => {
  it('en-US and zh-CN have the same keys', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    expect(LOCALES).toEqual(['en-US', 'zh-CN']);
  });

  it('every key has the same {placeholders} in both languages', () => {
    expect(mismatches(en, zh)).toEqual([]);
  });

  it('the check catches a renamed, dropped or extra placeholder and a missing key', () => {
    const k: MessageKey = 'error.needNotFound';
    expect(mismatches(en, { ...zh, [k]: String(zh[k]).replace('{id}', '{ident}') })).toEqual([k]);
    expect(mismatches(en, { ...zh, [k]: String(zh[k]).replace('{id}', '') })).toEqual([k]);
    expect(mismatches(en, { ...zh, 'cmd.help': zh['cmd.help'] + ' {extra}' })).toEqual(['cmd.help']);
    expect(mismatches(en, { ...zh, 'label.page': { other: '{page} {count}' } })).toEqual(['label.page']);
    const { [k]: _dropped, ...missing } = zh;
    expect(mismatches(en, missing)).toEqual([k]);
  });

  it('no message is empty, and the Chinese catalog is Chinese', () => {
    for (const locale of LOCALES) {
      for (const [k, v] of Object.entries(CATALOGS[locale])) for (const f of forms(v)) expect(f.trim(), `${locale} ${k}`).not.toBe('');
    }
    const han = Object.values(zh).filter((v) => forms(v).every((f) => /\p{Script=Han}/u.test(f))).length;
    expect(han / Object.keys(zh).length).toBeGreaterThan(0.9);
  });

});

describe('translate', () => {
  it('fills placeholders, and leaves unknown ones visible', () => {
    expect(translate('en-US', 'error.needNotFound', { id: 'N-0009' })).toContain('N-0009');
    expect(translate('zh-CN', 'error.needNotFound', { id: 'N-0009' })).toContain('N-0009');
    expect(translate('en-US', 'error.needNotFound')).toContain('{id}');
    expect(translate('en-US', 'stats.counts', { open: 3, closed: 0 })).toBe(String(en['stats.counts']).replace('{open}', '3').replace('{closed}', '0'));
  });
  it('chooses plural forms with Intl.PluralRules on {count}', () => {
    expect(translate('en-US', 'label.page', { page: 1, pages: 1, count: 1 })).toBe('Page 1/1 · 1 result');
    expect(translate('en-US', 'label.page', { page: 1, pages: 2, count: 7 })).toBe('Page 1/2 · 7 results');
    expect(translate('en-US', 'label.page', { page: 1, pages: 1, count: 0 })).toBe('Page 1/1 · 0 results');
    expect(translate('zh-CN', 'label.page', { page: 1, pages: 1, count: 1 })).toBe('第 1/1 页 · 共 1 条');
  });
  it('formats times in the configured time zone and language', () => {
    const at = '2026-03-01T23:30:00.000Z';
    expect(formatTime(at, 'zh-CN', 'Asia/Shanghai')).toBe('2026/03/02 07:30');
    expect(formatTime(at, 'en-US', 'Asia/Shanghai')).toBe('03/02/2026 07:30');
    expect(formatTime(at, 'en-US', 'UTC')).toBe('03/01/2026 23:30');
    expect(formatTime('not a date', 'en-US', 'UTC')).toBe('not a date');
  });
  it('maps Discord locales: zh-* reads Chinese, everything else English', () => {
    expect(localeOf('zh-CN')).toBe('zh-CN');
    expect(localeOf('zh-TW')).toBe('zh-CN');
    expect(localeOf('en-GB')).toBe('en-US');
    expect(localeOf('fr')).toBe('en-US');
    expect(localeOf(undefined)).toBe('en-US');
  });
  it('both() gives the two languages of a key', () => {
    expect(both('cmd.help')).toEqual({ en: en['cmd.help'], zh: zh['cmd.help'] });
    expect(both('label.page').en).toContain('results');
  });
});

import { describe, expect, it } from 'vitest';
import { CATALOGS, LOCALES, both, localeOf, translate, type MessageKey } from '../../src/i18n/index.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const en = CATALOGS['en-US'];
const zh = CATALOGS['zh-CN'];

/** Keys whose {placeholders} differ between two catalogs (a key missing on one side counts). */
function mismatches(a: Record<string, string>, b: Record<string, string>): string[] {
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
    expect(mismatches(en, { ...zh, [k]: zh[k].replace('{id}', '{ident}') })).toEqual([k]);
    expect(mismatches(en, { ...zh, [k]: zh[k].replace('{id}', '') })).toEqual([k]);
    expect(mismatches(en, { ...zh, 'cmd.help': zh['cmd.help'] + ' {extra}' })).toEqual(['cmd.help']);
    const { [k]: _dropped, ...missing } = zh;
    expect(mismatches(en, missing)).toEqual([k]);
  });

  it('no message is empty, and the Chinese catalog is Chinese', () => {
    for (const locale of LOCALES) {
      for (const [k, v] of Object.entries(CATALOGS[locale])) expect(v.trim(), `${locale} ${k}`).not.toBe('');
    }
    const han = Object.values(zh).filter((v) => /\p{Script=Han}/u.test(v)).length;
    expect(han / Object.keys(zh).length).toBeGreaterThan(0.9);
  });

});

describe('translate', () => {
  it('fills placeholders, and leaves unknown ones visible', () => {
    expect(translate('en-US', 'error.needNotFound', { id: 'N-0009' })).toContain('N-0009');
    expect(translate('zh-CN', 'error.needNotFound', { id: 'N-0009' })).toContain('N-0009');
    expect(translate('en-US', 'error.needNotFound')).toContain('{id}');
    expect(translate('en-US', 'stats.counts', { open: 3, closed: 0 })).toBe(en['stats.counts'].replace('{open}', '3').replace('{closed}', '0'));
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
  });
});

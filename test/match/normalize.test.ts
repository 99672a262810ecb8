import { describe, expect, it } from 'vitest';
import { cjkRuns, isCJK, latinTokens, normalize, stem, STOPWORDS } from '../../src/match/normalize.ts';

describe('normalize', () => {
  it('turns full-width letters, digits and spaces into half-width (NFKC) and folds case', () => {
    expect(normalize('ＰＥＭＦＣ　燃料电池')).toBe('pemfc 燃料电池');
    expect(normalize('１１０ｋＶ　ＧＩＳ')).toBe('110kv gis');
    expect(normalize('Metal-Organic Frameworks')).toBe('metal-organic frameworks');
  });

  it('leaves Chinese characters and plain lower-case ASCII alone', () => {
    const s = '金属有机框架 mof adsorption';
    expect(normalize(s)).toBe(s);
    // Failure case: NFKC does not fold look-alike Chinese punctuation into ASCII letters.
    expect(normalize('燃料电池，电堆')).not.toMatch(/[a-z]/);
  });

  it('unifies the dash family into "-"', () => {
    for (const dash of ['‐', '‑', '‒', '–', '—', '―', '−', '﹣', '－']) {
      expect(normalize(`metal${dash}organic`), `U+${dash.codePointAt(0)!.toString(16)}`).toBe('metal-organic');
    }
    // Not every symbol is a dash: a tilde or an underscore stays what it is.
    expect(normalize('a~b_c')).toBe('a~b_c');
  });

  it('collapses runs of whitespace (tabs, newlines, ideographic spaces) into one space', () => {
    expect(normalize('fuel\t\tcell\n\nstack　　test')).toBe('fuel cell stack test');
    expect(normalize('fuel cell')).toBe('fuel cell');
  });
});

describe('isCJK', () => {
  it('tells Han characters from Latin, digits and Chinese punctuation', () => {
    expect(isCJK('燃')).toBe(true);
    expect(isCJK('㐀')).toBe(true); // extension A
    expect(isCJK('a')).toBe(false);
    expect(isCJK('1')).toBe(false);
    expect(isCJK('，')).toBe(false);
    expect(isCJK('。')).toBe(false);
  });
});

describe('stem', () => {
  it('strips plurals', () => {
    expect(stem('frameworks')).toBe('framework');
    expect(stem('batteries')).toBe('battery');
    expect(stem('classes')).toBe('class');
    expect(stem('branches')).toBe('branch');
    expect(stem('boxes')).toBe('box');
    expect(stem('cells')).toBe('cell');
  });

  it('strips -ing and -ed', () => {
    expect(stem('coating')).toBe('coat');
    expect(stem('processing')).toBe('process');
    expect(stem('coated')).toBe('coat');
    expect(stem('welded')).toBe('weld');
  });

  it('makes singular and plural, verb and gerund meet', () => {
    expect(stem('membranes')).toBe(stem('membrane'));
    expect(stem('sensors')).toBe(stem('sensor'));
    expect(stem('welding')).toBe(stem('welded'));
  });

  it('leaves short words, numbers, -ss/-us/-is/-eed words alone', () => {
    for (const w of ['gas', 'pcb', 'mof', 'glass', 'status', 'analysis', 'speed', 'used', 'sing', '110kv', '5g', '0.4', 'r2s']) {
      expect(stem(w), w).toBe(w);
    }
  });

  it('is idempotent on its own output for ordinary words', () => {
    for (const w of ['frameworks', 'batteries', 'coating', 'welded', 'cells']) expect(stem(stem(w))).toBe(stem(w));
  });

  it('STOPWORDS hold stems, so inflected stop words are stop words too', () => {
    expect(STOPWORDS.has(stem('services'))).toBe(true);
    expect(STOPWORDS.has(stem('laboratory'))).toBe(true);
    expect(STOPWORDS.has(stem('membrane'))).toBe(false);
  });
});

describe('latinTokens', () => {
  it('splits on hyphens and gives offsets into the normalized text', () => {
    const text = normalize('Metal-Organic Frameworks 燃料电池 PEMFC');
    const toks = latinTokens(text);
    expect(toks.map((t) => t.text)).toEqual(['metal', 'organic', 'frameworks', 'pemfc']);
    expect(toks.map((t) => t.stem)).toEqual(['metal', 'organic', 'framework', 'pemfc']);
    for (const t of toks) expect(text.slice(t.start, t.end)).toBe(t.text);
    expect(toks[0]).toMatchObject({ start: 0, end: 5 });
    expect(toks[3]!.start).toBe(text.indexOf('pemfc'));
  });

  it('keeps decimals whole and does not stem numbers', () => {
    const toks = latinTokens('0.4 mm pitch, 110kv, 40.5 kv');
    expect(toks.map((t) => t.text)).toEqual(['0.4', 'mm', 'pitch', '110kv', '40.5', 'kv']);
    expect(toks.find((t) => t.text === '110kv')!.stem).toBe('110kv');
  });

  it('reads a version glued to a name as the name and the number (wifi6 as "wi-fi 6" reads), and leaves short names and codes whole', () => {
    const text = normalize('WiFi6模组, USB3 hub, co2, ip68, 110kv, ul94, lifepo4');
    const toks = latinTokens(text);
    expect(toks.map((t) => t.text)).toEqual(['wifi', '6', 'usb', '3', 'hub', 'co2', 'ip68', '110kv', 'ul94', 'lifepo', '4']);
    for (const t of toks) expect(text.slice(t.start, t.end)).toBe(t.text);
  });

  it('finds nothing in Chinese-only or punctuation-only text', () => {
    expect(latinTokens('燃料电池电堆')).toEqual([]);
    expect(latinTokens('!!! ??')).toEqual([]);
    expect(latinTokens('')).toEqual([]);
  });

  it('expects normalized input: upper-case letters are not tokens', () => {
    // The contract: callers normalize first. Raw upper case yields nothing.
    expect(latinTokens('PEMFC')).toEqual([]);
    expect(latinTokens(normalize('PEMFC')).map((t) => t.text)).toEqual(['pemfc']);
  });
});

describe('cjkRuns', () => {
  it('returns each run of Han characters with its start offset', () => {
    const text = normalize('PEM燃料电池 stack 质子交换膜！微藻');
    const runs = cjkRuns(text);
    expect(runs.map((r) => r.run)).toEqual(['燃料电池', '质子交换膜', '微藻']);
    for (const r of runs) expect(text.slice(r.start, r.start + r.run.length)).toBe(r.run);
    expect(runs[0]!.start).toBe(3);
  });

  it('splits runs at Chinese punctuation and returns [] for text without Han characters', () => {
    expect(cjkRuns('燃料电池，电堆').map((r) => r.run)).toEqual(['燃料电池', '电堆']);
    expect(cjkRuns('fuel cell stack')).toEqual([]);
    expect(cjkRuns('')).toEqual([]);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { correct, type Known } from '../../src/match/correct.ts';
import { defaultGlossary, featureOf, type Glossary } from '../../src/match/glossary.ts';

let g: Glossary;
beforeAll(() => {
  g = defaultGlossary();
});

const knows = (...features: string[]): Known => (f) => features.includes(f);
const LIPID = featureOf('lipid-extraction');

describe('correct: Chinese', () => {
  it('fixes 油脂题取 → 油脂提取 when the target knows lipid extraction', () => {
    const r = correct('微藻油脂题取效率低', g, knows(LIPID));
    expect(r.corrections).toEqual([{ from: '油脂题取', to: '油脂提取' }]);
    expect(r.text).toBe('微藻油脂提取效率低');
  });

  it('fixes homophone typos in other terms, every occurrence (光福 → 光伏, 抗题 → 抗体)', () => {
    const pv = g.conceptOfForm('光伏组件')!;
    const r = correct('光福组件隐裂检测，光福组件功率衰减', g, knows(featureOf(pv)));
    // (Each occurrence is reported: the list may repeat a correction; explain() de-duplicates.)
    expect([...new Set(r.corrections.map((c) => `${c.from}→${c.to}`))]).toEqual(['光福组件→光伏组件']);
    expect(r.text).toBe('光伏组件隐裂检测,光伏组件功率衰减'); // NFKC: the full-width comma too
    const mab = g.conceptOfForm('单克隆抗体')!;
    expect(correct('单克隆抗题纯化收率偏低', g, knows(featureOf(mab))).text).toContain('单克隆抗体纯化');
  });

  it('光福组件 → 光伏组件 when the directory knows only the family (photovoltaic), not the module itself', () => {
    const r = correct('光福组件隐裂', g, knows(featureOf('photovoltaic')));
    expect(r.corrections).toEqual([{ from: '光福组件', to: '光伏组件' }]);
    expect(correct('光福组件隐裂', g, knows(featureOf('fuel-cell'))).corrections).toEqual([]);
  });

  it('does not rewrite a correctly written longer term that contains a near-miss window', () => {
    const all: Known = (f) => f.startsWith('c:') || f.startsWith('l:');
    // 膜燃料电池 is one character from 氢燃料电池, but 质子交换膜燃料电池 is a term of its own.
    expect(correct('质子交换膜燃料电池电堆', g, all).corrections).toEqual([]);
    expect(correct('固体氧化物燃料电池电堆', g, all).corrections).toEqual([]);
    expect(correct('质子交换膜燃料电池电堆', g, knows(featureOf('fuel-cell'))).text).toBe('质子交换膜燃料电池电堆');
  });

  it('金属注射成形 (a glossary term) is not rewritten to 金属注射成型', () => {
    const moulding = g.conceptOfForm('注射成型')!;
    expect(correct('金属注射成形零件烧结变形', g, knows(featureOf(moulding))).corrections).toEqual([]);
  });

  it('leaves the text alone when the target does not know the concept: a correction must lead somewhere', () => {
    expect(correct('微藻油脂题取效率低', g, () => false)).toEqual({ text: '微藻油脂题取效率低', corrections: [] });
    expect(correct('微藻油脂题取效率低', g, knows(featureOf('fuel-cell'))).corrections).toEqual([]);
  });

  it('does not "correct" a real word: the original bigram is known to the target', () => {
    expect(correct('微藻油脂题取效率低', g, knows(LIPID, 'b:题取')).corrections).toEqual([]);
    expect(correct('微藻油脂题取效率低', g, knows(LIPID, 'b:脂题')).corrections).toEqual([]);
  });

  it('does not touch a correctly written term', () => {
    expect(correct('微藻油脂提取效率低', g, knows(LIPID))).toEqual({ text: '微藻油脂提取效率低', corrections: [] });
  });

  it('does not correct runs shorter than four characters', () => {
    expect(correct('题取', g, () => true).corrections).toEqual([]);
  });
});

describe('correct: English', () => {
  it("fixes 'fuell cell' → fuel when the target knows w:fuel", () => {
    const r = correct('fuell cell stack', g, knows('w:fuel'));
    expect(r.corrections).toEqual([{ from: 'fuell', to: 'fuel' }]);
    expect(r.text).toBe('fuel cell stack');
  });

  it('fixes regardless of case, and other glossary words (corrossion → corrosion)', () => {
    expect(correct('Fuell cell', g, knows('w:fuel')).corrections).toEqual([{ from: 'fuell', to: 'fuel' }]);
    expect(correct('Corrossion of brackets', g, knows('w:corrosion')).corrections).toEqual([{ from: 'corrossion', to: 'corrosion' }]);
  });

  it('a real English word is no typo: parks is not read as parts, drives not as driven', () => {
    const r = correct('parks and drives near the substation', g, knows('w:part', 'w:driven'));
    expect(r.corrections).toEqual([]);
    expect(r.text).toBe('parks and drives near the substation');
  });

  it('leaves a word alone when the target does not know the fix', () => {
    expect(correct('fuell cell stack', g, () => false).corrections).toEqual([]);
  });

  it('leaves a word alone that the target or the directory knows (a name, not a typo)', () => {
    expect(correct('fuell cell stack', g, knows('w:fuel', 'w:fuell')).corrections).toEqual([]);
    expect(correct('fuell cell stack', g, knows('w:fuel'), knows('w:fuell')).corrections).toEqual([]);
  });

  it('leaves an unknown word with no close glossary word alone', () => {
    expect(correct('qwertyzx widget', g, () => true)).toEqual({ text: 'qwertyzx widget', corrections: [] });
  });

  it('skips short words, words with digits and glossary words themselves', () => {
    expect(correct('fuel cel', g, () => true).corrections).toEqual([]); // "cel": under 5 letters
    expect(correct('fuell2 x', g, knows('w:fuel')).corrections).toEqual([]);
    expect(correct('corrosion', g, knows('w:corrosion')).corrections).toEqual([]);
  });
});

describe('correct: both', () => {
  it('fixes Chinese and English typos in one text, with the corrected text normalized (NFKC)', () => {
    const r = correct('Fuell cell 油脂题取　ｔｅｓｔ', g, knows('w:fuel', LIPID));
    expect(r.corrections).toEqual([{ from: '油脂题取', to: '油脂提取' }, { from: 'fuell', to: 'fuel' }]);
    expect(r.text).toBe('fuel cell 油脂提取 test');
  });

  it('returns empty text unchanged', () => {
    expect(correct('', g, () => true)).toEqual({ text: '', corrections: [] });
  });
});

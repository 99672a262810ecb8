import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/match/analyze.ts';
import { defaultGlossary, LEXICON_PREFIX } from '../../src/match/glossary.ts';

// The query-side option `spanned` (engine option queryBigrams, measured and not adopted: docs/figures-history.md, *Query bigrams inside a concept*).
const a = { glossary: defaultGlossary(), segment: () => [] };
const bigrams = (f: Map<string, number>) => [...f.keys()].filter((k) => k.startsWith('b:')).map((k) => k.slice(2));
const text = '质子交换膜燃料电池的寿命短';

describe('analyze: query bigrams inside a concept span', () => {
  it('by default every bigram is a feature', () => {
    const got = bigrams(analyze(a, [{ text, weight: 1 }]).features);
    expect(got).toEqual(expect.arrayContaining(['质子', '燃料', '电池', '池的', '寿命', '命短']));
  });

  it('with `spanned`, the bigrams wholly inside a recognised concept go, the ones across its edge or outside stay, and the concept stays', () => {
    const q = analyze(a, [{ text, weight: 1 }], { spanned: (c) => !c.startsWith(LEXICON_PREFIX) });
    const got = bigrams(q.features);
    expect(got).not.toContain('质子');
    expect(got).not.toContain('电池');
    expect(got).toEqual(expect.arrayContaining(['池的', '的寿', '寿命', '命短']));
    expect([...q.features.keys()].some((k) => k.startsWith('c:'))).toBe(true);
  });

  it('a `spanned` that accepts no concept leaves the bigrams as they were', () => {
    const all = analyze(a, [{ text, weight: 1 }]).features;
    const none = analyze(a, [{ text, weight: 1 }], { spanned: () => false }).features;
    expect([...none]).toEqual([...all]);
  });
});

// The benchmark's MiniSearch set-up (bench/engines.ts): its terms kept as hex change nothing but speed.
import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { cjkTokens, docsOf, hexTerm, pickQueries, textOf } from '../../bench/engines.ts';

describe('hexTerm', () => {
  it('is one-to-one, so hex terms are the same terms', () => {
    const terms = ['燃料', '料电', 'mof', 'a', '中', '𠀀x', 'ab', '\u0061\u0062'];
    expect(new Set(terms.map(hexTerm)).size).toBe(new Set(terms).size);
    expect(hexTerm('中a')).toBe('4e2d0061');
    expect(hexTerm('')).toBe('');
  });

  it('gives MiniSearch the same results and scores as the plain terms', () => {
    const docs = docsOf(400);
    const make = (processTerm: (t: string) => string) => {
      const ix = new MiniSearch({ fields: ['text'], storeFields: [], tokenize: cjkTokens, processTerm, searchOptions: { combineWith: 'OR' } });
      ix.addAll(docs.filter((d) => d.type === 'capability').map((d) => ({ id: d.record.id, text: textOf(d.record) })));
      return ix;
    };
    const [plain, hex] = [make((t) => t), make(hexTerm)];
    const qs = pickQueries(docs.filter((d) => d.type === 'need'), 8);
    for (const q of qs) {
      const a = plain.search(textOf(q.record)).slice(0, 10).map((r) => [r.id, r.score]);
      expect(a.length).toBeGreaterThan(0);
      expect(hex.search(textOf(q.record)).slice(0, 10).map((r) => [r.id, r.score])).toEqual(a);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { dcg, ndcg, recall, reciprocalRank, summarize, type Grades } from '../../src/match/eval/metrics.ts';

const grades = (o: Record<string, number>): Grades => new Map(Object.entries(o));

describe('dcg / ndcg', () => {
  it('a perfect ranking scores 1', () => {
    const g = grades({ a: 3, b: 2, c: 1 });
    expect(ndcg(['a', 'b', 'c'], g, 5)).toBeCloseTo(1, 12);
    expect(ndcg(['a', 'b', 'c', 'x', 'y', 'z'], g, 5)).toBeCloseTo(1, 12);
  });

  it('matches a hand computation with gain 2^g − 1 and log2(rank + 1) discount', () => {
    const g = grades({ b: 2, d: 1 });
    // ranked a, b, c, d: b at rank 2 → 3 / log2(3); d at rank 4 → 1 / log2(5)
    const got = 3 / Math.log2(3) + 1 / Math.log2(5);
    // ideal b, d: 3 / log2(2) + 1 / log2(3)
    const ideal = 3 + 1 / Math.log2(3);
    expect(dcg(['a', 'b', 'c', 'd'], g, 5)).toBeCloseTo(got, 12);
    expect(ndcg(['a', 'b', 'c', 'd'], g, 5)).toBeCloseTo(got / ideal, 12);
    expect(ndcg(['a', 'b', 'c', 'd'], g, 5)).toBeCloseTo(0.63991, 4);
  });

  it('a swapped pair scores under 1, and a wrong order under the right one', () => {
    const g = grades({ a: 3, b: 1 });
    const right = ndcg(['a', 'b'], g, 5);
    const wrong = ndcg(['b', 'a'], g, 5);
    expect(wrong).toBeLessThan(right);
    // (1 + 7 / log2 3) / (7 + 1 / log2 3)
    expect(wrong).toBeCloseTo((1 + 7 / Math.log2(3)) / (7 + 1 / Math.log2(3)), 12);
  });

  it('ignores what lies beyond k', () => {
    const g = grades({ f: 3 });
    expect(ndcg(['a', 'b', 'c', 'd', 'e', 'f'], g, 5)).toBe(0);
    expect(ndcg(['a', 'b', 'c', 'd', 'e', 'f'], g, 6)).toBeCloseTo(1 / Math.log2(7), 12);
  });

  it('is 0 with nothing relevant found, or nothing relevant at all', () => {
    expect(ndcg(['x', 'y'], grades({ a: 2 }), 5)).toBe(0);
    expect(ndcg([], grades({ a: 2 }), 5)).toBe(0);
    expect(ndcg(['a'], grades({}), 5)).toBe(0);
    expect(ndcg(['a'], grades({ a: 0 }), 5)).toBe(0);
  });
});

describe('recall', () => {
  it('counts relevant ids in the top k over all relevant ids', () => {
    const g = grades({ a: 3, b: 1, c: 2, z: 0 });
    expect(recall(['a', 'x', 'b', 'y', 'z'], g, 5)).toBeCloseTo(2 / 3, 12);
    expect(recall(['a', 'x', 'b', 'y', 'z', 'c'], g, 5)).toBeCloseTo(2 / 3, 12);
    expect(recall(['a', 'x', 'b', 'y', 'z', 'c'], g, 6)).toBe(1);
    expect(recall(['a', 'x', 'b'], g, 1)).toBeCloseTo(1 / 3, 12);
  });

  it('is 0 when nothing relevant is found or nothing is relevant', () => {
    expect(recall(['x', 'y'], grades({ a: 1 }), 5)).toBe(0);
    expect(recall(['a'], grades({}), 5)).toBe(0);
    expect(recall(['z'], grades({ z: 0 }), 5)).toBe(0);
  });
});

describe('reciprocalRank', () => {
  it('is 1 / rank of the first relevant id', () => {
    const g = grades({ b: 1, c: 3 });
    expect(reciprocalRank(['b', 'c'], g)).toBe(1);
    expect(reciprocalRank(['a', 'b', 'c'], g)).toBe(1 / 2);
    expect(reciprocalRank(['a', 'x', 'y', 'c'], g)).toBe(1 / 4);
  });

  it('is 0 when no relevant id is ranked; a grade of 0 is not relevant', () => {
    expect(reciprocalRank(['a', 'x'], grades({ b: 1 }), )).toBe(0);
    expect(reciprocalRank(['z', 'b'], grades({ z: 0, b: 1 }))).toBe(1 / 2);
    expect(reciprocalRank([], grades({ b: 1 }))).toBe(0);
  });
});

describe('summarize', () => {
  it('averages nDCG@5, Recall@5 and MRR over the rows', () => {
    const rows = [
      { ranked: ['a'], grades: grades({ a: 2 }) }, // 1, 1, 1
      { ranked: ['x', 'b'], grades: grades({ b: 1 }) }, // 1/log2(3), 1, 1/2
      { ranked: ['x'], grades: grades({ c: 3 }) }, // 0, 0, 0
    ];
    const s = summarize(rows);
    expect(s.n).toBe(3);
    expect(s.ndcg5).toBeCloseTo((1 + 1 / Math.log2(3) + 0) / 3, 12);
    expect(s.recall5).toBeCloseTo(2 / 3, 12);
    expect(s.mrr).toBeCloseTo(0.5, 12);
  });

  it('gives zeros, not NaN, for no rows', () => {
    expect(summarize([])).toEqual({ n: 0, ndcg5: 0, recall5: 0, mrr: 0 });
  });
});

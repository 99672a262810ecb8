// Reliability lines: tenths print one decimal, finer bins two (0.05 bins once printed "0.1–0.1").
import { describe, expect, it } from 'vitest';
import { noAnswerAuc, noAnswerAucInterval, reliabilityLines, type Bin, type Row } from '../../../src/match/eval/run.ts';

const bin = (from: number, to: number): Bin => ({ from, to, n: 3, predicted: 0.12, observed: 0.1 });

describe('reliabilityLines', () => {
  it('labels 0.05 bins with two decimals', () => {
    const lines = reliabilityLines([bin(0.1, 0.15), bin(0.15, 0.2)]);
    expect(lines[1]).toContain('0.10–0.15');
    expect(lines[2]).toContain('0.15–0.20');
  });
  it('keeps one decimal for tenths, and skips empty bins', () => {
    const lines = reliabilityLines([bin(0.1, 0.2), { ...bin(0.2, 0.3), n: 0 }]);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('0.1–0.2 ');
  });
});

const row = (top: number, answerable: boolean): Row => ({ query: 'q', ranked: ['c'], scores: [top], grades: new Map(answerable ? [['c', 3]] : []), tags: [] });

describe('noAnswerAucInterval', () => {
  const rows = [...[0.9, 0.7, 0.6, 0.35, 0.2, 0.8].map((s) => row(s, true)), ...[0.3, 0.5, 0.1].map((s) => row(s, false))];
  it('brackets the AUC, the same on every run', () => {
    const [lo, hi] = noAnswerAucInterval(rows);
    expect(lo).toBeLessThanOrEqual(noAnswerAuc(rows));
    expect(hi).toBeGreaterThanOrEqual(noAnswerAuc(rows));
    expect(hi).toBeGreaterThan(lo);
    expect(noAnswerAucInterval(rows)).toEqual([lo, hi]);
  });
  it('gives no interval without both kinds of need', () => {
    expect(noAnswerAucInterval(rows.filter((r) => r.grades.size > 0)).every(Number.isNaN)).toBe(true);
  });
});

// Reliability lines: tenths print one decimal, finer bins two (0.05 bins once printed "0.1–0.1").
import { describe, expect, it } from 'vitest';
import { reliabilityLines, type Bin } from '../../../src/match/eval/run.ts';

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

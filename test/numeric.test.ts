import { describe, expect, it } from 'vitest';
import { mulberry32, solve } from '../src/numeric.ts';

describe('mulberry32', () => {
  it('replays the same sequence for the same seed, within [0, 1)', () => {
    const a = mulberry32(42), b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
  it('gives another sequence for another seed', () => {
    expect(mulberry32(1)()).not.toBe(mulberry32(2)());
  });
});

describe('solve', () => {
  it('solves a small system, whatever the row order (pivoting)', () => {
    const x = solve([[0, 2, 1], [1, 1, 1], [2, 0, 3]], [5, 6, 13]);
    x.forEach((v, i) => expect(v).toBeCloseTo([2, 1, 3][i]!, 9));
  });
  it('gives 0 for a column the system does not determine instead of dividing by zero', () => {
    const x = solve([[1, 0], [0, 0]], [3, 0]);
    expect(x).toEqual([3, 0]);
  });
});

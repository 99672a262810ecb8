import { describe, expect, it } from 'vitest';
import { ShardedMap } from '../../src/match/sharded-map.ts';

describe('ShardedMap', () => {
  it('answers as a Map does through sets, overwrites, deletes and clear', () => {
    const s = new ShardedMap<number>();
    const m = new Map<string, number>();
    for (let i = 0; i < 5000; i++) {
      const k = i % 7 === 0 ? `N-${i % 700}` : `need:C-${i}`;
      s.set(k, i);
      m.set(k, i);
      if (i % 11 === 0) {
        expect(s.delete(`need:C-${i - 1}`)).toBe(m.delete(`need:C-${i - 1}`));
      }
    }
    expect(s.delete('absent')).toBe(false);
    expect(s.size).toBe(m.size);
    for (const [k, v] of m) expect([s.get(k), s.has(k)]).toEqual([v, true]);
    expect([s.get('absent'), s.has('absent')]).toEqual([undefined, false]);
    // Every entry once; keys, values and entries in the same order.
    expect(new Map(s)).toEqual(m);
    expect([...s.keys()]).toEqual([...s.entries()].map(([k]) => k));
    expect([...s.values()]).toEqual([...s.entries()].map(([, v]) => v));
    let n = 0;
    s.forEach(() => n++);
    expect(n).toBe(m.size);
    s.clear();
    expect([s.size, [...s], s.get('N-0')]).toEqual([0, [], undefined]);
  });
});

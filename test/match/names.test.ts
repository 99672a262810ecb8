import { describe, expect, it } from 'vitest';
import { Names, hashName } from '../../src/match/names.ts';
import { Features } from '../../src/match/inverted.ts';

describe('Names (typed-array string table)', () => {
  it('numbers names through growth and collisions, the same as a Map', () => {
    const names = new Names();
    const map = new Map<string, number>();
    // CJK words, Latin words, empty and one-character names, surrogate pairs, prefixes of each other.
    const pool = ['', 'a', 'ab', 'abc', 'w:fuel', 'c:燃料电池', '燃料', '燃料电池', '𠀋𠀌', 'x\u0000y'];
    for (let i = 0; i < 20_000; i++) pool.push(`w:${(i * 7919).toString(36)}`, `燃${String.fromCharCode(0x4e00 + (i % 3000))}${i}`);
    pool.forEach((n, i) => {
      names.set(n, i);
      map.set(n, i);
    });
    expect(names.size).toBe(map.size);
    for (const [n, id] of map) expect(names.get(n)).toBe(id);
    for (const miss of ['abcd', 'w:fue', 'c:燃料电', '燃', 'b:燃料', 'x\u0000', 'y']) expect(names.get(miss)).toBe(-1);
    // set on a known name renumbers it, adding nothing.
    names.set('燃料', 7);
    expect(names.get('燃料')).toBe(7);
    expect(names.size).toBe(map.size);
    expect(names.nameAt(6)).toBe('燃料');
  });

  it('a reserve leaves room: later sets grow no array', () => {
    const names = new Names();
    for (let i = 0; i < 1000; i++) names.set(`n${i}`, i);
    names.reserve(500);
    const before = { ...names.state() };
    for (let i = 1000; i < 1500; i++) names.set(`n${i}`, i);
    const after = names.state();
    for (const k of ['table', 'ends', 'ids', 'hashes', 'chars'] as const) expect(after[k]).toBe(before[k]);
    for (let i = 0; i < 1500; i++) expect(names.get(`n${i}`)).toBe(i);
  });

  it('the hash is fixed (a snapshot stores it)', () => {
    expect([hashName(''), hashName('w:fuel'), hashName('燃料电池')]).toEqual([hashName(''), hashName('w:fuel'), hashName('燃料电池')]);
    expect(hashName('ab')).not.toBe(hashName('ba'));
  });

  it('Features counts each feature once through its tables\' growth (a snapshot checks the count)', () => {
    const f = new Features();
    for (let i = 0; i < 3000; i++) f.set(`b:${String.fromCharCode(0x4e00 + i, 0x4e01 + i)}`, i);
    for (let i = 0; i < 3000; i++) f.set(`w:${i}`, 3000 + i);
    expect(f.size).toBe(6000);
    expect(f.state().pairs.size).toBe(3000);
    expect(f.state().others.size).toBe(3000);
  });

  it('Features taken apart as a snapshot stores them and put back: the same numbers, and adds go on', () => {
    const f = new Features();
    const all = ['b:燃料', 'w:fuel', 'b:ab', 'c:fuel-cell', 'b:电池', 'x:燃料'];
    for (let i = 0; i < 5000; i++) all.push(i % 2 ? `b:${String.fromCharCode(0x4e00 + i, 0x4e00 + i * 3)}` : `w:t${i}`);
    all.forEach((n, i) => f.set(n, i));
    f.reserve();
    const st = f.state();
    const copy = <T extends Int32Array | Uint16Array>(a: T): T => a.slice() as T;
    const back = Features.of(
      { keys: copy(st.pairs.keys) as Int32Array<ArrayBuffer>, vals: copy(st.pairs.vals) as Int32Array<ArrayBuffer>, size: st.pairs.size },
      { ...st.others, chars: copy(st.others.chars), ends: copy(st.others.ends), ids: copy(st.others.ids), hashes: copy(st.others.hashes), table: copy(st.others.table) },
    );
    expect(back.size).toBe(all.length);
    all.forEach((n, i) => expect(back.get(n)).toBe(i));
    expect([...back.names(all.length)]).toEqual(all);
    back.set('w:new', all.length);
    back.set('b:新的', all.length + 1);
    expect([back.get('w:new'), back.get('b:新的'), back.get('w:fuel')]).toEqual([all.length, all.length + 1, 1]);
    // The original is untouched by the copy's adds.
    expect(f.get('w:new')).toBe(-1);
  });
});

// Strings → numbers in a few typed arrays: open addressing over the strings' UTF-16 code units, kept back
// to back. No string, Map entry or object per name lives on the V8 heap, so a snapshot carries the table
// as it is and loading it is a handful of views (nothing to build on the main thread: a Map of a million
// names grows in steps of 60–170 ms, and its strings load the garbage collector).

/** The arrays a snapshot stores and a load views (lengths: chars ≥ used, per-entry arrays ≥ size). */
export interface NamesState {
  size: number;
  used: number;
  /** Names back to back, and where each one ends. */
  chars: Uint16Array<ArrayBuffer>;
  ends: Int32Array<ArrayBuffer>;
  /** Each name's number and hash. */
  ids: Int32Array<ArrayBuffer>;
  hashes: Int32Array<ArrayBuffer>;
  /** Slots (a power of two, at most half full): entry + 1, 0 empty. */
  table: Int32Array<ArrayBuffer>;
}

/** FNV-1a over the code units, then mixed (part of the snapshot format: a change needs a new one). */
export function hashName(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

export class Names {
  private s: NamesState;

  constructor(state?: NamesState) {
    this.s = state ?? { size: 0, used: 0, chars: new Uint16Array(1024), ends: new Int32Array(256), ids: new Int32Array(256), hashes: new Int32Array(256), table: new Int32Array(512) };
  }

  get size(): number {
    return this.s.size;
  }

  /** The arrays as they stand (a snapshot copies them). */
  state(): Readonly<NamesState> {
    return this.s;
  }

  /** The slot holding `name` or the empty one where it would go. */
  private slot(name: string, h: number): number {
    const { table, hashes, ends, chars } = this.s;
    const mask = table.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const e = table[i]! - 1;
      if (e < 0) return i;
      if (hashes[e] !== h) continue;
      const from = e === 0 ? 0 : ends[e - 1]!;
      if (ends[e]! - from !== name.length) continue;
      let j = 0;
      while (j < name.length && chars[from + j] === name.charCodeAt(j)) j++;
      if (j === name.length) return i;
    }
  }

  /** The name's number (-1: none). */
  get(name: string): number {
    const i = this.slot(name, hashName(name));
    const e = this.s.table[i]! - 1;
    return e < 0 ? -1 : this.s.ids[e]!;
  }

  set(name: string, id: number): void {
    const h = hashName(name);
    let i = this.slot(name, h);
    const e = this.s.table[i]! - 1;
    if (e >= 0) {
      this.s.ids[e] = id;
      return;
    }
    const s = this.s;
    if (2 * (s.size + 1) > s.table.length) {
      this.rehash(s.table.length * 2);
      i = this.slot(name, h);
    }
    const n = s.size;
    if (n === s.ends.length) {
      s.ends = grown(s.ends, 2 * n);
      s.ids = grown(s.ids, 2 * n);
      s.hashes = grown(s.hashes, 2 * n);
    }
    if (s.used + name.length > s.chars.length) s.chars = grown(s.chars, 2 * (s.used + name.length));
    for (let j = 0; j < name.length; j++) s.chars[s.used + j] = name.charCodeAt(j);
    s.used += name.length;
    s.ends[n] = s.used;
    s.ids[n] = id;
    s.hashes[n] = h;
    s.table[i] = n + 1;
    s.size = n + 1;
  }

  /** The name of entry e (tests, and a snapshot's older format). */
  nameAt(e: number): string {
    const from = e === 0 ? 0 : this.s.ends[e - 1]!;
    return String.fromCharCode(...this.s.chars.subarray(from, this.s.ends[e]!));
  }

  /** Room for `extra` more names (of up to 8 code units on average) without growing. */
  reserve(extra: number): void {
    const s = this.s;
    let slots = s.table.length;
    while (2 * (s.size + extra) > slots) slots *= 2;
    if (slots !== s.table.length) this.rehash(slots);
    if (s.size + extra > s.ends.length) {
      s.ends = grown(s.ends, s.size + extra);
      s.ids = grown(s.ids, s.size + extra);
      s.hashes = grown(s.hashes, s.size + extra);
    }
    if (s.used + 8 * extra > s.chars.length) s.chars = grown(s.chars, s.used + 8 * extra);
  }

  private rehash(slots: number): void {
    const { hashes, size } = this.s;
    const table = new Int32Array(slots);
    const mask = slots - 1;
    for (let e = 0; e < size; e++) {
      let i = hashes[e]! & mask;
      while (table[i] !== 0) i = (i + 1) & mask;
      table[i] = e + 1;
    }
    this.s.table = table;
  }
}

function grown<T extends Uint16Array<ArrayBuffer> | Int32Array<ArrayBuffer>>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

// A double-array trie over integer labels (a character's class, or an English stem's id): a step is
// one addition and one comparison in typed arrays instead of a Map look-up per node, and the three
// arrays serialise as they are, so the glossary's automaton can be built once at install time.

export interface DoubleArrayData { base: Int32Array; check: Int32Array; value: Int32Array }

export class DoubleArray {
  constructor(readonly base: Int32Array, readonly check: Int32Array, readonly value: Int32Array) {}

  /** The state reached from `s` by `label` (≥ 1), or -1. The root is state 0. */
  next(s: number, label: number): number {
    const t = this.base[s]! + label;
    return t < this.check.length && this.check[t] === s ? t : -1;
  }

  /**
   * Builds from label paths; the first key to claim a path keeps its value (as the glossary's
   * "first concept to claim a form keeps it").
   */
  static build(keys: Iterable<{ labels: readonly number[]; value: number }>): DoubleArray {
    // A pointer trie first, then each node's children packed at the lowest base where they fit.
    const kids: Map<number, number>[] = [new Map()];
    const vals: number[] = [-1];
    for (const k of keys) {
      let n = 0;
      for (const l of k.labels) {
        let c = kids[n]!.get(l);
        if (c === undefined) {
          c = kids.length;
          kids[n]!.set(l, c);
          kids.push(new Map());
          vals.push(-1);
        }
        n = c;
      }
      if (vals[n] === -1) vals[n] = k.value;
    }
    let size = Math.max(1024, kids.length * 2);
    let base = new Int32Array(size);
    let check = new Int32Array(size).fill(-1);
    let value = new Int32Array(size).fill(-1);
    const grow = (need: number) => {
      if (need < size) return;
      const s = Math.max(need + 1, size * 2);
      const b = new Int32Array(s);
      b.set(base);
      const c = new Int32Array(s).fill(-1);
      c.set(check);
      const v = new Int32Array(s).fill(-1);
      v.set(value);
      base = b;
      check = c;
      value = v;
      size = s;
    };
    check[0] = -2; // the root's slot is never free
    const state = new Int32Array(kids.length); // pointer node → double-array state
    let firstFree = 1;
    const queue = [0];
    for (let qi = 0; qi < queue.length; qi++) {
      const n = queue[qi]!;
      const s = state[n]!;
      value[s] = vals[n]!;
      const labels = [...kids[n]!.keys()].sort((a, b) => a - b);
      if (labels.length === 0) continue;
      while (firstFree < size && check[firstFree] !== -1) firstFree++;
      let b = Math.max(0, firstFree - labels[0]!);
      for (;;) {
        grow(b + labels[labels.length - 1]!);
        if (labels.every((l) => check[b + l] === -1)) break;
        b++;
      }
      base[s] = b;
      for (const l of labels) {
        const t = b + l;
        check[t] = s;
        const c = kids[n]!.get(l)!;
        state[c] = t;
        queue.push(c);
      }
    }
    let used = size;
    while (used > 1 && check[used - 1] === -1) used--;
    return new DoubleArray(base.slice(0, used), check.slice(0, used), value.slice(0, used));
  }

  toJSON(): { base: string; check: string; value: string } {
    const b64 = (a: Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
    return { base: b64(this.base), check: b64(this.check), value: b64(this.value) };
  }

  static fromJSON(j: { base: string; check: string; value: string }): DoubleArray {
    const arr = (s: string) => {
      const buf = Buffer.from(s, 'base64');
      // Copied into its own aligned buffer: Buffer.from may share a pool at an odd offset.
      return new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    };
    return new DoubleArray(arr(j.base), arr(j.check), arr(j.value));
  }
}

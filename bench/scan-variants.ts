// Scan variants for bench/scan-replay.ts (each must give the engine's hits bit for bit).
import type { InvertedIndex, Scored } from '../src/match/inverted.ts';

const K1 = 1.2;
interface Term { docs: Int32Array; tfs: Float32Array; off: number; n: number; w: number; ub: number }

class TopK {
  private readonly docs: Int32Array;
  private readonly raws: Float64Array;
  private size = 0;
  min = -Infinity;
  constructor(private readonly k: number) {
    this.docs = new Int32Array(k);
    this.raws = new Float64Array(k);
  }
  get full(): boolean {
    return this.size >= this.k;
  }
  private worse(i: number, j: number): boolean {
    const a = this.raws[i]!;
    const b = this.raws[j]!;
    return a < b || (a === b && this.docs[i]! > this.docs[j]!);
  }
  private swap(i: number, j: number): void {
    const d = this.docs[i]!;
    const r = this.raws[i]!;
    this.docs[i] = this.docs[j]!;
    this.raws[i] = this.raws[j]!;
    this.docs[j] = d;
    this.raws[j] = r;
  }
  offer(doc: number, raw: number): void {
    if (this.size < this.k) {
      let i = this.size++;
      this.docs[i] = doc;
      this.raws[i] = raw;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.worse(i, p)) break;
        this.swap(i, p);
        i = p;
      }
    } else {
      const r0 = this.raws[0]!;
      if (!(r0 < raw || (r0 === raw && this.docs[0]! > doc))) return;
      this.docs[0] = doc;
      this.raws[0] = raw;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.size && this.worse(l, m)) m = l;
        if (r < this.size && this.worse(r, m)) m = r;
        if (m === i) break;
        this.swap(m, i);
        i = m;
      }
    }
    if (this.size >= this.k) this.min = this.raws[0]!;
  }
  sorted(): Scored[] {
    const out: Scored[] = [];
    for (let i = 0; i < this.size; i++) out.push({ doc: this.docs[i]!, raw: this.raws[i]! });
    return out.sort((a, b) => b.raw - a.raw || a.doc - b.doc);
  }
}

function pick(x: Float64Array, count: number, k: number, accept: (d: number) => boolean): Scored[] {
  const heap = new TopK(k);
  let bar = 0;
  for (let d = 0; d < count; d++) {
    const raw = x[2 * d]!;
    x[2 * d] = 0;
    if (raw > bar && accept(d)) {
      heap.offer(d, raw);
      if (heap.full && heap.min > bar) bar = heap.min;
    }
  }
  return heap.sorted();
}

export const split = { scan: 0, pick: 0 };

function base(ix: InvertedIndex, terms: readonly Term[], k: number, accept: (d: number) => boolean): Scored[] {
  const x = ix.scratch;
  const t0 = performance.now();
  for (const { docs, tfs, off, n, w } of terms) {
    const end = off + n;
    for (let j = off; j < end; j++) {
      const d = docs[j]!;
      const tf = tfs[j]!;
      const at = 2 * d;
      x[at]! += (w * tf * (K1 + 1)) / (tf + x[at + 1]!);
    }
  }
  const t1 = performance.now();
  const r = pick(x, ix.docSlots, k, accept);
  split.scan += t1 - t0;
  split.pick += performance.now() - t1;
  return r;
}

function unroll2(ix: InvertedIndex, terms: readonly Term[], k: number, accept: (d: number) => boolean): Scored[] {
  const x = ix.scratch;
  for (const { docs, tfs, off, n, w } of terms) {
    const end = off + n;
    let j = off;
    for (; j + 1 < end; j += 2) {
      const d0 = docs[j]!;
      const d1 = docs[j + 1]!;
      const t0 = tfs[j]!;
      const t1 = tfs[j + 1]!;
      const a0 = 2 * d0;
      const a1 = 2 * d1;
      const s0 = (w * t0 * (K1 + 1)) / (t0 + x[a0 + 1]!);
      const s1 = (w * t1 * (K1 + 1)) / (t1 + x[a1 + 1]!);
      x[a0]! += s0;
      x[a1]! += s1;
    }
    if (j < end) {
      const d = docs[j]!;
      const tf = tfs[j]!;
      const at = 2 * d;
      x[at]! += (w * tf * (K1 + 1)) / (tf + x[at + 1]!);
    }
  }
  return pick(x, ix.docSlots, k, accept);
}


function pick4(x: Float64Array, count: number, k: number, accept: (d: number) => boolean): Scored[] {
  const heap = new TopK(k);
  let bar = 0;
  let d = 0;
  for (; d + 3 < count; d += 4) {
    const a = 2 * d;
    const r0 = x[a]!;
    const r1 = x[a + 2]!;
    const r2 = x[a + 4]!;
    const r3 = x[a + 6]!;
    if (r0 > bar || r1 > bar || r2 > bar || r3 > bar) {
      for (let i = 0; i < 4; i++) {
        const raw = x[a + 2 * i]!;
        if (raw > bar && accept(d + i)) {
          heap.offer(d + i, raw);
          if (heap.full && heap.min > bar) bar = heap.min;
        }
      }
    }
    x[a] = 0;
    x[a + 2] = 0;
    x[a + 4] = 0;
    x[a + 6] = 0;
  }
  for (; d < count; d++) {
    const raw = x[2 * d]!;
    x[2 * d] = 0;
    if (raw > bar && accept(d)) {
      heap.offer(d, raw);
      if (heap.full && heap.min > bar) bar = heap.min;
    }
  }
  return heap.sorted();
}

function scan4(x: Float64Array, terms: readonly Term[]): void {
  for (const { docs, tfs, off, n, w } of terms) {
    const end = off + n;
    let j = off;
    for (; j + 3 < end; j += 4) {
      const d0 = docs[j]!;
      const d1 = docs[j + 1]!;
      const d2 = docs[j + 2]!;
      const d3 = docs[j + 3]!;
      const t0 = tfs[j]!;
      const t1 = tfs[j + 1]!;
      const t2 = tfs[j + 2]!;
      const t3 = tfs[j + 3]!;
      const a0 = 2 * d0;
      const a1 = 2 * d1;
      const a2 = 2 * d2;
      const a3 = 2 * d3;
      x[a0]! += (w * t0 * (K1 + 1)) / (t0 + x[a0 + 1]!);
      x[a1]! += (w * t1 * (K1 + 1)) / (t1 + x[a1 + 1]!);
      x[a2]! += (w * t2 * (K1 + 1)) / (t2 + x[a2 + 1]!);
      x[a3]! += (w * t3 * (K1 + 1)) / (t3 + x[a3 + 1]!);
    }
    for (; j < end; j++) {
      const d = docs[j]!;
      const tf = tfs[j]!;
      const at = 2 * d;
      x[at]! += (w * tf * (K1 + 1)) / (tf + x[at + 1]!);
    }
  }
}

function unroll4(ix: InvertedIndex, terms: readonly Term[], k: number, accept: (d: number) => boolean): Scored[] {
  const x = ix.scratch;
  scan4(x, terms);
  return pick(x, ix.docSlots, k, accept);
}
function unroll4p4(ix: InvertedIndex, terms: readonly Term[], k: number, accept: (d: number) => boolean): Scored[] {
  const x = ix.scratch;
  scan4(x, terms);
  return pick4(x, ix.docSlots, k, accept);
}


function clean(ix: InvertedIndex, terms: readonly Term[], k: number, accept: (d: number) => boolean): Scored[] {
  const x = ix.scratch;
  for (const { docs, tfs, off, n, w } of terms) {
    const end = off + n;
    for (let j = off; j < end; j++) {
      const d = docs[j]!;
      const tf = tfs[j]!;
      const at = 2 * d;
      x[at]! += (w * tf * (K1 + 1)) / (tf + x[at + 1]!);
    }
  }
  return pick(x, ix.docSlots, k, accept);
}

const sepState = new WeakMap<InvertedIndex, { s: Float64Array; nrm: Float64Array }>();
function sep4(ix: InvertedIndex, terms: readonly Term[], k: number, accept: (d: number) => boolean): Scored[] {
  const count = ix.docSlots;
  let st = sepState.get(ix);
  if (!st) {
    const nrm = new Float64Array(count);
    for (let d = 0; d < count; d++) nrm[d] = ix.scratch[2 * d + 1]!;
    sepState.set(ix, (st = { s: new Float64Array(count), nrm }));
  }
  const { s, nrm } = st;
  for (const { docs, tfs, off, n, w } of terms) {
    const end = off + n;
    let j = off;
    for (; j + 3 < end; j += 4) {
      const d0 = docs[j]!;
      const d1 = docs[j + 1]!;
      const d2 = docs[j + 2]!;
      const d3 = docs[j + 3]!;
      const t0 = tfs[j]!;
      const t1 = tfs[j + 1]!;
      const t2 = tfs[j + 2]!;
      const t3 = tfs[j + 3]!;
      s[d0]! += (w * t0 * (K1 + 1)) / (t0 + nrm[d0]!);
      s[d1]! += (w * t1 * (K1 + 1)) / (t1 + nrm[d1]!);
      s[d2]! += (w * t2 * (K1 + 1)) / (t2 + nrm[d2]!);
      s[d3]! += (w * t3 * (K1 + 1)) / (t3 + nrm[d3]!);
    }
    for (; j < end; j++) {
      const d = docs[j]!;
      const tf = tfs[j]!;
      s[d]! += (w * tf * (K1 + 1)) / (tf + nrm[d]!);
    }
  }
  const heap = new TopK(k);
  let bar = 0;
  for (let d = 0; d < count; d++) {
    const raw = s[d]!;
    if (raw > bar && accept(d)) {
      heap.offer(d, raw);
      if (heap.full && heap.min > bar) bar = heap.min;
    }
  }
  s.fill(0);
  return heap.sorted();
}

export const variants = { clean, base, unroll2, unroll4, sep4 };

// Scan variants for bench/scan-replay.ts (each must give the engine's hits bit for bit); the first is the baseline.
import type { InvertedIndex, Scored } from '../src/match/inverted.ts';

const K1 = 1.2;
interface Term { docs: Int32Array; tfs: Float32Array; off: number; n: number; w: number; ub: number }

export class TopK {
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

/** main before this: one posting a step. */
function one(ix: InvertedIndex, terms: readonly Term[], k: number, accept: (d: number) => boolean): Scored[] {
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

/** What src/match/inverted.ts does: two postings a step. */
function scan2(x: Float64Array, terms: readonly Term[]): void {
  for (const { docs, tfs, off, n, w } of terms) {
    const end = off + n;
    let j = off;
    for (; j + 1 < end; j += 2) {
      const t0 = tfs[j]!;
      const t1 = tfs[j + 1]!;
      const a0 = 2 * docs[j]!;
      const a1 = 2 * docs[j + 1]!;
      const s0 = (w * t0 * (K1 + 1)) / (t0 + x[a0 + 1]!);
      const s1 = (w * t1 * (K1 + 1)) / (t1 + x[a1 + 1]!);
      x[a0]! += s0;
      x[a1]! += s1;
    }
    if (j < end) {
      const tf = tfs[j]!;
      const at = 2 * docs[j]!;
      x[at]! += (w * tf * (K1 + 1)) / (tf + x[at + 1]!);
    }
  }
}
const two = (ix: InvertedIndex, terms: readonly Term[], k: number, accept: (d: number) => boolean): Scored[] => (scan2(ix.scratch, terms), pick(ix.scratch, ix.docSlots, k, accept));

/** Four postings a step: no better than two (0.77 vs 0.75–0.78× of one, within the noise). */
function four(ix: InvertedIndex, terms: readonly Term[], k: number, accept: (d: number) => boolean): Scored[] {
  const x = ix.scratch;
  for (const { docs, tfs, off, n, w } of terms) {
    const end = off + n;
    let j = off;
    for (; j + 3 < end; j += 4) {
      const t0 = tfs[j]!;
      const t1 = tfs[j + 1]!;
      const t2 = tfs[j + 2]!;
      const t3 = tfs[j + 3]!;
      const a0 = 2 * docs[j]!;
      const a1 = 2 * docs[j + 1]!;
      const a2 = 2 * docs[j + 2]!;
      const a3 = 2 * docs[j + 3]!;
      x[a0]! += (w * t0 * (K1 + 1)) / (t0 + x[a0 + 1]!);
      x[a1]! += (w * t1 * (K1 + 1)) / (t1 + x[a1 + 1]!);
      x[a2]! += (w * t2 * (K1 + 1)) / (t2 + x[a2 + 1]!);
      x[a3]! += (w * t3 * (K1 + 1)) / (t3 + x[a3 + 1]!);
    }
    for (; j < end; j++) {
      const tf = tfs[j]!;
      const at = 2 * docs[j]!;
      x[at]! += (w * tf * (K1 + 1)) / (tf + x[at + 1]!);
    }
  }
  return pick(x, ix.docSlots, k, accept);
}

/**
 * The norms read in order before the scan (the prefetcher streams the slots in; the scan's random
 * accesses then hit): with REPLAY_EVICT=8, 0.97–1.06× of `two` by each search's fastest round. Dropped.
 */
let warmSink = 0;
function warmed(ix: InvertedIndex, terms: readonly Term[], k: number, accept: (d: number) => boolean): Scored[] {
  const x = ix.scratch;
  const count = ix.docSlots;
  let s = 0;
  for (let d = 0; d < count; d += 4) s += x[2 * d + 1]!;
  warmSink += s;
  scan2(x, terms);
  return pick(x, count, k, accept);
}
export const sinks = (): number => warmSink;

/**
 * Also measured and dropped (pick): four slots a step with one test for all four (0.88–1.1×), clearing
 * only non-zero slots (1.07–1.3×: 65 % of the slots are touched, so the test goes either way); scores
 * and norms in two arrays, scores cleared by fill(0) (1.2×: two cache lines a posting).
 */

/** With removed documents in the postings (REPLAY_REMOVE): main before this, one posting a step and a liveness test each. */
function tombOne(ix: InvertedIndex, terms: readonly Term[], k: number, accept: (d: number) => boolean): Scored[] {
  const x = ix.scratch;
  const alive = ix.liveFlags;
  for (const { docs, tfs, off, n, w } of terms) {
    const end = off + n;
    for (let j = off; j < end; j++) {
      const d = docs[j]!;
      if (!alive[d]) continue;
      const tf = tfs[j]!;
      const at = 2 * d;
      x[at]! += (w * tf * (K1 + 1)) / (tf + x[at + 1]!);
    }
  }
  return pick(x, ix.docSlots, k, accept);
}
/** What src/match/inverted.ts does now: removed documents scored into their own slots, left out by the pick. */
function tombTwo(ix: InvertedIndex, terms: readonly Term[], k: number, accept: (d: number) => boolean): Scored[] {
  const x = ix.scratch;
  const alive = ix.liveFlags;
  scan2(x, terms);
  const heap = new TopK(k);
  let bar = 0;
  for (let d = 0; d < ix.docSlots; d++) {
    const raw = x[2 * d]!;
    x[2 * d] = 0;
    if (raw > bar && alive[d] === 1 && accept(d)) {
      heap.offer(d, raw);
      if (heap.full && heap.min > bar) bar = heap.min;
    }
  }
  return heap.sorted();
}
export const tombstoneVariants = { tombOne, tombTwo };

export const variants = { one, two, four, warmed };

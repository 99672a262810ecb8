// A BM25 inverted index over feature ids, with typed-array postings. Adds append; removals leave
// tombstones that a compaction clears, so writes never rebuild the whole index.

const K1 = 1.2;
const B = 0.75;

/**
 * Every feature's postings in two shared arrays (documents, term frequencies): one contiguous segment
 * per feature, in document order. A full segment moves to the end with twice the room; the space it
 * leaves is reclaimed by repacking once it exceeds what is in use. No object or typed array per feature.
 */
class Arena {
  docs = new Int32Array(1 << 16);
  tfs = new Float32Array(1 << 16);
  /** Slots handed out (the end of the last segment). */
  top = 0;
  /** Postings held (live or tombstoned): what a repack keeps. */
  used = 0;
  off = new Int32Array(1024);
  cap = new Int32Array(1024);
  n = new Int32Array(1024);
  /** Bounds for pruning; removals leave them loose, never wrong. */
  maxTf = new Float64Array(1024);
  minDl = new Float64Array(1024);
  count = 0;

  /** A new feature; returns its id. */
  feature(): number {
    const id = this.count++;
    if (id === this.off.length) {
      const size = id * 2;
      this.off = grow(this.off, size);
      this.cap = grow(this.cap, size);
      this.n = grow(this.n, size);
      this.maxTf = grow(this.maxTf, size);
      const minDl = grow(this.minDl, size);
      minDl.fill(Infinity, id);
      this.minDl = minDl;
    } else this.minDl[id] = Infinity;
    return id;
  }

  push(id: number, doc: number, tf: number, dl: number): void {
    if (tf > this.maxTf[id]!) this.maxTf[id] = tf;
    if (dl < this.minDl[id]!) this.minDl[id] = dl;
    let n = this.n[id]!;
    if (n === this.cap[id]!) this.move(id, n === 0 ? 1 : n * 2);
    this.docs[this.off[id]! + n] = doc;
    this.tfs[this.off[id]! + n] = tf;
    this.n[id] = ++n;
    this.used++;
  }

  /** Gives a feature `cap` slots at the end (repacking first when most of the arena is left-behind space). */
  private move(id: number, cap: number): void {
    if (this.top + cap > this.docs.length) {
      if (this.top - this.used > this.used) this.repack();
      if (this.top + cap > this.docs.length) {
        const size = Math.max(this.top + cap, Math.ceil(this.docs.length * 1.5));
        this.docs = grow(this.docs, size);
        this.tfs = grow(this.tfs, size);
      }
    }
    const from = this.off[id]!;
    const n = this.n[id]!;
    this.docs.copyWithin(this.top, from, from + n);
    this.tfs.copyWithin(this.top, from, from + n);
    this.off[id] = this.top;
    this.cap[id] = cap;
    this.top += cap;
  }

  /** Segments packed back to back (each keeps a quarter more room than it holds), in place: order by offset. */
  repack(): void {
    const ids = Int32Array.from({ length: this.count }, (_, i) => i).sort((a, b) => this.off[a]! - this.off[b]! || a - b);
    let at = 0;
    for (const id of ids) {
      const n = this.n[id]!;
      const from = this.off[id]!;
      // Never more than it had: segments then only move down (offsets ascend), so packing in place is safe.
      const cap = Math.min(this.cap[id]!, n + (n >> 2));
      if (from !== at) {
        this.docs.copyWithin(at, from, from + n);
        this.tfs.copyWithin(at, from, from + n);
      }
      this.off[id] = at;
      this.cap[id] = cap;
      at += cap;
    }
    this.top = at;
  }
}

function grow<T extends Int32Array | Float32Array | Float64Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

export interface Scored { doc: number; raw: number }

/** Top-k pruning on by default; tests and the benchmark switch it off to compare with a full pass. */
let pruning = true;
export function setPruning(on: boolean): void {
  pruning = on;
}

export class InvertedIndex {
  private featureIds = new Map<string, number>();
  private arena = new Arena();
  private df = new Int32Array(1024);
  private dl = new Float64Array(1024);
  private alive = new Uint8Array(1024);
  private docCount = 0;
  private liveCount = 0;
  private totalLen = 0;
  private dead = 0;

  get size(): number {
    return this.liveCount;
  }

  /** Document frequency of a feature among live documents. */
  docFreq(feature: string): number {
    const id = this.featureIds.get(feature);
    return id === undefined ? 0 : this.df[id]!;
  }

  /** The feature's number in this index (-1: never indexed). */
  idOf(feature: string): number {
    return this.featureIds.get(feature) ?? -1;
  }

  /** Whether a document holds a feature (binary search in its postings, which are in document order). */
  holds(doc: number, feature: string): boolean {
    const id = this.featureIds.get(feature);
    if (id === undefined) return false;
    const a = this.arena;
    const from = a.off[id]!;
    const end = from + a.n[id]!;
    const at = gallop(a.docs, end, from, doc);
    return at < end && a.docs[at] === doc;
  }

  idf(df: number): number {
    return Math.log(1 + (this.liveCount - df + 0.5) / (df + 0.5));
  }

  /** Adds a document; returns its number. */
  add(features: ReadonlyMap<string, number>, length: number): number {
    const doc = this.docCount++;
    if (doc >= this.dl.length) this.grow(doc * 2);
    this.dl[doc] = length;
    this.alive[doc] = 1;
    this.liveCount++;
    this.totalLen += length;
    for (const [f, tf] of features) {
      let id = this.featureIds.get(f);
      if (id === undefined) {
        id = this.arena.feature();
        this.featureIds.set(f, id);
        if (id === this.df.length) this.df = grow(this.df, id * 2);
      }
      this.arena.push(id, doc, tf, length);
      this.df[id]!++;
    }
    return doc;
  }

  /** Marks a document removed; its features are needed to keep document frequencies right. */
  remove(doc: number, features: ReadonlyMap<string, number>): void {
    if (!this.alive[doc]) return;
    this.alive[doc] = 0;
    this.liveCount--;
    this.totalLen -= this.dl[doc]!;
    this.dead++;
    for (const f of features.keys()) {
      const id = this.featureIds.get(f);
      if (id !== undefined) this.df[id]!--;
    }
    if (this.dead > 1000 && this.dead > this.liveCount / 4) this.compact();
  }

  private grow(size: number): void {
    const dl = new Float64Array(size);
    dl.set(this.dl);
    this.dl = dl;
    const alive = new Uint8Array(size);
    alive.set(this.alive);
    this.alive = alive;
  }

  private compact(): void {
    const a = this.arena;
    for (let id = 0; id < a.count; id++) {
      const off = a.off[id]!;
      const n = a.n[id]!;
      let w = off;
      for (let r = off; r < off + n; r++) {
        const d = a.docs[r]!;
        if (this.alive[d]) {
          a.docs[w] = d;
          a.tfs[w] = a.tfs[r]!;
          w++;
        }
      }
      a.used -= off + n - w;
      a.n[id] = w - off;
    }
    this.dead = 0;
  }

  /**
   * BM25 over the query's weighted features. Features held by more than `maxDfShare` of a large
   * index are skipped: they barely change the order and would dominate the cost.
   * Returns the best `k` documents and the query's self score (the score of a document of
   * average length that holds every query feature once), used to normalise.
   * `prune: false` scores every touched document (the reference the pruned path must equal).
   */
  search(query: ReadonlyMap<string, number>, k: number, accept?: (doc: number) => boolean, maxDfShare = 0.2, prune = pruning): { hits: Scored[]; self: number } {
    let r = this.run(query, k, accept, maxDfShare, prune);
    // A query made only of very common features ("燃料电池" in a fuel-cell directory) still gets answers.
    if (r.hits.length === 0 && r.skipped) r = this.run(query, k, accept, 1, prune);
    return { hits: r.hits, self: r.self };
  }

  private run(query: ReadonlyMap<string, number>, k: number, accept: ((doc: number) => boolean) | undefined, maxDfShare: number, prune: boolean): { hits: Scored[]; self: number; skipped: boolean } {
    if (this.acc.length < this.docCount) {
      this.acc = new Float64Array(Math.max(this.docCount, this.acc.length * 2));
      this.verdict = new Uint8Array(this.acc.length);
    }
    const avgdl = this.liveCount ? this.totalLen / this.liveCount : 1;
    const big = this.liveCount >= 2000;
    let self = 0;
    let skipped = false;
    const terms: Term[] = [];
    for (const [f, qw] of query) {
      const id = this.featureIds.get(f);
      const df = id === undefined ? 0 : this.df[id]!;
      const idf = this.idf(df);
      // Unknown features count half: they are evidence the index cannot match at all.
      self += qw * idf * (df === 0 ? 0.5 : 1);
      if (df === 0) continue;
      if (big && df > this.liveCount * maxDfShare) {
        skipped = true;
        continue;
      }
      const a = this.arena;
      const w = qw * idf;
      if (!(w > 0)) continue;
      // The most one posting can add: BM25 grows with tf and shrinks with length. The margin
      // covers rounding, so a bound never cuts a document that could reach the top k.
      const maxTf = a.maxTf[id!]!;
      const ub = ((w * maxTf * (K1 + 1)) / (maxTf + K1 * (1 - B + (B * a.minDl[id!]!) / avgdl))) * (1 + 1e-9);
      terms.push({ off: a.off[id!]!, n: a.n[id!]!, w, ub });
    }
    // Strongest terms first, so the bound on what untouched documents could still score falls fast.
    terms.sort((x, y) => y.ub - x.ub);
    const hits = new Scan(this, this.arena, terms, avgdl, k, accept, prune).run();
    return { hits, self, skipped };
  }

  /** Scratch space shared by searches (one at a time: the event loop is single-threaded). */
  acc = new Float64Array(1024);
  /** Per document during a search: 0 unknown, 1 accepted, 2 rejected. */
  verdict = new Uint8Array(1024);
  get docLengths(): Float64Array {
    return this.dl;
  }
  get liveFlags(): Uint8Array {
    return this.alive;
  }
}

/** A query feature: its postings (a segment of the arena), weight and bound. */
interface Term { off: number; n: number; w: number; ub: number }

/**
 * One query, term at a time (MaxScore-style): while the terms left could lift an untouched document
 * above the current k-th best score (θ), every posting counts; after that, only documents that can
 * still reach θ are followed, by galloping search in the remaining (doc-sorted) postings.
 * Each document's score is the same sum in the same order as a full pass, so results are identical.
 */
class Scan {
  private readonly acc: Float64Array;
  private readonly verdict: Uint8Array;
  private readonly dl: Float64Array;
  private readonly alive: Uint8Array;
  private readonly docs: Int32Array;
  private readonly tfs: Float32Array;
  private touched: number[] = [];
  /** Sum of the bounds of terms i… */
  private readonly rest: Float64Array;
  /** Postings in terms i… (what a cut-off before term i would save). */
  private readonly restPostings: Float64Array;

  constructor(ix: InvertedIndex, arena: Arena, private readonly terms: Term[], private readonly avgdl: number, private readonly k: number, private readonly accept: ((doc: number) => boolean) | undefined, private readonly prune: boolean) {
    this.acc = ix.acc;
    this.verdict = ix.verdict;
    this.dl = ix.docLengths;
    this.alive = ix.liveFlags;
    this.docs = arena.docs;
    this.tfs = arena.tfs;
    this.rest = new Float64Array(terms.length + 1);
    this.restPostings = new Float64Array(terms.length + 1);
    for (let i = terms.length - 1; i >= 0; i--) {
      this.rest[i] = (this.rest[i + 1]! + terms[i]!.ub) * (1 + 1e-12);
      this.restPostings[i] = this.restPostings[i + 1]! + terms[i]!.n;
    }
  }

  private ok(d: number): boolean {
    let v = this.verdict[d]!;
    if (v === 0) this.verdict[d] = v = !this.accept || this.accept(d) ? 1 : 2;
    return v === 1;
  }

  /** The k-th best score among accepted documents so far: a floor under the final k-th best. */
  private theta(docs: ArrayLike<number>): number {
    const heap = new TopK(this.k);
    const acc = this.acc;
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i]!;
      const raw = acc[d]!;
      if (heap.full && raw <= heap.min) continue;
      if (this.ok(d)) heap.offer(d, raw);
    }
    return heap.full ? heap.min : -Infinity;
  }

  run(): Scored[] {
    const { acc, dl, alive, terms, avgdl } = this;
    const touched = this.touched;
    let theta = -Infinity;
    let sinceTheta = 0;
    let i = 0;
    for (; i < terms.length; i++) {
      if (this.prune && touched.length >= this.k) {
        // θ costs a pass over the touched documents: worth it only when the postings left are many more.
        if (sinceTheta >= touched.length && this.restPostings[i]! > 4 * touched.length) {
          theta = this.theta(touched);
          sinceTheta = 0;
        }
        if (this.rest[i]! < theta) break;
      }
      const { off, n, w } = terms[i]!;
      const { docs, tfs } = this;
      for (let j = off; j < off + n; j++) {
        const d = docs[j]!;
        if (!alive[d]) continue;
        const tf = tfs[j]!;
        const s = (w * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * dl[d]!) / avgdl));
        if (acc[d] === 0) touched.push(d);
        acc[d]! += s;
      }
      sinceTheta += n;
    }
    let cands: Int32Array | number[] = touched;
    if (i < terms.length) cands = this.follow(i, theta);
    const heap = new TopK(this.k);
    for (let c = 0; c < cands.length; c++) {
      const d = cands[c]!;
      const raw = acc[d]!;
      acc[d] = 0;
      // The bound first: most documents cannot reach the top k, and then need no accept() look-up.
      if (heap.full && raw < heap.min) continue;
      if (this.ok(d)) heap.offer(d, raw);
    }
    for (const d of touched) this.verdict[d] = 0;
    return heap.sorted();
  }

  /**
   * Terms from `from` on: only candidates that can still reach θ (exactly the documents with a
   * non-zero score); a short posting list is scanned, a long one searched by galloping per candidate.
   */
  private follow(from: number, theta: number): Int32Array {
    const { acc, dl, alive, terms, avgdl } = this;
    let cands = this.keep(this.touched, this.rest[from]!, theta);
    let sorted = false;
    for (let i = from; i < terms.length; i++) {
      const { off, n, w } = terms[i]!;
      const { docs, tfs } = this;
      const end = off + n;
      if (n <= 16 * cands.length) {
        for (let j = off; j < end; j++) {
          const d = docs[j]!;
          if (acc[d] === 0 || !alive[d]) continue;
          const tf = tfs[j]!;
          acc[d]! += (w * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * dl[d]!) / avgdl));
        }
      } else {
        if (!sorted) {
          cands.sort();
          sorted = true;
        }
        let pos = off;
        for (let c = 0; c < cands.length; c++) {
          const d = cands[c]!;
          pos = gallop(docs, end, pos, d);
          if (pos >= end) break;
          if (docs[pos] === d && alive[d]) {
            const tf = tfs[pos]!;
            acc[d]! += (w * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * dl[d]!) / avgdl));
          }
        }
      }
      // Candidates that can no longer reach θ leave; θ itself only rises.
      if (cands.length > 4 * this.k && i + 1 < terms.length) {
        theta = Math.max(theta, this.theta(cands));
        cands = this.keep(cands, this.rest[i + 1]!, theta);
      }
    }
    return cands;
  }

  /** Documents whose score plus what is left can reach θ, in the given order; the rest are reset and marked out. */
  private keep(docs: ArrayLike<number>, left: number, theta: number): Int32Array {
    const acc = this.acc;
    const out = new Int32Array(docs.length);
    let n = 0;
    for (let c = 0; c < docs.length; c++) {
      const d = docs[c]!;
      if (acc[d]! + left >= theta) out[n++] = d;
      else acc[d] = 0;
    }
    return out.subarray(0, n);
  }
}

/** The first position in [from, n) whose document is ≥ d (n if none): exponential steps, then binary search. */
function gallop(docs: Int32Array, n: number, from: number, d: number): number {
  if (from >= n || docs[from]! >= d) return from;
  let lo = from;
  let step = 1;
  let hi = from + 1;
  while (hi < n && docs[hi]! < d) {
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  if (hi > n) hi = n;
  lo++;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (docs[mid]! < d) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Keeps the k best (doc, raw) pairs: a min-heap on raw; equal scores go to the lower document number. */
class TopK {
  private items: Scored[] = [];
  constructor(private readonly k: number) {}
  get full(): boolean {
    return this.items.length >= this.k;
  }
  /** The worst score kept (meaningful when full). */
  get min(): number {
    return this.items[0]?.raw ?? -Infinity;
  }
  offer(doc: number, raw: number): void {
    const h = this.items;
    if (h.length < this.k) {
      h.push({ doc, raw });
      let i = h.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(h[i]!, h[p]!)) break;
        [h[p], h[i]] = [h[i]!, h[p]!];
        i = p;
      }
    } else if (this.k > 0 && worse(h[0]!, { doc, raw })) {
      h[0] = { doc, raw };
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && worse(h[l]!, h[m]!)) m = l;
        if (r < h.length && worse(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
  }
  sorted(): Scored[] {
    return [...this.items].sort((a, b) => b.raw - a.raw || a.doc - b.doc);
  }
}

/** a ranks below b: a lower score, or the same score and a higher document number. */
function worse(a: Scored, b: Scored): boolean {
  return a.raw < b.raw || (a.raw === b.raw && a.doc > b.doc);
}

// A BM25 inverted index over feature ids, with typed-array postings. Adds append; removals leave
// tombstones that a compaction clears, so writes never rebuild the whole index.

const K1 = 1.2;
const B = 0.75;

class Postings {
  docs = new Int32Array(4);
  tfs = new Float32Array(4);
  n = 0;
  /** Bounds for pruning; removals leave them loose, never wrong. */
  maxTf = 0;
  minDl = Infinity;
  push(doc: number, tf: number, dl: number): void {
    if (tf > this.maxTf) this.maxTf = tf;
    if (dl < this.minDl) this.minDl = dl;
    if (this.n === this.docs.length) {
      const d = new Int32Array(this.n * 2);
      d.set(this.docs);
      this.docs = d;
      const t = new Float32Array(this.n * 2);
      t.set(this.tfs);
      this.tfs = t;
    }
    this.docs[this.n] = doc;
    this.tfs[this.n] = tf;
    this.n++;
  }
}

export interface Scored { doc: number; raw: number }

/** Top-k pruning on by default; tests and the benchmark switch it off to compare with a full pass. */
let pruning = true;
export function setPruning(on: boolean): void {
  pruning = on;
}

export class InvertedIndex {
  private featureIds = new Map<string, number>();
  private postings: Postings[] = [];
  private df: number[] = [];
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
    const p = this.postings[id]!;
    const at = gallop(p.docs, p.n, 0, doc);
    return at < p.n && p.docs[at] === doc;
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
        id = this.postings.length;
        this.featureIds.set(f, id);
        this.postings.push(new Postings());
        this.df.push(0);
      }
      this.postings[id]!.push(doc, tf, length);
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
    for (const p of this.postings) {
      let w = 0;
      for (let r = 0; r < p.n; r++) {
        const d = p.docs[r]!;
        if (this.alive[d]) {
          p.docs[w] = d;
          p.tfs[w] = p.tfs[r]!;
          w++;
        }
      }
      p.n = w;
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
      const p = this.postings[id!]!;
      const w = qw * idf;
      if (!(w > 0)) continue;
      // The most one posting can add: BM25 grows with tf and shrinks with length. The margin
      // covers rounding, so a bound never cuts a document that could reach the top k.
      const ub = ((w * p.maxTf * (K1 + 1)) / (p.maxTf + K1 * (1 - B + (B * p.minDl) / avgdl))) * (1 + 1e-9);
      terms.push({ p, w, ub });
    }
    // Strongest terms first, so the bound on what untouched documents could still score falls fast.
    terms.sort((x, y) => y.ub - x.ub);
    const hits = new Scan(this, terms, avgdl, k, accept, prune).run();
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

interface Term { p: Postings; w: number; ub: number }

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
  private touched: number[] = [];
  /** Sum of the bounds of terms i… */
  private readonly rest: Float64Array;
  /** Postings in terms i… (what a cut-off before term i would save). */
  private readonly restPostings: Float64Array;

  constructor(ix: InvertedIndex, private readonly terms: Term[], private readonly avgdl: number, private readonly k: number, private readonly accept: ((doc: number) => boolean) | undefined, private readonly prune: boolean) {
    this.acc = ix.acc;
    this.verdict = ix.verdict;
    this.dl = ix.docLengths;
    this.alive = ix.liveFlags;
    this.rest = new Float64Array(terms.length + 1);
    this.restPostings = new Float64Array(terms.length + 1);
    for (let i = terms.length - 1; i >= 0; i--) {
      this.rest[i] = (this.rest[i + 1]! + terms[i]!.ub) * (1 + 1e-12);
      this.restPostings[i] = this.restPostings[i + 1]! + terms[i]!.p.n;
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
      const { p, w } = terms[i]!;
      const docs = p.docs;
      const tfs = p.tfs;
      for (let j = 0; j < p.n; j++) {
        const d = docs[j]!;
        if (!alive[d]) continue;
        const tf = tfs[j]!;
        const s = (w * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * dl[d]!) / avgdl));
        if (acc[d] === 0) touched.push(d);
        acc[d]! += s;
      }
      sinceTheta += p.n;
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
      const { p, w } = terms[i]!;
      const docs = p.docs;
      const tfs = p.tfs;
      const n = p.n;
      if (n <= 16 * cands.length) {
        for (let j = 0; j < n; j++) {
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
        let pos = 0;
        for (let c = 0; c < cands.length; c++) {
          const d = cands[c]!;
          pos = gallop(docs, n, pos, d);
          if (pos >= n) break;
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

/** The first position ≥ from whose document is ≥ d (n if none): exponential steps, then binary search. */
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

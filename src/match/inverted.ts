// A BM25 inverted index over feature ids, with typed-array postings. Adds append; removals leave
// tombstones that a compaction clears, so writes never rebuild the whole index.

const K1 = 1.2;
const B = 0.75;

class Postings {
  docs = new Int32Array(4);
  tfs = new Float32Array(4);
  n = 0;
  push(doc: number, tf: number): void {
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
  private acc = new Float64Array(1024);

  get size(): number {
    return this.liveCount;
  }

  /** Document frequency of a feature among live documents. */
  docFreq(feature: string): number {
    const id = this.featureIds.get(feature);
    return id === undefined ? 0 : this.df[id]!;
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
      this.postings[id]!.push(doc, tf);
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
   */
  search(query: ReadonlyMap<string, number>, k: number, accept?: (doc: number) => boolean, maxDfShare = 0.2): { hits: Scored[]; self: number } {
    let r = this.run(query, k, accept, maxDfShare);
    // A query made only of very common features ("燃料电池" in a fuel-cell directory) still gets answers.
    if (r.hits.length === 0 && r.skipped) r = this.run(query, k, accept, 1);
    return { hits: r.hits, self: r.self };
  }

  private run(query: ReadonlyMap<string, number>, k: number, accept: ((doc: number) => boolean) | undefined, maxDfShare: number): { hits: Scored[]; self: number; skipped: boolean } {
    if (this.acc.length < this.docCount) this.acc = new Float64Array(Math.max(this.docCount, this.acc.length * 2));
    const acc = this.acc;
    const touched: number[] = [];
    const avgdl = this.liveCount ? this.totalLen / this.liveCount : 1;
    const big = this.liveCount >= 2000;
    let self = 0;
    let skipped = false;
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
      for (let i = 0; i < p.n; i++) {
        const d = p.docs[i]!;
        if (!this.alive[d]) continue;
        const tf = p.tfs[i]!;
        const s = (w * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * this.dl[d]!) / avgdl));
        if (acc[d] === 0) touched.push(d);
        acc[d]! += s;
      }
    }
    const heap = new TopK(k);
    for (const d of touched) {
      const raw = acc[d]!;
      acc[d] = 0;
      if (accept && !accept(d)) continue;
      heap.offer(d, raw);
    }
    return { hits: heap.sorted(), self, skipped };
  }
}

/** Keeps the k best (doc, raw) pairs: a min-heap on raw. */
class TopK {
  private items: Scored[] = [];
  constructor(private readonly k: number) {}
  offer(doc: number, raw: number): void {
    const h = this.items;
    if (h.length < this.k) {
      h.push({ doc, raw });
      let i = h.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (h[p]!.raw <= h[i]!.raw) break;
        [h[p], h[i]] = [h[i]!, h[p]!];
        i = p;
      }
    } else if (raw > h[0]!.raw) {
      h[0] = { doc, raw };
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]!.raw < h[m]!.raw) m = l;
        if (r < h.length && h[r]!.raw < h[m]!.raw) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
  }
  sorted(): Scored[] {
    return [...this.items].sort((a, b) => b.raw - a.raw);
  }
}

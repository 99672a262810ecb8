// A BM25 inverted index over feature ids, with typed-array postings. Adds append; removals leave
// tombstones that a compaction clears, so writes never rebuild the whole index.

import { Names, type NamesState } from './names.ts';

const K1 = 1.2;
const B = 0.75;

/** Slots per chunk of the postings store (16 MB of documents and 16 MB of frequencies). */
const CHUNK = 1 << 22;

/**
 * Every feature's postings in shared chunks of two typed arrays (documents, term frequencies): one
 * contiguous segment per feature, in document order, and no object or typed array per feature (only
 * the few longest lists get arrays of their own). A full segment moves to the current chunk with half
 * as much room again; a chunk whose left-behind space passes three quarters of it is rewritten. No step copies
 * more than one chunk, so an add never stalls the event loop for long.
 */
class Arena {
  /** A feature's postings longer than this get arrays of their own. */
  private readonly big: number;
  constructor(private readonly chunk: number) {
    this.big = chunk >> 2;
  }

  /** Array pairs: chunks and big features' own; `null` once freed. */
  docs: (Int32Array | null)[] = [];
  tfs: (Float32Array | null)[] = [];
  /** Per pair: slots handed out (chunks), left-behind slots, and whether it is a chunk. */
  private top: number[] = [];
  private waste: number[] = [];
  private isChunk: boolean[] = [];

  /** Slots per storage chunk (a snapshot packs segments in pairs no larger). */
  get chunkSlots(): number {
    return this.chunk;
  }

  /**
   * Takes a snapshot's pairs as they are (views on its buffers, not copies): full, so later moves go to
   * new chunks; a pair holding several features counts as a chunk (left-behind space is rewritten).
   */
  adopt(pairs: { docs: Int32Array; tfs: Float32Array; shared: boolean }[], f: { pair: I32; off: I32; n: I32; maxTf: F64; minDl: F64 }): void {
    for (const p of pairs) {
      const i = this.docs.length;
      this.docs[i] = p.docs;
      this.tfs[i] = p.tfs;
      this.top[i] = p.docs.length;
      this.waste[i] = 0;
      this.isChunk[i] = p.shared;
    }
    const count = f.n.length;
    if (count === 0) return;
    this.pair = f.pair;
    this.off = f.off;
    this.n = f.n;
    this.cap = f.n.slice();
    this.maxTf = f.maxTf;
    this.minDl = f.minDl;
    this.count = count;
  }
  private freePairs: number[] = [];
  private current = -1;
  /** Chunks rewritten with room at their end, to fill before a new chunk is made. */
  private open: number[] = [];

  /** Per feature: its pair, segment offset, room and length. */
  pair = new Int32Array(1024);
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
      this.pair = grow(this.pair, size);
      this.off = grow(this.off, size);
      this.cap = grow(this.cap, size);
      this.n = grow(this.n, size);
      this.maxTf = grow(this.maxTf, size);
      this.minDl = grow(this.minDl, size);
    }
    this.pair[id] = -1;
    this.minDl[id] = Infinity;
    return id;
  }

  push(id: number, doc: number, tf: number, dl: number): void {
    if (tf > this.maxTf[id]!) this.maxTf[id] = tf;
    if (dl < this.minDl[id]!) this.minDl[id] = dl;
    const n = this.n[id]!;
    // Half as much room again when full.
    if (n === this.cap[id]!) this.move(id, n + Math.max(1, n >> 1));
    const p = this.pair[id]!;
    this.docs[p]![this.off[id]! + n] = doc;
    this.tfs[p]![this.off[id]! + n] = tf;
    this.n[id] = n + 1;
  }

  private newPair(size: number, chunk: boolean): number {
    const p = this.freePairs.pop() ?? this.docs.length;
    this.docs[p] = new Int32Array(size);
    this.tfs[p] = new Float32Array(size);
    this.top[p] = 0;
    this.waste[p] = 0;
    this.isChunk[p] = chunk;
    return p;
  }

  private freePair(p: number): void {
    this.docs[p] = null;
    this.tfs[p] = null;
    this.freePairs.push(p);
  }

  /** A place for `cap` slots: the current chunk, else a rewritten one with room, else a new chunk. */
  private place(cap: number): number {
    while (this.current < 0 || this.top[this.current]! + cap > this.chunk) {
      const c = this.open.pop();
      this.current = c ?? this.newPair(this.chunk, true);
    }
    return this.current;
  }

  private move(id: number, cap: number): void {
    const from = this.pair[id]!;
    const at = this.off[id]!;
    const n = this.n[id]!;
    let to: number;
    let off = 0;
    if (cap > this.big) to = this.newPair(cap, false);
    else {
      to = this.place(cap);
      off = this.top[to]!;
      this.top[to] = off + cap;
    }
    if (from >= 0) {
      copy(this.docs[from]!, this.tfs[from]!, at, n, this.docs[to]!, this.tfs[to]!, off);
      if (!this.isChunk[from]) this.freePair(from);
      else this.waste[from]! += this.cap[id]!;
    }
    this.pair[id] = to;
    this.off[id] = off;
    this.cap[id] = cap;
    if (from >= 0 && this.isChunk[from] && from !== this.current && this.waste[from]! > this.chunk * 0.75) this.rewrite(from);
  }

  /** A chunk's segments copied back to back into a fresh chunk (room at its end for later moves). */
  private rewrite(c: number): void {
    const docs = new Int32Array(this.chunk);
    const tfs = new Float32Array(this.chunk);
    const oldDocs = this.docs[c]!;
    const oldTfs = this.tfs[c]!;
    const pair = this.pair;
    let at = 0;
    for (let id = 0; id < this.count; id++) {
      if (pair[id] !== c) continue;
      const from = this.off[id]!;
      const n = this.n[id]!;
      copy(oldDocs, oldTfs, from, n, docs, tfs, at);
      this.off[id] = at;
      at += this.cap[id]!;
    }
    this.docs[c] = docs;
    this.tfs[c] = tfs;
    this.top[c] = at;
    this.waste[c] = 0;
    this.open.push(c);
  }
}

/** Copies a segment; short ones by hand (a subarray per segment would cost more than the copy). */
function copy(docs: Int32Array, tfs: Float32Array, from: number, n: number, toDocs: Int32Array, toTfs: Float32Array, at: number): void {
  if (n > 64) {
    toDocs.set(docs.subarray(from, from + n), at);
    toTfs.set(tfs.subarray(from, from + n), at);
    return;
  }
  for (let i = 0; i < n; i++) {
    toDocs[at + i] = docs[from + i]!;
    toTfs[at + i] = tfs[from + i]!;
  }
}

function grow<T extends Int32Array | Float64Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(Math.max(size, 1024));
  b.set(a);
  return b;
}

export type { Arena };
/** Arrays on a plain ArrayBuffer (a snapshot's views included). */
export type I32 = Int32Array<ArrayBuffer>;
export type F64 = Float64Array<ArrayBuffer>;

export interface IndexState {
  docCount: number;
  liveCount: number;
  totalLen: number;
  dead: number;
  features: Features;
  df: I32;
  dl: F64;
  alive: Uint8Array<ArrayBuffer>;
}

export interface Scored { doc: number; raw: number }

/** Top-k pruning on by default; tests and the benchmark switch it off to compare with a full pass. */
let pruning = true;
export function setPruning(on: boolean): void {
  pruning = on;
}

/**
 * Feature numbers of character bigrams ("b:" and two code units) by those two code units: open
 * addressing on typed arrays, so the look-ups a query makes by the hundred (typo correction, the
 * search, every reason) hash no string and miss the cache less than the Map of all features.
 */
class Pairs {
  private keys: Int32Array;
  private vals: Int32Array;
  size = 0;

  /** Room for `expected` bigrams without growing (a snapshot knows how many it holds). */
  constructor(expected = 0) {
    let n = 1 << 10;
    while (3 * n < 4 * expected) n *= 2;
    this.keys = new Int32Array(n);
    this.vals = new Int32Array(n);
  }

  /** A snapshot's table as it was (views, not copies); `size` keys in use. */
  static of(keys: I32, vals: I32, size: number): Pairs {
    const p = new Pairs();
    p.keys = keys;
    p.vals = vals;
    p.size = size;
    return p;
  }

  /** The table's arrays as they stand (a snapshot copies them). */
  state(): { keys: Int32Array; vals: Int32Array; size: number } {
    return { keys: this.keys, vals: this.vals, size: this.size };
  }

  /** The key of a bigram feature's name (0: not one). */
  static key(f: string): number {
    return f.length === 4 && f.charCodeAt(0) === 98 && f.charCodeAt(1) === 58 ? (f.charCodeAt(2) << 16) | f.charCodeAt(3) || 0 : 0;
  }

  private slot(key: number): number {
    const mask = this.keys.length - 1;
    // The product's high bits: its low ones would depend on the second character's low bits alone.
    let i = Math.imul(key, 0x9e3779b1) >>> Math.clz32(mask);
    while (this.keys[i] !== 0 && this.keys[i] !== key) i = (i + 1) & mask;
    return i;
  }

  get(key: number): number {
    const i = this.slot(key);
    return this.keys[i] === key ? this.vals[i]! : -1;
  }

  set(key: number, id: number): void {
    // Up to three quarters full: nearly every feature of a wide directory is a bigram, so the table's size counts.
    if (4 * (this.size + 1) > 3 * this.keys.length) {
      const keys = this.keys;
      const vals = this.vals;
      this.keys = new Int32Array(keys.length * 2);
      this.vals = new Int32Array(keys.length * 2);
      // put() counts them again (the count used to double on every growth, growing the table early).
      this.size = 0;
      for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.put(keys[i]!, vals[i]!);
    }
    this.put(key, id);
  }

  /** Room for `extra` more keys without growing (a snapshot leaves room, so adds after a load rarely rehash). */
  reserve(extra: number): void {
    if (4 * (this.size + extra) <= 3 * this.keys.length) return;
    let n = this.keys.length;
    while (4 * (this.size + extra) > 3 * n) n *= 2;
    const keys = this.keys;
    const vals = this.vals;
    this.keys = new Int32Array(n);
    this.vals = new Int32Array(n);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.put(keys[i]!, vals[i]!);
  }

  private put(key: number, id: number): void {
    const i = this.slot(key);
    if (this.keys[i] === 0) this.size++;
    this.keys[i] = key;
    this.vals[i] = id;
  }

  /** Each bigram's key at its feature number (`out` left 0 elsewhere). */
  keysById(out: Int32Array): void {
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] !== 0) out[this.vals[i]!] = this.keys[i]!;
  }
}

/**
 * Feature names → numbers. Character bigrams (~93 % of a wide directory's features) live in the typed
 * table alone, by their two code units; the other features in a typed-array table of their own (names.ts).
 * Neither keeps a string or a Map entry per feature, so a snapshot stores both tables as they are and a
 * load views them (no Map to build on the main thread).
 */
export class Features {
  /** `expected`: how many bigrams are coming (the table is sized once for them). */
  constructor(expected = 0, private readonly pairs = new Pairs(expected), private readonly others = new Names()) {}

  /** Tables as a snapshot stored them (views, not copies). */
  static of(pairs: { keys: I32; vals: I32; size: number }, others: NamesState): Features {
    return new Features(0, Pairs.of(pairs.keys, pairs.vals, pairs.size), new Names(others));
  }

  /** Both tables' arrays as they stand (snapshot.ts copies them). */
  state(): { pairs: { keys: Int32Array; vals: Int32Array; size: number }; others: Readonly<NamesState> } {
    return { pairs: this.pairs.state(), others: this.others.state() };
  }

  get size(): number {
    return this.others.size + this.pairs.size;
  }

  /** Room for an eighth more of each table (a snapshot's, so that adds after a load rarely grow one). */
  reserve(): void {
    this.pairs.reserve(Math.max(4096, this.pairs.size >> 3));
    this.others.reserve(Math.max(1024, this.others.size >> 3));
  }

  /** The number of the bigram of code units a, b (as get('b:' + a + b); -1: none). */
  pair(a: number, b: number): number {
    const key = (a << 16) | b;
    return key !== 0 ? this.pairs.get(key) : this.get('b:' + String.fromCharCode(a, b));
  }

  /** The feature's number (-1: none). */
  get(f: string): number {
    const key = Pairs.key(f);
    return key !== 0 ? this.pairs.get(key) : this.others.get(f);
  }

  set(f: string, id: number): void {
    const key = Pairs.key(f);
    if (key !== 0) this.pairs.set(key, id);
    else this.others.set(f, id);
  }

  /** The names of features 0…count − 1 in order (tests). */
  *names(count: number): Generator<string> {
    const keys = new Int32Array(count);
    this.pairs.keysById(keys);
    const other = new Int32Array(count).fill(-1);
    const ids = this.others.state().ids;
    for (let e = 0; e < this.others.size; e++) other[ids[e]!] = e;
    for (let id = 0; id < count; id++) {
      const k = keys[id]!;
      if (k !== 0) yield `b:${String.fromCharCode(k >>> 16, k & 0xffff)}`;
      else if (other[id]! >= 0) yield this.others.nameAt(other[id]!);
      else throw new Error(`feature ${id} has no name`);
    }
  }
}

export class InvertedIndex {
  private features = new Features();
  /** Read by snapshot.ts (which writes and loads the index whole); nothing else touches it. */
  readonly arena: Arena;
  /** `chunkSlots`: postings per storage chunk (tests make it small to exercise moves and rewrites). */
  constructor(opts: { chunkSlots?: number } = {}) {
    this.arena = new Arena(opts.chunkSlots ?? CHUNK);
  }

  private df = new Int32Array(1024);
  private dl = new Float64Array(1024);
  private alive = new Uint8Array(1024);
  private docCount = 0;
  private liveCount = 0;
  private totalLen = 0;
  private dead = 0;

  /** Everything but the postings, for snapshot.ts. */
  state(): IndexState {
    const n = this.docCount;
    const count = this.arena.count;
    return {
      docCount: n, liveCount: this.liveCount, totalLen: this.totalLen, dead: this.dead,
      features: this.features, df: this.df.subarray(0, count), dl: this.dl.subarray(0, n), alive: this.alive.subarray(0, n),
    };
  }

  /** Into an empty index: a snapshot's state (its arrays are kept, not copied) and its features' numbers. */
  adopt(s: Omit<IndexState, 'features'>, names: Features): void {
    this.docCount = s.docCount;
    this.liveCount = s.liveCount;
    this.totalLen = s.totalLen;
    this.dead = s.dead;
    this.features = names;
    if (s.df.length) this.df = s.df;
    if (s.docCount) {
      this.dl = s.dl;
      this.alive = s.alive;
    }
  }

  get size(): number {
    return this.liveCount;
  }

  /** Document frequency of a feature among live documents. */
  docFreq(feature: string): number {
    const id = this.idOf(feature);
    return id < 0 ? 0 : this.df[id]!;
  }

  /** The feature's number in this index (-1: never indexed). */
  idOf(feature: string): number {
    return this.features.get(feature);
  }

  /** idOf of the character bigram of code units a, b. */
  pairIdOf(a: number, b: number): number {
    return this.features.pair(a, b);
  }

  /** Whether idOf answers this feature from the bigram table (no Map look-up: not worth remembering per query). */
  static isPair(feature: string): boolean {
    return Pairs.key(feature) !== 0;
  }

  /** Document frequency by feature number (idOf; -1: 0). */
  dfOf(id: number): number {
    return id < 0 ? 0 : this.df[id]!;
  }

  /** Whether a document holds a feature (binary search in its postings, which are in document order). */
  holds(doc: number, feature: string): boolean {
    return this.holdsId(doc, this.idOf(feature));
  }

  /** holds, by feature number (a query resolves its features once, not once per suggestion). */
  holdsId(doc: number, id: number): boolean {
    if (id < 0) return false;
    const a = this.arena;
    const p = a.pair[id]!;
    if (p < 0) return false;
    const docs = a.docs[p]!;
    const from = a.off[id]!;
    const end = from + a.n[id]!;
    const at = gallop(docs, end, from, doc);
    return at < end && docs[at] === doc;
  }

  /** What one query feature of weight `qw` adds to a document's BM25 score (0 when it lacks the feature). */
  termScore(doc: number, feature: string, qw: number): number {
    return this.termScoreId(doc, this.idOf(feature), qw);
  }

  /** termScore, by feature number. */
  termScoreId(doc: number, id: number, qw: number): number {
    return id < 0 ? 0 : this.termScoreW(doc, id, this.weightOf(id, qw));
  }

  /** A feature's weight in BM25 for query weight qw (qw · idf): termScoreW's `w`, worked out once per query. */
  weightOf(id: number, qw: number): number {
    return qw * this.idf(this.df[id]!);
  }

  /** termScoreId with the feature's weight given (weightOf: the same expression, so the same bits). */
  termScoreW(doc: number, id: number, w: number): number {
    if (id < 0 || !this.alive[doc]) return 0;
    const a = this.arena;
    const p = a.pair[id]!;
    if (p < 0) return 0;
    const docs = a.docs[p]!;
    const from = a.off[id]!;
    const end = from + a.n[id]!;
    const at = gallop(docs, end, from, doc);
    if (at >= end || docs[at] !== doc) return 0;
    const tf = a.tfs[p]![at]!;
    const avgdl = this.liveCount ? this.totalLen / this.liveCount : 1;
    return (w * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * this.dl[doc]!) / avgdl));
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
      let id = this.features.get(f);
      if (id < 0) {
        id = this.arena.feature();
        this.features.set(f, id);
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
      const id = this.features.get(f);
      if (id >= 0) this.df[id]!--;
    }
    if (this.dead > 1000 && this.dead > this.liveCount / 4) this.compact();
  }

  private grow(size: number): void {
    size = Math.max(size, 1024);
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
      const p = a.pair[id]!;
      if (p < 0) continue;
      const docs = a.docs[p]!;
      const tfs = a.tfs[p]!;
      const off = a.off[id]!;
      const n = a.n[id]!;
      let w = off;
      for (let r = off; r < off + n; r++) {
        const d = docs[r]!;
        if (this.alive[d]) {
          docs[w] = d;
          tfs[w] = tfs[r]!;
          w++;
        }
      }
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
  search(query: ReadonlyMap<string, number>, k: number, accept?: (doc: number) => boolean, maxDfShare = 0.2, prune: boolean = pruning, idOf?: (feature: string) => number, ids?: ArrayLike<number>): { hits: Scored[]; self: number } {
    let r = this.run(query, k, accept, maxDfShare, prune, idOf, ids);
    // A query made only of very common features ("燃料电池" in a fuel-cell directory) still gets answers.
    if (r.hits.length === 0 && r.skipped) r = this.run(query, k, accept, 1, prune, idOf, ids);
    return { hits: r.hits, self: r.self };
  }

  /** `ids`: the query's feature numbers in its order, when the caller looked them up already (else `idOf`). */
  private run(query: ReadonlyMap<string, number>, k: number, accept: ((doc: number) => boolean) | undefined, maxDfShare: number, prune: boolean, idOf?: (feature: string) => number, ids?: ArrayLike<number>): { hits: Scored[]; self: number; skipped: boolean } {
    const avgdl = this.liveCount ? this.totalLen / this.liveCount : 1;
    this.prepare(avgdl);
    const big = this.liveCount >= 2000;
    let self = 0;
    let skipped = false;
    const terms: Term[] = [];
    let i = 0;
    for (const [f, qw] of query) {
      const id = ids ? ids[i++]! : idOf ? idOf(f) : this.idOf(f);
      const df = id < 0 ? 0 : this.df[id]!;
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
      // The most one posting can add (BM25 grows with tf and shrinks with length): it orders the sum.
      const maxTf = a.maxTf[id]!;
      const ub = ((w * maxTf * (K1 + 1)) / (maxTf + K1 * (1 - B + (B * a.minDl[id]!) / avgdl))) * (1 + 1e-9);
      const p = a.pair[id]!;
      terms.push({ docs: a.docs[p]!, tfs: a.tfs[p]!, off: a.off[id]!, n: a.n[id]!, w, ub });
    }
    // Strongest terms first: the order every score has been summed in since top-k pruning used it, so scores keep their bits.
    terms.sort((x, y) => y.ub - x.ub);
    const hits = prune ? scan(this, terms, k, accept) : fullPass(this, terms, k, accept);
    return { hits, self, skipped };
  }

  /**
   * Scratch space shared by searches (one at a time: the event loop is single-threaded), two slots a
   * document side by side: its score during a search (0 between searches) and its length norm
   * K1·(1 − B + B·dl/avgdl), the same expression a posting's score used to work out, so scores keep
   * every bit. A posting then reads one cache line, not three arrays.
   */
  scratch = new Float64Array(2048);
  /** The avgdl the norms were worked out for, and for how many documents. */
  private normAvgdl = NaN;
  private normDocs = 0;
  get liveFlags(): Uint8Array {
    return this.alive;
  }
  /** Document numbers handed out so far (removed ones included). */
  get docSlots(): number {
    return this.docCount;
  }
  /** Whether removed documents may still sit in the postings (until a compaction clears them). */
  get tombstones(): boolean {
    return this.liveCount < this.docCount && this.dead > 0;
  }

  /** Room for every document, and norms for this avgdl (worked out again only after a change). */
  private prepare(avgdl: number): void {
    if (this.scratch.length < 2 * this.docCount) {
      const bigger = new Float64Array(Math.max(2 * this.docCount, this.scratch.length * 2));
      bigger.set(this.scratch);
      this.scratch = bigger;
    }
    if (avgdl !== this.normAvgdl) this.normDocs = 0;
    const x = this.scratch;
    const dl = this.dl;
    for (let d = this.normDocs; d < this.docCount; d++) x[2 * d + 1] = K1 * (1 - B + (B * dl[d]!) / avgdl);
    this.normAvgdl = avgdl;
    this.normDocs = this.docCount;
  }
}

/** A query feature: its postings (a segment of a chunk), weight, and the most one posting can add. */
interface Term { docs: Int32Array; tfs: Float32Array; off: number; n: number; w: number; ub: number }

/**
 * One query: every posting of every term, term after term in the order given, so that each document's
 * score is the same sum in the same order as the reference below. The k best are then picked with the
 * bound first: most documents cannot reach them, and then need no accept() look-up.
 *
 * No top-k bounds skip postings (MaxScore did until session 11; block-max bounds were measured): a /match
 * query has ~270 features whose bounds sum to over ten times the k-th best score at 100k entries, so even
 * bounds that knew the final k-th score in advance would skip under half of the postings (per block of
 * 512 documents, with each block's exact maximum), and following the rest per candidate cost more than
 * the postings skipped (docs/figures-history.md).
 */
function scan(ix: InvertedIndex, terms: readonly Term[], k: number, accept: ((doc: number) => boolean) | undefined): Scored[] {
  const x = ix.scratch;
  const alive = ix.liveFlags;
  const tombstones = ix.tombstones;
  // Removed documents left in the postings are scored too (into their own slots, which nothing else reads)
  // and left out by the pick below: no test a posting, and the same sums for every live document.
  for (const { docs, tfs, off, n, w } of terms) {
    const end = off + n;
    // Two postings a step: their loads and divisions overlap (scan and pick 0.87× of one a step at 100k,
    // each search's fastest of 9 rounds, bench/scan-replay.ts). Each slot is still added to in posting
    // order (a document appears once in a list), so every score keeps its bits.
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
  const heap = new TopK(k);
  const count = ix.docSlots;
  let d = 0;
  // A document's score is 0 (untouched) or positive (every term's weight is), so one test against a local
  // bar does both: 0 until the heap is full, then its k-th best. Documents come in ascending order, so
  // one that only ties the k-th best ranks below it. (One well-predicted branch a document, and every
  // slot cleared: the test "untouched?" came out either way at random, and cost ~40 % of this loop.)
  let bar = 0;
  try {
    for (; d < count; d++) {
      const raw = x[2 * d]!;
      x[2 * d] = 0;
      if (raw > bar && (!tombstones || alive[d] === 1) && (!accept || accept(d))) {
        heap.offer(d, raw);
        if (heap.full && heap.min > bar) bar = heap.min;
      }
    }
  } finally {
    // A throwing accept() leaves no score behind for the next search.
    for (d++; d < count; d++) x[2 * d] = 0;
  }
  return heap.sorted();
}

/** The reference the scan must equal (tests compare them): each document's sum in a Map, all of them sorted. */
function fullPass(ix: InvertedIndex, terms: readonly Term[], k: number, accept: ((doc: number) => boolean) | undefined): Scored[] {
  const x = ix.scratch;
  const alive = ix.liveFlags;
  const score = new Map<number, number>();
  for (const { docs, tfs, off, n, w } of terms) {
    for (let j = off; j < off + n; j++) {
      const d = docs[j]!;
      if (!alive[d]) continue;
      const tf = tfs[j]!;
      score.set(d, (score.get(d) ?? 0) + (w * tf * (K1 + 1)) / (tf + x[2 * d + 1]!));
    }
  }
  const all = [...score].filter(([d]) => !accept || accept(d)).map(([doc, raw]) => ({ doc, raw }));
  return all.sort((a, b) => b.raw - a.raw || a.doc - b.doc).slice(0, k);
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
  private readonly docs: Int32Array;
  private readonly raws: Float64Array;
  private size = 0;
  /** The worst score kept (meaningful when full). */
  min = -Infinity;
  constructor(private readonly k: number) {
    this.docs = new Int32Array(k);
    this.raws = new Float64Array(k);
  }
  get full(): boolean {
    return this.size >= this.k;
  }
  /** Heap slot i ranks below slot j: a lower score, or the same score and a higher document number. */
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
    if (this.k <= 0) return;
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

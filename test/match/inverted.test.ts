import { describe, expect, it } from 'vitest';
import { Features, InvertedIndex } from '../../src/match/inverted.ts';

const m = (o: Record<string, number>) => new Map(Object.entries(o));
const len = (f: Map<string, number>) => [...f.values()].reduce((s, v) => s + v, 0);
function addAll(ix: InvertedIndex, docs: Map<string, number>[]): number[] {
  return docs.map((f) => ix.add(f, len(f)));
}
const ids = (r: { hits: { doc: number }[] }) => r.hits.map((h) => h.doc);

describe('InvertedIndex', () => {
  it('adds documents, numbers them in order and counts document frequency', () => {
    const ix = new InvertedIndex();
    expect(ix.size).toBe(0);
    expect(addAll(ix, [m({ fuel: 1, cell: 1 }), m({ fuel: 2 }), m({ algae: 1 })])).toEqual([0, 1, 2]);
    expect(ix.size).toBe(3);
    expect(ix.docFreq('fuel')).toBe(2);
    expect(ix.docFreq('algae')).toBe(1);
    expect(ix.docFreq('nothing')).toBe(0);
  });

  it('bigram features are numbered from their two characters alone, and their names come back in number order', () => {
    const ix = new InvertedIndex();
    // Bigrams (CJK, the top of the BMP, Latin) among other kinds, and names that only look like bigrams.
    const names = ['b:燃料', 'c:fuel-cell', 'b:\uffff\u0001', 'w:fuel', 'b:ab', 'b:abc', 'b:', 'x:燃料', 'b:电池'];
    addAll(ix, [m(Object.fromEntries(names.slice(0, 5).map((f) => [f, 1]))), m(Object.fromEntries(names.slice(3).map((f) => [f, 2])))]);
    expect([...ix.state().features.names(names.length)]).toEqual(names);
    names.forEach((f, i) => expect(ix.idOf(f)).toBe(i));
    expect(ix.idOf('b:燃烧')).toBe(-1);
    expect(ix.idOf('燃料')).toBe(-1);
    expect(ix.docFreq('w:fuel')).toBe(2);
    // A snapshot's names, read back: the same numbers; a repeated name is one feature (its loader counts them).
    const back = new Features(names.length);
    names.forEach((f, i) => back.set(f, i));
    expect(back.size).toBe(names.length);
    names.forEach((f, i) => expect(back.get(f)).toBe(i));
    back.set('b:燃料', 99);
    expect(back.size).toBe(names.length);
    expect(back.get('b:燃料')).toBe(99);
    expect(() => [...new Features().names(1)]).toThrow(/feature 0 has no name/);
  });

  it('ranks by BM25: more occurrences first, then shorter documents, rarer terms weigh more', () => {
    const ix = new InvertedIndex();
    addAll(ix, [
      m({ fuel: 1, a: 1, b: 1, c: 1 }), // 0: one mention, long
      m({ fuel: 3, a: 1 }), // 1: three mentions
      m({ fuel: 1 }), // 2: one mention, short
      m({ algae: 1 }), // 3: no fuel
    ]);
    expect(ids(ix.search(m({ fuel: 1 }), 10))).toEqual([1, 2, 0]);
    // A rare term beats a common one.
    const ix2 = new InvertedIndex();
    addAll(ix2, [m({ common: 1 }), m({ common: 1 }), m({ common: 1, rare: 1 }), m({ common: 1 }), m({ other: 1 })]);
    const r = ix2.search(m({ common: 1, rare: 1 }), 10);
    expect(r.hits[0]!.doc).toBe(2);
    expect(ix2.idf(ix2.docFreq('rare'))).toBeGreaterThan(ix2.idf(ix2.docFreq('common')));
  });

  it('weights query features: a heavier feature decides the order', () => {
    const ix = new InvertedIndex();
    addAll(ix, [m({ x: 1 }), m({ y: 1 })]);
    expect(ids(ix.search(m({ x: 1, y: 3 }), 10))).toEqual([1, 0]);
    expect(ids(ix.search(m({ x: 3, y: 1 }), 10))).toEqual([0, 1]);
  });

  it('termScore: what each query feature adds to a document (they add up to its BM25 score); 0 for a feature it lacks', () => {
    const ix = new InvertedIndex();
    addAll(ix, [m({ fuel: 2, cell: 1, a: 1 }), m({ fuel: 1 }), m({ algae: 1 })]);
    const q = m({ fuel: 1.5, cell: 2.5, algae: 1 });
    const raw = ix.search(q, 10).hits.find((h) => h.doc === 0)!.raw;
    expect(ix.termScore(0, 'fuel', 1.5) + ix.termScore(0, 'cell', 2.5)).toBeCloseTo(raw, 9);
    expect(ix.termScore(0, 'algae', 1)).toBe(0);
    expect(ix.termScore(0, 'never-indexed', 1)).toBe(0);
    ix.remove(0, m({ fuel: 2, cell: 1, a: 1 }));
    expect(ix.termScore(0, 'fuel', 1)).toBe(0);
  });

  it('returns nothing for features it does not hold, or an empty query', () => {
    const ix = new InvertedIndex();
    addAll(ix, [m({ fuel: 1 })]);
    expect(ix.search(m({ zzz: 1 }), 10).hits).toEqual([]);
    expect(ix.search(m({}), 10)).toEqual({ hits: [], self: 0 });
    expect(new InvertedIndex().search(m({ fuel: 1 }), 10).hits).toEqual([]);
  });

  it('keeps the best k in order (the heap agrees with a full sort)', () => {
    const ix = new InvertedIndex();
    const tfs = Array.from({ length: 200 }, (_, i) => ((i * 37) % 101) + 1);
    addAll(ix, tfs.map((tf) => m({ t: tf, pad: 5 })));
    const all = ix.search(m({ t: 1 }), 1000).hits;
    expect(all).toHaveLength(200);
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.raw).toBeGreaterThanOrEqual(all[i]!.raw);
    const top = ix.search(m({ t: 1 }), 7).hits;
    expect(top).toHaveLength(7);
    expect(top.map((h) => h.raw)).toEqual(all.slice(0, 7).map((h) => h.raw));
  });

  it('remove: the document is gone and document frequencies drop; removing twice is harmless', () => {
    const ix = new InvertedIndex();
    const docs = [m({ fuel: 1, cell: 1 }), m({ fuel: 1 }), m({ algae: 1 })];
    addAll(ix, docs);
    ix.remove(0, docs[0]!);
    expect(ix.size).toBe(2);
    expect(ix.docFreq('fuel')).toBe(1);
    expect(ix.docFreq('cell')).toBe(0);
    expect(ids(ix.search(m({ fuel: 1, cell: 1 }), 10))).toEqual([1]);
    ix.remove(0, docs[0]!);
    expect(ix.size).toBe(2);
    expect(ix.docFreq('fuel')).toBe(1);
    // The failure case: a live document is still found.
    expect(ids(ix.search(m({ algae: 1 }), 10))).toEqual([2]);
  });

  it('stays right through compaction after many removals, and keeps accepting documents', () => {
    const ix = new InvertedIndex();
    const docs = Array.from({ length: 1500 }, (_, i) => m({ all: 1, [`mod7:${i % 7}`]: 1, [`id:${i}`]: 1 }));
    addAll(ix, docs);
    // 1,200 removals: more than 1,000 dead and more than a quarter of the live ones → compaction.
    for (let i = 0; i < 1200; i++) ix.remove(i, docs[i]!);
    expect(ix.size).toBe(300);
    expect(ix.docFreq('all')).toBe(300);
    const mod = ix.search(m({ 'mod7:3': 1 }), 1000).hits.map((h) => h.doc).sort((a, b) => a - b);
    const expected = Array.from({ length: 300 }, (_, j) => 1200 + j).filter((i) => i % 7 === 3);
    expect(mod).toEqual(expected);
    expect(ix.search(m({ 'id:5': 1 }), 10).hits).toEqual([]);
    expect(ids(ix.search(m({ 'id:1499': 1 }), 10))).toEqual([1499]);
    // New documents after compaction.
    const late = ix.add(m({ late: 1, 'mod7:3': 1 }), 2);
    expect(late).toBe(1500);
    expect(ids(ix.search(m({ late: 1 }), 10))).toEqual([late]);
    expect(ix.docFreq('mod7:3')).toBe(expected.length + 1);
    // Removing everything leaves an empty, working index.
    for (let i = 1200; i < 1500; i++) ix.remove(i, docs[i]!);
    ix.remove(late, m({ late: 1, 'mod7:3': 1 }));
    expect(ix.size).toBe(0);
    expect(ix.search(m({ all: 1 }), 10).hits).toEqual([]);
  });

  it('accept filters documents out without disturbing the next search', () => {
    const ix = new InvertedIndex();
    addAll(ix, [m({ x: 1 }), m({ x: 2 }), m({ x: 3 })]);
    expect(ids(ix.search(m({ x: 1 }), 10, (d) => d !== 2))).toEqual([1, 0]);
    expect(ix.search(m({ x: 1 }), 10, () => false).hits).toEqual([]);
    // The rejected documents' accumulators were reset: the next search scores them afresh.
    const a = ix.search(m({ x: 1 }), 10).hits;
    const b = ix.search(m({ x: 1 }), 10).hits;
    expect(a).toEqual(b);
    expect(a.map((h) => h.doc)).toEqual([2, 1, 0]);
    // An accept() that throws part-way leaves no score behind either.
    expect(() => ix.search(m({ x: 1 }), 10, () => { throw new Error('store gone'); })).toThrow('store gone');
    expect(ix.search(m({ x: 1 }), 10).hits).toEqual(a);
  });

  it('self score: positive for any query, at least a matching average document, half-weighted for unknown features', () => {
    const ix = new InvertedIndex();
    addAll(ix, [m({ x: 1, y: 1 }), m({ x: 1, z: 1 }), m({ w: 1, v: 1 })]);
    const known = ix.search(m({ x: 1, y: 1 }), 10);
    expect(known.self).toBeGreaterThan(0);
    // A document of average length holding every query feature once scores about the self score.
    expect(known.hits[0]!.raw).toBeLessThanOrEqual(known.self + 1e-9);
    expect(known.hits[0]!.raw).toBeGreaterThan(0.5 * known.self);
    const unknown = ix.search(m({ nope: 1 }), 10);
    expect(unknown.hits).toEqual([]);
    expect(unknown.self).toBeCloseTo(0.5 * ix.idf(0), 12);
    expect(unknown.self).toBeGreaterThan(0);
  });

  it('in a big index (2,000+) skips features held by more than maxDfShare of the documents', () => {
    const ix = new InvertedIndex();
    addAll(ix, Array.from({ length: 2000 }, (_, i) => m(i < 1000 ? (i % 200 === 0 ? { common: 1, rare: 1 } : { common: 1 }) : { other: 1 })));
    // The common feature is skipped; the rare one decides.
    expect(ids(ix.search(m({ common: 1, rare: 1 }), 10)).sort((a, b) => a - b)).toEqual([0, 200, 400, 600, 800]);
    expect(ix.search(m({ common: 1 }), 10, undefined, 0.6).hits).toHaveLength(10);
  });

  it('a query of only common features still finds something in a big index', () => {
    const ix = new InvertedIndex();
    addAll(ix, Array.from({ length: 2000 }, (_, i) => m(i < 1000 ? { common: 1 } : { other: 1 })));
    expect(ix.search(m({ common: 1 }), 10).hits.length).toBeGreaterThan(0);
  });

  it('a query feature of weight 0 never lists a document twice', () => {
    const ix = new InvertedIndex();
    addAll(ix, [m({ a: 1, b: 1 }), m({ a: 1, c: 1 })]);
    const docs = ids(ix.search(m({ b: 0, a: 0, c: 1 }), 10));
    expect(new Set(docs).size).toBe(docs.length);
  });
});

describe('InvertedIndex top-k pruning', () => {
  function rand(seed: number) {
    let s = seed >>> 0;
    return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  }
  // Zipf-like features: a few very common, many rare, as bigrams and glossary concepts are.
  function corpus(n: number, seed: number) {
    const r = rand(seed);
    const docs: Map<string, number>[] = [];
    for (let i = 0; i < n; i++) {
      const f = new Map<string, number>();
      const len = 5 + Math.floor(r() * 40);
      for (let j = 0; j < len; j++) {
        const id = `f${Math.floor(1 / (r() + 0.002)) + Math.floor(r() * 3)}`;
        f.set(id, (f.get(id) ?? 0) + 1);
      }
      docs.push(f);
    }
    return docs;
  }

  it('gives exactly the hits of a full pass, for any k, filter, removals and query', () => {
    const docs = corpus(6000, 3);
    const ix = new InvertedIndex();
    addAll(ix, docs);
    for (let i = 0; i < 6000; i += 7) ix.remove(i, docs[i]!);
    const r = rand(9);
    let pruned = 0;
    for (let q = 0; q < 300; q++) {
      const query = new Map<string, number>();
      const src = docs[Math.floor(r() * docs.length)]!;
      for (const [f, tf] of src) if (r() < 0.8) query.set(f, 0.5 + r() * 2 * Math.sqrt(tf));
      query.set(`f${Math.floor(r() * 500)}`, 1);
      const k = [1, 10, 10, 60, 200][q % 5]!;
      const accept = q % 3 === 0 ? (d: number) => d % 5 !== 0 : undefined;
      const full = ix.search(query, k, accept, 0.2, false);
      const fast = ix.search(query, k, accept, 0.2, true);
      expect(fast).toEqual(full);
      if (fast.hits.length === k) pruned++;
    }
    expect(pruned).toBeGreaterThan(100);
  });

  it('gives exactly the hits of a full pass with no removed document left (the scan\'s two-postings-a-step loop), odd and even list lengths', () => {
    const docs = corpus(4000, 5);
    const ix = new InvertedIndex();
    addAll(ix, docs);
    const r = rand(11);
    const lengths = new Set<number>();
    for (let q = 0; q < 200; q++) {
      // After 100 queries, 1,001 removals: the last one compacts, so the postings are whole again, no tombstone.
      if (q === 100) for (let i = 0; i < 3003; i += 3) ix.remove(i, docs[i]!);
      if (q === 100) expect(ix.tombstones).toBe(false);
      const query = new Map<string, number>();
      const src = docs[Math.floor(r() * docs.length)]!;
      for (const [f, tf] of src) if (r() < 0.8) query.set(f, 0.5 + r() * 2 * Math.sqrt(tf));
      for (const f of query.keys()) lengths.add(ix.docFreq(f) % 2);
      const k = [1, 10, 60][q % 3]!;
      expect(ix.search(query, k, undefined, 0.2, true)).toEqual(ix.search(query, k, undefined, 0.2, false));
    }
    expect([...lengths].sort()).toEqual([0, 1]);
  });

  it('a removed document still in the postings (scored into its own slot) is never a hit, and leaves nothing for the next search', () => {
    const ix = new InvertedIndex();
    const docs = [m({ a: 5, b: 5 }), m({ a: 1 }), m({ b: 1 }), m({ c: 1 })];
    addAll(ix, docs);
    ix.remove(0, docs[0]!);
    expect(ix.tombstones).toBe(true);
    for (const prune of [true, false]) {
      // Doc 0 would be the best of both (before its removal): neither path lists it, with or without accept.
      expect(ids(ix.search(m({ a: 1, b: 1 }), 3, undefined, 1, prune))).toEqual([1, 2]);
      expect(ids(ix.search(m({ a: 1, b: 1 }), 1, () => true, 1, prune))).toEqual([1]);
      expect(ix.search(m({ c: 1 }), 3, undefined, 1, prune).hits.map((h) => h.doc)).toEqual([3]);
    }
    expect(ix.scratch.filter((v, i) => i % 2 === 0 && v !== 0)).toHaveLength(0);
  });

  it('equal scores keep the lower document number, whatever the path (the failure case a tie could cause)', () => {
    const ix = new InvertedIndex();
    addAll(ix, Array.from({ length: 3000 }, (_, i) => m(i % 10 === 0 ? { x: 1, y: 1 } : { x: 1, z: 1 })));
    for (const prune of [true, false]) {
      const hits = ix.search(m({ x: 1, y: 1 }), 5, (d) => d !== 0, 1, prune).hits;
      expect(hits.map((h) => h.doc)).toEqual([10, 20, 30, 40, 50]);
    }
  });

  it('postings stay whole through moves, chunk rewrites and arrays of their own (holds: every pair, and no other)', () => {
    // Small chunks: segments move between chunks, chunks are rewritten, long lists get their own arrays.
    const ix = new InvertedIndex({ chunkSlots: 256 });
    const big = new InvertedIndex();
    const r = rand(5);
    // Many features growing at different rates: segments move often and the arena repacks.
    const docs = Array.from({ length: 4000 }, (_, i) => {
      const f = new Map<string, number>();
      for (let j = 0; j < 12; j++) f.set(`g${Math.floor(r() * (j < 4 ? 20 : 20000))}`, 1 + (j % 3));
      f.set(`d${i}`, 1);
      return f;
    });
    addAll(ix, docs);
    addAll(big, docs);
    for (let i = 0; i < docs.length; i += 5) {
      ix.remove(i, docs[i]!);
      big.remove(i, docs[i]!);
    }
    for (let q = 0; q < 40; q++) {
      const query = new Map([...docs[q * 97]!].slice(0, 6));
      expect(ix.search(query, 10)).toEqual(big.search(query, 10));
    }
    for (let d = 1; d < docs.length; d += 97) {
      for (const f of docs[d]!.keys()) expect(ix.holds(d, f)).toBe(true);
      expect(ix.holds(d, `d${d + 1}`)).toBe(false);
      expect(ix.holds(d, 'never')).toBe(false);
    }
    expect(ix.docFreq('d17')).toBe(1);
    const top = ix.search(m({ d17: 1 }), 3).hits;
    expect(top.map((h) => h.doc)).toEqual([17]);
  });
});

// The has/says look-ups of real /match explanations (feature number, document), captured at a size and
// replayed through variants of the posting-list test, per query, alternating order. Answers must agree.
//   node --max-old-space-size=6144 --expose-gc --import tsx bench/holds-replay.ts 100000 300 7
// Session 15 (100k, 200 queries, 5 rounds, 614 look-ups a query, caches evicted before each variant), sum of
// each query's fastest round against `now` (gallop from the list's start): plain binary search 1.067, without
// a branch 0.989, one pass per feature over the sorted documents 1.58 (galloping) and 1.46 (binary steps).
// The look-ups are cache misses: fewer comparisons do not show, and a per-query memo adds Map traffic.
// (Without eviction, whichever variant ran first paid every miss: binary search then looked 0.5×.)
import { docsOf, pickQueries } from './engines.ts';
import { Engine } from '../src/match/engine.ts';
import type { InvertedIndex } from '../src/match/inverted.ts';

const [sizeArg = '20000', qArg = '300', roundsArg = '7'] = process.argv.slice(2);
const docs = docsOf(Number(sizeArg));
const e = new Engine(docs);
for (const d of pickQueries(docs, 20, 7)) e.matchEntry(d.type, d.record.id, { top: 10 });
type Ask = { id: number; doc: number };
let log: Ask[] | undefined;
let inv: InvertedIndex | undefined;
const built = Engine.prototype.explainInput;
Engine.prototype.explainInput = function (this: InstanceType<typeof Engine>, ...args: Parameters<typeof built>) {
  const x = built.apply(this, args);
  const [, , , info, , t, , idOf] = args;
  inv = t.inv;
  const s = x.target;
  x.target = { ...s, has: (f) => (log?.push({ id: idOf(f), doc: info.doc }), s.has(f)), says: (f) => (log?.push({ id: idOf(f), doc: info.doc }), s.says(f)) };
  return x;
};
const groups: Ask[][] = [];
for (const d of pickQueries(docs, Number(qArg))) {
  log = [];
  e.matchEntry(d.type, d.record.id, { top: 10 });
  groups.push(log);
}
log = undefined;
const a = inv!.arena;

function gallop(docs: Int32Array, n: number, from: number, d: number): number {
  if (from >= n || docs[from]! >= d) return from;
  let lo = from;
  let step = 1;
  let hi = from + 1;
  while (hi < n && docs[hi]! < d) { lo = hi; step *= 2; hi = lo + step; }
  if (hi > n) hi = n;
  lo++;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (docs[mid]! < d) lo = mid + 1; else hi = mid; }
  return lo;
}
function lower(docs: Int32Array, lo: number, hi: number, d: number): number {
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (docs[mid]! < d) lo = mid + 1; else hi = mid; }
  return lo;
}
const now = (id: number, doc: number): boolean => {
  if (id < 0) return false;
  const p = a.pair[id]!;
  if (p < 0) return false;
  const docs = a.docs[p]!;
  const from = a.off[id]!;
  const end = from + a.n[id]!;
  const at = gallop(docs, end, from, doc);
  return at < end && docs[at] === doc;
};
const bin = (id: number, doc: number): boolean => {
  if (id < 0) return false;
  const p = a.pair[id]!;
  if (p < 0) return false;
  const docs = a.docs[p]!;
  const from = a.off[id]!;
  const end = from + a.n[id]!;
  const at = lower(docs, from, end, doc);
  return at < end && docs[at] === doc;
};
// One pass per feature over the query's explained documents (sorted), answers kept as a bit mask.
function batch(step: (docs: Int32Array, end: number, at: number, d: number) => number) {
  return (g: Ask[]) => {
    const sorted = [...new Set(g.map((x) => x.doc))].sort((x, y) => x - y);
    const bit = new Map(sorted.map((d, i) => [d, i]));
    const masks = new Map<number, number>();
    return (id: number, doc: number): boolean => {
      let m = masks.get(id);
      if (m === undefined) {
        m = 0;
        if (id >= 0 && a.pair[id]! >= 0) {
          const docs = a.docs[a.pair[id]!]!;
          let at = a.off[id]!;
          const end = at + a.n[id]!;
          for (let i = 0; i < sorted.length && at < end; i++) {
            at = step(docs, end, at, sorted[i]!);
            if (at < end && docs[at] === sorted[i]) m |= 1 << i;
          }
        }
        masks.set(id, m);
      }
      return ((m >>> bit.get(doc)!) & 1) === 1;
    };
  };
}
// No branch on the comparison (a select V8 may turn into a conditional move).
function lowerFlat(docs: Int32Array, lo: number, hi: number, d: number): number {
  let len = hi - lo;
  while (len > 1) {
    const half = len >>> 1;
    lo = docs[lo + half - 1]! < d ? lo + half : lo;
    len -= half;
  }
  return len === 1 && docs[lo]! < d ? lo + 1 : lo;
}
const flat = (id: number, doc: number): boolean => {
  if (id < 0) return false;
  const p = a.pair[id]!;
  if (p < 0) return false;
  const docs = a.docs[p]!;
  const from = a.off[id]!;
  const end = from + a.n[id]!;
  const at = lowerFlat(docs, from, end, doc);
  return at < end && docs[at] === doc;
};
const variants: Record<string, (g: Ask[]) => (id: number, doc: number) => boolean> = {
  now: () => now,
  bin: () => bin,
  flat: () => flat,
  // One pass per feature over the sorted documents (a memo of the answers): measured slower, kept for the record.
  batchGallop: batch(gallop),
  batchBin: batch((d, end, at, x) => lower(d, at, end, x)),
};
const names = Object.keys(variants);
const t: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
// Whichever variant runs first would find the lists out of cache and warm them for the rest: HOLDS_EVICT=MB
// (8 unless told) are written before each variant, so each starts as cold as the others.
const junk = new Int32Array(Number(process.env.HOLDS_EVICT ?? 8) * 2 ** 18);
let sink = 0;
function evict(): void {
  for (let i = 0; i < junk.length; i += 16) junk[i] = junk[i]! + 1;
  sink += junk[0]!;
}
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
let differ = 0;
// Each query's fastest round: its own work, without the machine's interruptions.
const best: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
for (let r = 0; r < Number(roundsArg); r++) {
  groups.forEach((g, i) => {
    if (i % 50 === 0) gc();
    const order = (i + r) % 2 ? [...names].reverse() : names;
    const outs: Record<string, number> = {};
    for (const n of order) {
      evict();
      const w = performance.now();
      const f = variants[n]!(g);
      let yes = 0;
      for (const x of g) if (f(x.id, x.doc)) yes++;
      if (r > 0) t[n]!.push(performance.now() - w);
      if (r > 0) best[n]![i] = Math.min(best[n]![i] ?? Infinity, performance.now() - w);
      outs[n] = yes;
    }
    if (new Set(Object.values(outs)).size > 1) differ++;
  });
}
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
const pct = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
if (sink < 0) console.log(sink);
console.log(`${sizeArg} entries · ${groups.length} queries · ${(sum(groups.map((g) => g.length)) / groups.length).toFixed(0)} look-ups a query · answers differ in ${differ}`);
for (const n of names) console.log(`${n}: µs a query mean ${((1000 * sum(t[n]!)) / t[n]!.length).toFixed(1)} p50 ${(1000 * pct(t[n]!, 50)).toFixed(1)} p95 ${(1000 * pct(t[n]!, 95)).toFixed(1)} · ratio to now ${(sum(t[n]!) / sum(t.now!)).toFixed(3)} · fastest rounds: sum ratio ${(sum(best[n]!) / sum(best.now!)).toFixed(3)}, p50 ${(1000 * pct(best[n]!, 50)).toFixed(1)} p95 ${(1000 * pct(best[n]!, 95)).toFixed(1)}`);

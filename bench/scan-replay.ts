// The index's scan alone, variants side by side: /match searches on the wide corpus are captured (their
// terms as the search builds them), then replayed through each variant in alternating order, hits
// compared bit for bit with the engine's own. Prints ns a posting and ms a search per variant.
//   node --max-old-space-size=6144 --expose-gc --import tsx bench/scan-replay.ts 100000 300 7
// (SCAN_VARIANTS=another module of variants; REPLAY_EVICT=MB written between searches, below.) Each
// search's fastest round is the steadiest figure on a shared machine; means move ±15 % between runs.
import { docsOf, pickQueries } from './engines.ts';
import { Engine } from '../src/match/engine.ts';
import { InvertedIndex, type Scored } from '../src/match/inverted.ts';

const size = Number(process.argv[2] ?? 20000);
const n = Number(process.argv[3] ?? 300);
const rounds = Number(process.argv[4] ?? 5);
const K1 = 1.2;
const B = 0.75;
const docs = docsOf(size);
const e = new Engine(docs);
// REPLAY_REMOVE=N: N entries removed first (tombstones left in the postings, as edits leave them until a compaction).
for (const d of pickQueries(docs, Number(process.env.REPLAY_REMOVE ?? 0), 31)) e.remove(d.type, d.record.id);
for (const d of pickQueries(docs, 50, 7)) e.matchEntry(d.type, d.record.id, { top: 10 });

interface Term { docs: Int32Array; tfs: Float32Array; off: number; n: number; w: number; ub: number }
interface Call { ix: InvertedIndex; terms: Term[]; k: number; accept: (d: number) => boolean; hits: Scored[]; postings: number }
const calls: Call[] = [];
const search = InvertedIndex.prototype.search;
InvertedIndex.prototype.search = function (this: InvertedIndex, ...args: Parameters<InvertedIndex['search']>) {
  const r = search.apply(this, args);
  const [query, k, accept, share = 0.2, , idOf = (f: string) => this.idOf(f), ids] = args;
  const a = this.arena;
  const st = this.state();
  const avgdl = st.liveCount ? st.totalLen / st.liveCount : 1;
  const terms: Term[] = [];
  let i = 0;
  for (const [f, qw] of query) {
    const id = ids ? ids[i++]! : idOf(f);
    const df = this.dfOf(id);
    if (df === 0 || (st.liveCount >= 2000 && df > st.liveCount * share)) continue;
    const w = qw * this.idf(df);
    if (!(w > 0)) continue;
    const maxTf = a.maxTf[id]!;
    const ub = ((w * maxTf * (K1 + 1)) / (maxTf + K1 * (1 - B + (B * a.minDl[id]!) / avgdl))) * (1 + 1e-9);
    const p = a.pair[id]!;
    terms.push({ docs: a.docs[p]!, tfs: a.tfs[p]!, off: a.off[id]!, n: a.n[id]!, w, ub });
  }
  terms.sort((x, y) => y.ub - x.ub);
  if (r.hits.length) calls.push({ ix: this, terms, k, accept: accept ?? (() => true), hits: r.hits, postings: terms.reduce((s, t) => s + t.n, 0) });
  return r;
};
for (const d of pickQueries(docs, n)) e.matchEntry(d.type, d.record.id, { top: 10, explain: false });
InvertedIndex.prototype.search = search;

type Variant = (ix: InvertedIndex, terms: readonly Term[], k: number, accept: (d: number) => boolean) => Scored[];
const mod = (await import(process.env.SCAN_VARIANTS ?? './scan-variants.ts')) as { variants: Record<string, Variant> };
const variants = mod.variants;
const names = Object.keys(variants);
// Exact: every variant's hits equal the engine's.
for (const name of names) {
  for (const c of calls) {
    const h = variants[name]!(c.ix, c.terms, c.k, c.accept);
    if (h.length !== c.hits.length || h.some((x, i) => x.doc !== c.hits[i]!.doc || !Object.is(x.raw, c.hits[i]!.raw))) throw new Error(`${name}: hits differ`);
  }
}
// REPLAY_EVICT=MB: that many megabytes written before each search, as the rest of a /match does to the
// caches (analysis, explanations, the other engine): the scan then starts with its score slots out of cache.
const junk = new Int32Array(Number(process.env.REPLAY_EVICT ?? 0) * 2 ** 18);
let sink = 0;
function evict(): void {
  for (let i = 0; i < junk.length; i += 16) junk[i] = junk[i]! + 1;
  sink += junk[0]!;
}
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const t: Record<string, number[]> = Object.fromEntries(names.map((x) => [x, []]));
for (let r = 0; r < rounds; r++) {
  gc();
  calls.forEach((c, i) => {
    const order = (i + r) % 2 ? [...names].reverse() : names;
    for (const name of order) {
      evict();
      const s = performance.now();
      variants[name]!(c.ix, c.terms, c.k, c.accept);
      t[name]!.push(performance.now() - s);
    }
  });
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const posts = calls.reduce((s, c) => s + c.postings, 0);
process.stdout.write(`${size} entries · ${calls.length} searches · postings a search p50 ${pct(calls.map((c) => c.postings), 50)} · ${rounds} rounds\n`);
for (const name of names) {
  const xs = t[name]!;
  const sum = xs.reduce((a, b) => a + b, 0);
  // Each search's fastest round: what the code costs with the machine's interference mostly left out.
  const mins = calls.map((_, i) => Math.min(...Array.from({ length: rounds }, (_, r) => xs[r * calls.length + i]!)));
  const minSum = mins.reduce((a, b) => a + b, 0);
  const base = t[names[0]!]!;
  const baseMin = calls.map((_, i) => Math.min(...Array.from({ length: rounds }, (_, r) => base[r * calls.length + i]!))).reduce((a, b) => a + b, 0);
  process.stdout.write(`  ${name.padEnd(14)} fastest round: p50 ${pct(mins, 50).toFixed(3)} p95 ${pct(mins, 95).toFixed(3)} sum ×${(minSum / baseMin).toFixed(3)} ·`);
  process.stdout.write(`  ms a search p50 ${pct(xs, 50).toFixed(3)} p95 ${pct(xs, 95).toFixed(3)} mean ${(sum / xs.length).toFixed(3)} · ns a posting ${((sum * 1e6) / (posts * rounds)).toFixed(2)} · vs ${names[0]} ${(sum / t[names[0]!]!.reduce((a, b) => a + b, 0)).toFixed(3)}\n`);
}
if (sink < 0) process.stdout.write('');

// isFiller's calls during warm /match with reasons (300 queries after 300 others), replayed through the
// memo as it is (50k entries), a small memo (4k), and no memo (test alone): node --import tsx bench/filler-memo.ts 20000
// Session 15 (20k, after 9928455): 104.7 calls a query, 89 % answered by the memo; fastest of 7, µs a query:
// memo 50k 29.6, memo 4k 33.8, none 101.7 (an earlier run, load ~5: 55.2, 56.3, 200.7). The memo stays: testing
// anew costs 3.4× its Map traffic, and a smaller memo only loses hits.
import { docsOf, pickQueries } from './engines.ts';
import { Engine } from '../src/match/engine.ts';
import { defaultStopTerms, StopTerms } from '../src/match/stopterms.ts';
const docs = docsOf(Number(process.argv[2] ?? 20000));
const e = new Engine(docs);
const st = defaultStopTerms() as any;
const warm: string[] = [], later: string[] = [];
let rec = warm;
const orig = StopTerms.prototype.isFiller;
st.isFiller = function (t: string) { rec.push(t); return orig.call(this, t); };
for (const d of pickQueries(docs, 300, 23)) e.matchEntry(d.type, d.record.id, { top: 10 });
rec = later;
for (const d of pickQueries(docs, 300)) e.matchEntry(d.type, d.record.id, { top: 10 });
delete st.isFiller;
const test = (t: string) => st.test(t) as boolean;
const memo = (cap: number) => { const m = new Map<string, boolean>(); return (t: string) => { let v = m.get(t); if (v === undefined) { if (m.size >= cap) m.clear(); m.set(t, (v = test(t))); } return v; }; };
// Fresh strings, as explain makes them (slices and concatenations hash anew).
const fresh = (xs: string[]) => xs.map((s) => (' ' + s).slice(1));
const ms: Record<string, number[]> = { memo50k: [], memo4k: [], none: [] };
for (let r = 0; r < 7; r++) for (const [n, mk] of [['memo50k', () => memo(50_000)], ['memo4k', () => memo(4_000)], ['none', () => test]] as const) {
  const f = mk(); for (const t of fresh(warm)) f(t);
  const xs = fresh(later); let y = 0;
  const t0 = performance.now(); for (const t of xs) if (f(t)) y++; ms[n]!.push(performance.now() - t0);
}
const seen = new Set(warm);
const hits = later.filter((t) => (seen.has(t) ? true : (seen.add(t), false))).length;
const min = (xs: number[]) => Math.min(...xs);
console.log(`${(later.length / 300).toFixed(1)} calls a query, ${((100 * hits) / later.length).toFixed(0)} % answered by a memo that is never cleared; fastest of 7, µs a query: ` + Object.entries(ms).map(([n, xs]) => `${n} ${((1000 * min(xs)) / 300).toFixed(1)}`).join(' · '));

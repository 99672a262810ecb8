// A CPU profile of warm /match with reasons at a size (after the engine's own rehearsal and 300 other
// queries), with each query's time: npx tsx bench/profile-warm.ts 100000 300 out.cpuprofile [rows.json]
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { docsOf, pickQueries } from './engines.ts';
import { Engine } from '../src/match/engine.ts';

const size = Number(process.argv[2] ?? 20000);
const n = Number(process.argv[3] ?? 300);
const docs = docsOf(size);
const e = new Engine(docs);
for (const _ of e.rehearse(100));
for (const [i, d] of pickQueries(docs, 300, 23).entries()) e.matchEntry(d.type, d.record.id, { top: 10, explain: i % 2 === 0 });
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 50 });
await session.post('Profiler.start');
const times: { id: string; ms: number; shown: number }[] = [];
for (const d of pickQueries(docs, n)) {
  const t = performance.now();
  const r = e.matchEntry(d.type, d.record.id, { top: 10 });
  times.push({ id: d.record.id, ms: performance.now() - t, shown: r.length });
}
const out = process.argv[4] ?? 'warm.cpuprofile';
writeFileSync(out, JSON.stringify((await session.post('Profiler.stop')).profile));
if (process.argv[5]) writeFileSync(process.argv[5], JSON.stringify(times));
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = times.map((x) => x.ms);
process.stdout.write(`${size} entries · ${n} warm /match with reasons (profiled) · p50 ${pct(ms, 50).toFixed(2)} p95 ${pct(ms, 95).toFixed(2)} ms\n`);

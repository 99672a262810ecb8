// Profiling aid: /match with and without reasons on the wide corpus (npx tsx bench/profile-query.ts 100000 200);
// a third argument (a file name) writes a CPU profile of the queries alone.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { docsOf, pickQueries } from './engines.ts';
import { Engine } from '../src/match/engine.ts';

const size = Number(process.argv[2] ?? 20000);
const n = Number(process.argv[3] ?? 200);
const docs = docsOf(size);
const t0 = performance.now();
const e = new Engine(docs);
const buildMs = performance.now() - t0;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const time = (explain: boolean) =>
  pickQueries(docs, n).map((d) => {
    const t = performance.now();
    e.matchEntry(d.type, d.record.id, { top: 10, explain });
    return performance.now() - t;
  });
for (const d of pickQueries(docs, 20, 7)) e.matchEntry(d.type, d.record.id, { top: 10 });
const out = process.argv[4];
const session = new Session();
if (out) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
const plain = time(false);
const reasons = time(true);
if (out) writeFileSync(out, JSON.stringify((await session.post('Profiler.stop')).profile));
const mem = process.memoryUsage();
process.stdout.write(`${size} entries: build ${(buildMs / 1000).toFixed(1)} s · rss ${(mem.rss / 2 ** 20).toFixed(0)} MB (heap ${(mem.heapUsed / 2 ** 20).toFixed(0)}, arrays ${(mem.arrayBuffers / 2 ** 20).toFixed(0)}) · plain p50 ${pct(plain, 50).toFixed(2)} p95 ${pct(plain, 95).toFixed(2)} · reasons p50 ${pct(reasons, 50).toFixed(2)} p95 ${pct(reasons, 95).toFixed(2)} ms\n`);

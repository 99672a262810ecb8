// npm run bench: Liaison beside FlexSearch, MiniSearch and plain fuse.js on the same corpus and the
// same /match queries (each engine in a process of its own), the longest event-loop stall while an
// index takes in an import or builds from cold, start-up to the first console reply, then the store,
// HTTP and interaction benchmarks where present. Figures only; nothing here asserts.
//   npm run bench                  100k entries (default)
//   npm run bench -- --1m          also 1M entries (Liaison and FlexSearch; minutes, GBs)
//   npm run bench -- --only engines,stall,startup,store,http,interactions   --entries 20000
//   npm run bench -- --only startup --startup-vs ../before    start-up beside another checkout (dist/ built)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { EngineFigures } from './engines.ts';
import type { StallFigures } from './stall.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const value = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = value('only')?.split(',');
const want = (k: string) => !only || only.includes(k);
const print = (s = '') => process.stdout.write(s + '\n');

function pct(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
const ms = (x: number) => (Number.isNaN(x) ? '—' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 10 ? 2 : 0)} ms`);
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && a > 0 ? (b / a >= 1 ? `${(b / a).toFixed(1)}× faster` : `${(a / b).toFixed(1)}× slower`) : '—');

/** Runs a bench script in a child process; returns its last stdout line parsed, or its output. */
function child(script: string, argv: string[], heapMB = 4096): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [`--max-old-space-size=${heapMB}`, '--expose-gc', '--import', 'tsx', script, ...argv], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (b: Buffer) => (out += b.toString()));
    c.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}
async function json<T>(script: string, argv: string[], heapMB?: number): Promise<T | undefined> {
  const r = await child(script, argv, heapMB);
  const last = r.out.trim().split('\n').pop();
  try {
    return last ? (JSON.parse(last) as T) : undefined;
  } catch {
    return undefined;
  }
}

async function engines(size: number, peers: string[], fuseQueries: number): Promise<void> {
  print(`== /match at ${size.toLocaleString('en')} entries: the same corpus and the same 200 queries for every engine ==`);
  const figs: EngineFigures[] = [];
  for (const e of ['liaison', ...peers]) {
    const n = e === 'fuse' ? fuseQueries : 200;
    const t0 = performance.now();
    const f = await json<EngineFigures>('bench/engines.ts', [e, String(size), String(n)], size >= 1_000_000 ? 12_000 : 4096);
    if (f) figs.push(f);
    else print(`${e}: did not finish (out of memory or time)`);
    // Progress on stderr (the table comes once every engine is done): what a run cut short still leaves.
    if (f) process.stderr.write(`${e} done in ${ms(performance.now() - t0)}: build ${ms(f.buildMs)}, /match p50 ${ms(pct(f.plain, 50))}, RSS ${f.rssMB.toFixed(0)} MB\n${JSON.stringify({ ...f, plain: undefined, reasons: undefined, plainWarm: undefined, reasonsWarm: undefined, p50: pct(f.plain, 50), p95: pct(f.plain, 95), reasonsP50: f.reasons && pct(f.reasons, 50), reasonsP95: f.reasons && pct(f.reasons, 95), warmP50: f.plainWarm && pct(f.plainWarm, 50), warmP95: f.plainWarm && pct(f.plainWarm, 95), warmReasonsP50: f.reasonsWarm && pct(f.reasonsWarm, 50), warmReasonsP95: f.reasonsWarm && pct(f.reasonsWarm, 95) })}\n`);
  }
  const lia = figs.find((f) => f.engine === 'liaison');
  const peerFigs = figs.filter((f) => f.engine !== 'liaison');
  const sampled = (f: EngineFigures) => f.engine === 'fuse';
  const best = (fn: (f: EngineFigures) => number) => Math.min(...peerFigs.map(fn).filter(Number.isFinite));
  const p95 = (f: EngineFigures) => (sampled(f) ? NaN : pct(f.plain, 95));
  print('engine       | build    | RSS total (index +) | typed arrays | /match p50 | p95      | with reasons p50 / p95');
  for (const f of figs) {
    const r = f.reasons ? `${ms(pct(f.reasons, 50))} / ${ms(pct(f.reasons, 95))}` : '— (none)';
    print(`${f.engine.padEnd(12)} | ${ms(f.buildMs).padEnd(8)} | ${`${f.rssMB.toFixed(0)} MB (+${f.indexRssMB.toFixed(0)})`.padEnd(19)} | ${`${f.arrayBuffersMB.toFixed(0)} MB`.padEnd(12)} | ${ms(pct(f.plain, 50)).padEnd(10)} | ${ms(p95(f)).padEnd(8)} | ${r}${sampled(f) ? `   (sampled: ${f.queries} queries, a full scan each; no p95)` : ''}`);
  }
  print('(/match: wall time of a process\'s first 200 queries after 20 others, each asked for the first time: "cold")');
  if (lia?.plainWarm && lia.reasonsWarm) {
    print(`Liaison once warm (200 other queries after the engine rehearsed 100 of its own entries, as the matching service does in idle slices after a guild's first load, and after the 220 above): /match p50 ${ms(pct(lia.plainWarm, 50))}, p95 ${ms(pct(lia.plainWarm, 95))} · with reasons p50 ${ms(pct(lia.reasonsWarm, 50))}, p95 ${ms(pct(lia.reasonsWarm, 95))}`);
  }
  if (lia && peerFigs.length) {
    const fastest = peerFigs.reduce((a, b) => (pct(a.plain, 50) <= pct(b.plain, 50) ? a : b));
    print(`Liaison vs the fastest peer at each figure (${peerFigs.map((f) => f.engine).join(', ')}):`);
    print(`  /match p50 without reasons ${ratio(pct(lia.plain, 50), best((f) => pct(f.plain, 50)))} · p95 ${ratio(pct(lia.plain, 95), best(p95))} (fastest at p50: ${fastest.engine})`);
    print(`  /match p50 with reasons ${ratio(pct(lia.reasons!, 50), best((f) => pct(f.plain, 50)))} · p95 ${ratio(pct(lia.reasons!, 95), best(p95))} (peers give no reasons)`);
    // fuse.js builds no index (it scans every entry per query): build time and memory compare with the indexing peers only.
    const indexing = peerFigs.filter((f) => !sampled(f));
    const bestIndexing = (fn: (f: EngineFigures) => number) => Math.min(...indexing.map(fn).filter(Number.isFinite));
    if (indexing.length) print(`  build ${ratio(lia.buildMs, bestIndexing((f) => f.buildMs))} · RSS ${(lia.rssMB / bestIndexing((f) => f.rssMB)).toFixed(2)}× the leanest indexing peer's (${indexing.map((f) => f.engine).join(', ')}; fuse.js builds no index)`);
  }
  print();
}

async function stalls(size: number, cold: number): Promise<void> {
  print('== Longest event-loop stall (monitorEventLoopDelay), /match with reasons asked of another guild every 25 ms ==');
  for (const [scenario, n] of [['import', size], ['cold', cold]] as const) {
    const s = await json<StallFigures>('bench/stall.ts', [scenario, String(n)], n >= 1_000_000 ? 12_000 : 4096);
    if (!s) {
      print(`${scenario} ${n}: did not finish`);
      continue;
    }
    const what = scenario === 'import' ? `an import of ${n.toLocaleString('en')} entries taken in by a live index` : `a cold build of ${n.toLocaleString('en')} entries`;
    print(`${what}: ${s.seconds.toFixed(1)} s · longest stall ${s.maxStallMs.toFixed(1)} ms (p99 ${s.p99StallMs.toFixed(1)} ms) · ${s.probes} /match answered meanwhile, latest ${s.probeMaxMs.toFixed(1)} ms after due (p95 ${s.probeP95Ms.toFixed(1)} ms; the longest probe itself ran ${s.probeExecMaxMs.toFixed(1)} ms) · the main thread's longest step ${s.stepCpuMaxMs.toFixed(1)} ms of CPU, its longest GC pause ${s.gcMaxMs.toFixed(1)} ms · ${s.processCpuS.toFixed(1)} s of CPU (worker included) · RSS ${s.rssMB.toFixed(0)} MB (peak ${s.peakRssMB.toFixed(0)} MB) · its own /match after: p50 ${s.afterP50Ms.toFixed(1)} ms, p95 ${s.afterP95Ms.toFixed(1)} ms`);
  }
  print();
}

/** Time to the first console reply (bench/startup.ts); beside another checkout with --startup-vs DIR. */
async function startup(): Promise<void> {
  print('== Start-up: `/help` piped to `node dist/src/main.js` on a SQLite file holding the demo data, time to the first reply ==');
  if (!existsSync(`${ROOT}/dist/src/main.js`)) {
    print('dist/ is missing: run npm run build (npm install does) to measure the compiled start');
    print();
    return;
  }
  const vs = value('startup-vs');
  const r = await child('bench/startup.ts', ['--runs', '9', ...(vs ? [vs] : []), ROOT]);
  for (const line of r.out.trim().split('\n')) {
    try {
      const f = JSON.parse(line) as { root: string; replyMs: { median: number; min: number; max: number }; bannerMs: { median: number }; replyRatioToFirst?: number };
      const ratioText = f.replyRatioToFirst === undefined ? '' : ` · ${f.replyRatioToFirst.toFixed(2)}× the first checkout's (pair by pair, median)`;
      print(`${f.root}: first reply median ${ms(f.replyMs.median)} (min ${ms(f.replyMs.min)}, max ${ms(f.replyMs.max)}), banner ${ms(f.bannerMs.median)}${ratioText}`);
    } catch {
      print(line);
    }
  }
  print();
}

async function others(): Promise<void> {
  for (const [key, file, title] of [['store', 'bench/store.ts', 'store'], ['http', 'bench/http-load.ts', 'HTTP endpoint load'], ['interactions', 'bench/interaction.ts', 'interactions through the real transports']] as const) {
    if (!want(key)) continue;
    if (!existsSync(`${ROOT}/${file}`)) continue;
    print(`== ${title} (${file}) ==`);
    const r = await child(file, []);
    print(r.out.trimEnd() || `(no output, exit ${r.code})`);
    print();
  }
}

async function main(): Promise<void> {
  const size = Number(value('entries') ?? 100_000);
  print(`Liaison benchmark · ${new Date().toISOString()}`);
  print(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · ${(totalmem() / 2 ** 30).toFixed(0)} GiB (${(freemem() / 2 ** 30).toFixed(0)} free) · load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} · Node ${process.version}`);
  print('corpus: synthetic mixed-language entries, descriptions ~250–500 characters, about half the content words from a 70k-word vocabulary the glossary does not know (bench/corpus.ts, wide)');
  print('peers: FlexSearch (strict tokenizer, suggest), MiniSearch (OR; terms kept as hex: its radix tree scans a node\'s children one by one) with a CJK-bigram + Latin-word tokenizer; plain fuse.js (full scan, sampled)');
  print();
  if (want('engines')) await engines(size, ['flexsearch', 'minisearch', 'fuse'], size >= 100_000 ? 3 : 20);
  if (want('engines') && flag('1m')) await engines(1_000_000, ['flexsearch'], 0);
  if (want('stall')) await stalls(size, flag('1m') ? 1_000_000 : size);
  if (want('startup')) await startup();
  await others();
}

await main();

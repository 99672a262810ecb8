// Store figures (npm run bench, or by itself: node --expose-gc --import tsx bench/store.ts [sqlite|postgres]):
// add latency at 1k and 100k entries, one import of 20,000 entries, the index rebuilt from the store
// at 100k (building it, from stored analyses, and loading the index snapshot, side by side, with each
// one's longest event-loop stall), the longest event-loop stall during a 100k import (BENCH_STALL_ENTRIES)
// with /match asked throughout, and how soon another process's write reaches a follower through the
// change feed. `... bench/store.ts sqlite rebuild` runs the rebuild figures alone; `... bench/store.ts restart
// [prepare] URL` a restart's and a snapshot retake's event loop on a prepared store (restartFigures).
// On SQLite always; on PostgreSQL when TEST_POSTGRES_URL is set or PostgreSQL's binaries are installed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { createRanker } from '../src/match/engine.ts';
import { MatchService } from '../src/match/service.ts';
import { openStore, type Store } from '../src/store/db.ts';
import { Directory } from '../src/store/directory.ts';
import startPostgres from '../test/postgres-setup.ts';
import { generateCorpus } from './corpus.ts';
import { gcWatch } from './stall.ts';

const STALL_ENTRIES = Number(process.env.BENCH_STALL_ENTRIES ?? 100_000);
/** `thread` among the arguments: every build and snapshot load on the main thread (as before the build worker). */
const THREAD = process.argv.includes('thread');
const workerOpt = THREAD ? { workerMinEntries: false as const } : {};
const gcFig = (g: { gcMaxMs: number; gcOver50: number }) => `longest GC pause on the main thread ${ms(g.gcMaxMs)} (${g.gcOver50} over 50 ms)`;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const who = { id: 'bench', name: 'bench' };
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (x: number) => `${x.toFixed(2)} ms`;
const s = (x: number) => `${(x / 1000).toFixed(1)} s`;

async function addLatency(dir: Directory, guild: string, size: number): Promise<string> {
  const g = dir.guild(guild);
  await g.importDataset(generateCorpus(size, size), 'replace', who);
  await g.list('need');
  const xs: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await g.add('need', { org: 'Bench Org', title: `bench add ${i}`, description: 'latency probe' }, who);
    xs.push(performance.now() - t);
  }
  return `add at ${size.toLocaleString('en')} entries: p50 ${ms(pct(xs, 50))} · p95 ${ms(pct(xs, 95))} (n=200)`;
}

/**
 * The event loop while a guild takes in an import of `size` entries (one transaction, then this
 * process's cache and index catch up): /match asked every 25 ms, in turn of another guild and of
 * the importing one (answered from its index as it stands), through the same path as the command
 * (the directory's catch-up read, then the ranker).
 */
async function importStall(dir: Directory, other: string, size: number): Promise<string> {
  const service = new MatchService(createRanker, workerOpt);
  service.warmUp();
  const g = dir.guild('stall');
  await g.importDataset(generateCorpus(1_000, 3), 'replace', who);
  const probeIds = { [other]: (await dir.guild(other).list('need')).slice(0, 50).map((e) => e.id), stall: (await g.list('need')).slice(0, 50).map((e) => e.id) };
  for (const guild of [other, 'stall']) await service.forGuild(dir.guild(guild));
  const data = generateCorpus(size, 9);
  gc();
  const h = monitorEventLoopDelay({ resolution: 5 });
  const late: Record<string, number[]> = { [other]: [], stall: [] };
  let i = 0;
  let stop = false;
  const probes = (async () => {
    for (let due = performance.now() + 25; !stop; due += 25) {
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
      const guild = i % 2 ? 'stall' : other;
      const ranker = await service.forGuild(dir.guild(guild));
      const ids = probeIds[guild]!;
      ranker.matchEntry('need', ids[i++ % ids.length]!, { top: 10 });
      late[guild]!.push(performance.now() - due);
      due = Math.max(due, performance.now() - 25);
    }
  })();
  h.enable();
  const gcs = gcWatch();
  await new Promise((r) => setTimeout(r, 20)); // the histogram's timer is armed on the next turn
  const t0 = performance.now();
  await g.importDataset(data, 'replace', who);
  const committed = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 50));
  while (service.updating('stall')) await new Promise((r) => setTimeout(r, 20));
  const total = performance.now() - t0;
  h.disable();
  const gcImport = gcs.stop();
  stop = true;
  await probes;
  // The snapshot written after the import (off the request path): waited for, so later figures are not disturbed.
  const t1 = performance.now();
  await service.snapshotSaved('stall');
  const snap = performance.now() - t1;
  const fig = (xs: number[]) => `${xs.length} answered, latest ${ms(Math.max(...xs))} after due (p95 ${ms(pct(xs, 95))})`;
  return `import of ${size.toLocaleString('en')} entries with /match asked every 25 ms: committed ${s(committed)}, index caught up ${s(total)} · ` +
    `longest event-loop stall ${ms(h.max / 1e6)} (p99 ${ms(h.percentile(99) / 1e6)}), ${gcFig(gcImport)} · /match of another guild: ${fig(late[other]!)} · of the importing guild: ${fig(late.stall!)} · then its snapshot written in ${s(snap)}`;
}

/**
 * Rebuild: a fresh connection and process-like state, every entry of the 100k guild into the index;
 * first with no stored analyses (it analyses every entry and stores the analyses), then as a restart
 * without a snapshot would (it reads them back; a snapshot is written after it, timed apart), then as a
 * restart with the snapshot (it loads it). Each pass's longest event-loop stall is measured throughout.
 */
async function rebuilds(url: string, lines: string[]): Promise<Store> {
  let other: Store | undefined;
  const rebuilt: { wall: number; cpu: number }[] = [];
  const passes = [['analysing', Infinity], ['stored analyses', 0], ['snapshot', undefined]] as const;
  for (const [pass, snapshotMinEntries] of passes) {
    await other?.close();
    gc();
    other = await openStore(url);
    const h = monitorEventLoopDelay({ resolution: 5 });
    h.enable();
    const gcs = gcWatch();
    await new Promise((r) => setTimeout(r, 20)); // the histogram's timer is armed on the next turn
    const c0 = process.cpuUsage();
    const t = performance.now();
    const big = new Directory(other, undefined, { pollMs: 0 }).guild('large');
    await big.refresh();
    const loaded = performance.now() - t;
    const service = new MatchService(createRanker, { ...workerOpt, ...(snapshotMinEntries === undefined ? {} : { snapshotMinEntries }) });
    const ranker = await service.forGuild(big);
    const wall = performance.now() - t;
    const c = process.cpuUsage(c0);
    h.disable();
    const gcPass = gcs.stop();
    rebuilt.push({ wall, cpu: (c.user + c.system) / 1000 });
    lines.push(`index rebuilt from the store at ${ranker.size.toLocaleString('en')} entries (${pass}): ${s(wall)}, CPU ${s(rebuilt.at(-1)!.cpu)} (reading every entry from the store ${s(loaded)}, the rest is the index ${pass === 'snapshot' ? 'load' : 'build'}) · longest event-loop stall ${ms(h.max / 1e6)}, ${gcFig(gcPass)} · RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
    await service.analysesSaved('large');
    if (pass === 'stored analyses') {
      // The snapshot the service writes after a build, off the request path: how long, and the stall meanwhile.
      const hs = monitorEventLoopDelay({ resolution: 5 });
      hs.enable();
      const gss = gcWatch();
      const t1 = performance.now();
      const c1 = process.cpuUsage();
      await service.snapshotSaved('large');
      const cs = process.cpuUsage(c1);
      hs.disable();
      const gcSnap = gss.stop();
      const row = await other.db.selectFrom('index_snapshot_parts').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>(eb.fn('length', ['data'])).as('bytes')]).executeTakeFirstOrThrow();
      lines.push(`  snapshot taken and written after the build: ${s(performance.now() - t1)}, CPU ${s((cs.user + cs.system) / 1000)}, ${Number(row.n)} parts, ${(Number(row.bytes) / 2 ** 20).toFixed(0)} MB · longest event-loop stall ${ms(hs.max / 1e6)}, ${gcFig(gcSnap)}`);
    }
  }
  const [a, b, c] = rebuilt as [typeof rebuilt[0], typeof rebuilt[0], typeof rebuilt[0]];
  lines.push(`  restart with stored analyses vs analysing: ${(a.wall / b.wall).toFixed(2)}× less wall time, ${(a.cpu / b.cpu).toFixed(2)}× less CPU`);
  lines.push(`  restart with the snapshot vs stored analyses: ${(b.wall / c.wall).toFixed(2)}× less wall time, ${(b.cpu / c.cpu).toFixed(2)}× less CPU; vs analysing: ${(a.wall / c.wall).toFixed(2)}× / ${(a.cpu / c.cpu).toFixed(2)}×`);
  return other!;
}

/**
 * A restart of a process holding a 100k guild with its snapshot stored, as one figure set for the README:
 * `restart prepare URL` imports the guild (and a 2,000-entry one to ask /match of), builds it and waits for its
 * snapshot; `restart URL` (a fresh process, as after a restart) loads the small guild, then asks /match of it
 * every 25 ms while the big one loads from its snapshot, during 19 adds, then while the 20th makes the service
 * take its snapshot again and write it (snapshotEvery 20). Prints one JSON line: longest stall, p99, /match p95, wall, RSS.
 */
async function restartFigures(url: string, prepare: boolean): Promise<void> {
  const store = await openStore(url);
  const dir = new Directory(store, undefined, { pollMs: 0 });
  try {
    if (prepare) {
      await dir.guild('probe').importDataset(generateCorpus(2_000, 5), 'replace', who);
      await dir.guild('large').importDataset(generateCorpus(100_000, 100_000), 'replace', who);
      const service = new MatchService(createRanker, workerOpt);
      const keepAlive = setInterval(() => {}, 1000); // the worker writing the snapshot does not hold the process open
      await service.forGuild(dir.guild('large'));
      await service.analysesSaved('large');
      await service.snapshotSaved('large');
      clearInterval(keepAlive);
      console.log(JSON.stringify({ prepared: url, size: (await service.forGuild(dir.guild('large'))).size }));
      return;
    }
    const service = new MatchService(createRanker, { ...workerOpt, snapshotEvery: 20 });
    service.warmUp();
    const probe = await service.forGuild(dir.guild('probe'));
    const ids = (await dir.guild('probe').list('need')).slice(0, 200).map((e) => e.id);
    gc();
    const phase = async (what: () => Promise<void>) => {
      const h = monitorEventLoopDelay({ resolution: 5 });
      const late: number[] = [];
      let stop = false;
      let i = 0;
      const probes = (async () => {
        for (let due = performance.now() + 25; !stop; due += 25) {
          await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
          probe.matchEntry('need', ids[i++ % ids.length]!, { top: 10 });
          late.push(performance.now() - due);
          due = Math.max(due, performance.now() - 25);
        }
      })();
      h.enable();
      const gcs = gcWatch();
      await new Promise((r) => setTimeout(r, 20));
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await what();
      const seconds = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      h.disable();
      stop = true;
      await probes;
      return {
        seconds: +seconds.toFixed(1), cpuS: +((c.user + c.system) / 1e6).toFixed(1), maxStallMs: +(h.max / 1e6).toFixed(1), p99StallMs: +(h.percentile(99) / 1e6).toFixed(1),
        probes: late.length, probeP95Ms: +pct(late, 95).toFixed(1), probeMaxMs: +Math.max(...late).toFixed(1), ...gcs.stop(), rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
      };
    };
    const big = dir.guild('large');
    const restart = await phase(async () => {
      await big.refresh();
      await service.forGuild(big);
    });
    // The adds (this process's own writes) apart from the retake they set off (the 20th add starts it).
    const adds = await phase(async () => {
      for (let i = 0; i < 19; i++) await big.add('need', { org: 'Bench Org', title: `retake ${i}`, description: '燃料电池 retake probe' }, who);
    });
    const retake = await phase(async () => {
      await big.add('need', { org: 'Bench Org', title: 'retake 19', description: '燃料电池 retake probe' }, who);
      await new Promise((r) => setTimeout(r, 50));
      await service.snapshotSaved('large');
    });
    console.log(JSON.stringify({ engine: store.dialect, mode: THREAD ? 'thread' : 'worker', entries: (await service.forGuild(big)).size, restart, adds, retake }));
  } finally {
    await dir.close();
    await store.close();
  }
}

async function run(name: string, url: string, only: string[]): Promise<string[]> {
  const lines = [`== store on ${name}${THREAD ? ', every build on the main thread' : ''} ==`];
  const store = await openStore(url);
  const dir = new Directory(store, undefined, { pollMs: 0 });
  try {
    if (only.includes('rebuild')) {
      await dir.guild('large').importDataset(generateCorpus(100_000, 100_000), 'replace', who);
      lines.push(`(rebuild figures alone: the 100k guild imported)`);
      await (await rebuilds(url, lines)).close();
      return lines;
    }
    const small = await addLatency(dir, 'small', 1_000);
    const large = await addLatency(dir, 'large', 100_000);
    lines.push(small, large);
    const data = generateCorpus(20_000, 7);
    const t = performance.now();
    await dir.guild('imp').importDataset(data, 'replace', who);
    lines.push(`import of 20,000 entries (one transaction): ${s(performance.now() - t)}`);
    lines.push(await importStall(dir, 'small', STALL_ENTRIES));
    gc();
    const other = await rebuilds(url, lines);
    // Feed: a follower polling every 300 ms (plus LISTEN/NOTIFY on PostgreSQL) sees another connection's add.
    const follower = new Directory(other!, undefined, { pollMs: 300 });
    const fg = follower.guild('small');
    await fg.list('need');
    const lag: number[] = [];
    const keepAlive = setInterval(() => {}, 1000); // the feed's timer is unref'd: hold the process open
    for (let i = 0; i < 20; i++) {
      const seen = new Promise<number>((resolve) => {
        const stop = fg.subscribe(() => {
          stop();
          resolve(performance.now());
        });
      });
      const t0 = performance.now();
      await dir.guild('small').add('need', { org: 'o', title: `feed ${i}`, description: 'd' }, who);
      lag.push((await seen) - t0);
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 300));
    }
    clearInterval(keepAlive);
    lines.push(`change feed, write → follower's event: p50 ${ms(pct(lag, 50))} · max ${ms(Math.max(...lag))} (n=20)`);
    await follower.close();
    await other.close();
  } finally {
    await dir.close();
    await store.close();
  }
  return lines;
}

export async function storeBench(only: string[] = []): Promise<string[]> {
  const engines = only.filter((n) => n === 'sqlite' || n === 'postgres');
  const want = (n: string) => engines.length === 0 || (engines as string[]).includes(n);
  const out: string[] = [];
  if (want('sqlite')) {
    const tmp = mkdtempSync(join(tmpdir(), 'liaison-bench-store-'));
    try {
      out.push(...(await run('SQLite (file, WAL)', `sqlite://${join(tmp, 'bench.sqlite')}`, only)));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  if (want('postgres')) {
    const stop = await startPostgres();
    const base = process.env.TEST_POSTGRES_URL;
    if (!base) out.push('== store on PostgreSQL: skipped (no PostgreSQL binaries) ==');
    else {
      const name = `bench_${process.pid}`;
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      const u = new URL(base);
      u.pathname = `/${name}`;
      try {
        out.push(...(await run('PostgreSQL (local socket, fsync off)', u.toString(), only)));
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
        await admin.end();
      }
    }
    if (stop) await stop();
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  if (args[0] === 'restart') await restartFigures(args.at(-1)!, args[1] === 'prepare');
  else for (const line of await storeBench(args)) console.log(line);
}

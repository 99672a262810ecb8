// Store figures (npm run bench, or by itself: node --expose-gc --import tsx bench/store.ts [sqlite|postgres]):
// add latency at 1k and 100k entries, one import of 20,000 entries, the index rebuilt from the store
// at 100k, and how soon another process's write reaches a follower through the change feed.
// On SQLite always; on PostgreSQL when TEST_POSTGRES_URL is set or PostgreSQL's binaries are installed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { createRanker } from '../src/match/engine.ts';
import { MatchService } from '../src/match/service.ts';
import { openStore, type Store } from '../src/store/db.ts';
import { Directory } from '../src/store/directory.ts';
import startPostgres from '../test/postgres-setup.ts';
import { generateCorpus } from './corpus.ts';

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

async function run(name: string, url: string): Promise<string[]> {
  const lines = [`== store on ${name} ==`];
  const store = await openStore(url);
  const dir = new Directory(store, undefined, { pollMs: 0 });
  try {
    const small = await addLatency(dir, 'small', 1_000);
    const large = await addLatency(dir, 'large', 100_000);
    lines.push(small, large);
    const data = generateCorpus(20_000, 7);
    let t = performance.now();
    await dir.guild('imp').importDataset(data, 'replace', who);
    lines.push(`import of 20,000 entries (one transaction): ${s(performance.now() - t)}`);
    gc();
    // Rebuild: a fresh connection and process-like state, every entry of the 100k guild into the index.
    const other: Store = await openStore(url);
    t = performance.now();
    const big = new Directory(other, undefined, { pollMs: 0 }).guild('large');
    await big.refresh();
    const loaded = performance.now() - t;
    const ranker = await new MatchService(createRanker).forGuild(big);
    lines.push(`index rebuilt from the store at ${ranker.size.toLocaleString('en')} entries: ${s(performance.now() - t)} (reading every entry from the store ${s(loaded)}, the rest is the index build) · RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
    // Feed: a follower polling every 300 ms (plus LISTEN/NOTIFY on PostgreSQL) sees another connection's add.
    const follower = new Directory(other, undefined, { pollMs: 300 });
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
  const want = (n: string) => only.length === 0 || only.includes(n);
  const out: string[] = [];
  if (want('sqlite')) {
    const tmp = mkdtempSync(join(tmpdir(), 'liaison-bench-store-'));
    try {
      out.push(...(await run('SQLite (file, WAL)', `sqlite://${join(tmp, 'bench.sqlite')}`)));
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
        out.push(...(await run('PostgreSQL (local socket, fsync off)', u.toString())));
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
  for (const line of await storeBench(process.argv.slice(2))) console.log(line);
}

// npm run bench: engine vs plain fuse.js on synthetic directories of 1k, 10k and 100k entries,
// store-to-index rebuild at 100k, and interaction latency through the real discord.js client.
// Figures only; nothing here asserts (speed is never a test).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseBaseline } from '../src/match/baseline.ts';
import { Engine } from '../src/match/engine.ts';
import { MatchService } from '../src/match/service.ts';
import type { Doc, Ranker } from '../src/match/types.ts';
import { openStore } from '../src/store/db.ts';
import { Directory } from '../src/store/directory.ts';
import { generateCorpus } from './corpus.ts';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
function stats(xs: number[]): string {
  return `p50 ${pct(xs, 50).toFixed(2)} ms · p95 ${pct(xs, 95).toFixed(2)} ms · p99 ${pct(xs, 99).toFixed(2)} ms (n=${xs.length})`;
}
function time(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}
function rng(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

function queries(ranker: Ranker, docs: Doc[], n: number, seed: number): { match: number[]; text: number[]; auto: number[] } {
  const r = rng(seed);
  const pick = () => docs[Math.floor(r() * docs.length)]!;
  const match: number[] = [];
  const text: number[] = [];
  const auto: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = pick();
    match.push(time(() => ranker.matchEntry(d.type, d.record.id, { top: 10 })));
    text.push(time(() => ranker.search(d.record.title, ['need', 'capability'], { top: 10 })));
    const title = d.record.title;
    const start = Math.floor(r() * Math.max(1, title.length - 4));
    const q = r() < 0.2 ? d.record.id.slice(0, 5) : title.slice(start, start + 2 + Math.floor(r() * 4));
    auto.push(time(() => ranker.complete(d.type, q, 25, 'all')));
  }
  return { match, text, auto };
}

function docsOf(size: number): Doc[] {
  const d = generateCorpus(size);
  return [...d.needs.map((record) => ({ type: 'need' as const, record })), ...d.capabilities.map((record) => ({ type: 'capability' as const, record }))];
}

async function sizeRun(size: number, fuseQueries: number): Promise<string[]> {
  const docs = docsOf(size);
  gc();
  const before = process.memoryUsage();
  let engine!: Engine;
  const build = time(() => (engine = new Engine(docs)));
  gc();
  const after = process.memoryUsage();
  queries(engine, docs, 20, 7); // warm-up
  const q = queries(engine, docs, 300, 11);
  const lines = [
    `== ${size.toLocaleString('en')} entries ==`,
    `engine build ${build.toFixed(0)} ms · heap +${mb(after.heapUsed - before.heapUsed)} (total ${mb(after.heapUsed)}) · RSS ${mb(after.rss)}`,
    `engine /match (entry → partners): ${stats(q.match)}`,
    `engine /search (free text):       ${stats(q.text)}`,
    `engine autocomplete:              ${stats(q.auto)}`,
  ];
  const base = new FuseBaseline(docs);
  const r = rng(5);
  const fuse: number[] = [];
  for (let i = 0; i < fuseQueries; i++) {
    const d = docs[Math.floor(r() * docs.length)]!;
    fuse.push(time(() => base.matchEntry(d.type, d.record.id, { top: 10 })));
  }
  lines.push(`plain fuse.js /match:             ${stats(fuse)}${fuseQueries < 300 ? ` — sampled: ${fuseQueries} queries, a full scan each` : ''}`);
  lines.push(`speed-up at p50: ${(pct(fuse, 50) / pct(q.match, 50)).toFixed(0)}× · at p95: ${(pct(fuse, 95) / pct(q.match, 95)).toFixed(0)}×`);
  return lines;
}

async function rebuildRun(size: number): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-bench-'));
  const url = `sqlite://${join(dir, 'bench.sqlite')}`;
  try {
    const data = generateCorpus(size);
    let backend = await openStore(url);
    const t0 = performance.now();
    await new Directory(backend, undefined, { pollMs: 0 }).guild('bench').importDataset(data, 'replace', { id: 'bench', name: 'bench' });
    const importMs = performance.now() - t0;
    await backend.close();
    gc();
    backend = await openStore(url);
    const t1 = performance.now();
    const guild = new Directory(backend, undefined, { pollMs: 0 }).guild('bench');
    const ranker = await new MatchService((docs) => new Engine(docs)).forGuild(guild);
    const rebuild = performance.now() - t1;
    gc();
    const lines = [
      `== store → index at ${size.toLocaleString('en')} (SQLite file) ==`,
      `import (one transaction, ${size.toLocaleString('en')} rows): ${(importMs / 1000).toFixed(1)} s`,
      `reopen, load every entry and build the index: ${(rebuild / 1000).toFixed(1)} s (${ranker.size.toLocaleString('en')} entries) · RSS ${mb(process.memoryUsage().rss)}`,
    ];
    await backend.close();
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const want = (k: string) => only.length === 0 || only.includes(k);
  const print = (lines: string[]) => process.stdout.write(lines.join('\n') + '\n\n');
  print([`Liaison benchmark · Node ${process.version} · ${new Date().toISOString()}`]);
  if (want('1k')) print(await sizeRun(1_000, 300));
  if (want('10k')) print(await sizeRun(10_000, 20));
  if (want('100k')) print(await sizeRun(100_000, 3));
  if (want('rebuild')) print(await rebuildRun(100_000));
  if (want('interactions')) {
    try {
      const mod = (await import('./interaction.ts')) as { benchInteractions?: () => Promise<string> };
      if (mod.benchInteractions) process.stdout.write((await mod.benchInteractions()) + '\n');
    } catch (err) {
      process.stdout.write(`interaction benchmark unavailable: ${(err as Error).message}\n`);
    }
  }
}

await main();

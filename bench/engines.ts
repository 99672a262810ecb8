// One engine on one corpus, in a process of its own (so its RSS is its own): builds, then answers
// the same /match queries as every other engine: an entry's title, keywords and description against
// the entries of the other type, top 10. Prints one JSON line. Used by bench/run.ts:
//   node --expose-gc --import tsx bench/engines.ts <liaison|flexsearch|minisearch|fuse> <entries> <queries>
import { cpus } from 'node:os';
import { Index } from 'flexsearch';
import MiniSearch from 'minisearch';
import type { EntryRecord, EntryType } from '../src/domain/entry.ts';
import { FuseBaseline } from '../src/match/baseline.ts';
import { Engine } from '../src/match/engine.ts';
import type { Doc } from '../src/match/types.ts';
import { generateCorpus } from './corpus.ts';

export interface EngineFigures {
  engine: string;
  entries: number;
  buildMs: number;
  /** RSS, heap and off-heap memory after the build (corpus included), and what the build added to RSS. */
  rssMB: number;
  indexRssMB: number;
  heapMB: number;
  arrayBuffersMB: number;
  queries: number;
  /** Milliseconds per /match: without reasons, and (Liaison only) with them; a process's first 200 queries after a 20-query warm-up. */
  plain: number[];
  reasons?: number[];
  /**
   * Liaison only: 200 other queries once the engine rehearsed (what the matching service runs in idle
   * slices after a guild's first load) and the first 220 ran: what users see once a server is up.
   */
  plainWarm?: number[];
  reasonsWarm?: number[];
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const MB = 1024 * 1024;
const OTHER: Record<EntryType, EntryType> = { need: 'capability', capability: 'need' };

/** What a peer indexes and what it is asked: the entry's own words (no glossary, no sectors). */
export const textOf = (r: EntryRecord) => `${r.title} ${(r.keywords ?? []).join(' ')} ${r.description}`;

/** A competent CJK set-up for the peers: NFKC, lower case, Latin words and CJK character bigrams. */
export function cjkTokens(text: string): string[] {
  const s = text.normalize('NFKC').toLowerCase();
  const out: string[] = [...(s.match(/[a-z0-9]+/g) ?? [])];
  for (const run of s.match(/[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g) ?? []) {
    if (run.length === 1) out.push(run);
    for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
  }
  return out;
}

interface Peer { build(docs: Doc[]): void; match(d: Doc): unknown }

function flexsearch(): Peer {
  const ix: Record<EntryType, Index> = {
    need: new Index({ tokenize: 'strict', encode: cjkTokens, resolution: 9, cache: false }),
    capability: new Index({ tokenize: 'strict', encode: cjkTokens, resolution: 9, cache: false }),
  };
  const ids: string[] = [];
  return {
    build(docs) {
      docs.forEach((d, i) => {
        ids.push(d.record.id);
        ix[d.type].add(i, textOf(d.record));
      });
    },
    // suggest: a long query would otherwise need every term in one document (AND).
    match: (d) => (ix[OTHER[d.type]].search(textOf(d.record), { limit: 10, suggest: true }) as number[]).map((i) => ids[i]),
  };
}

/**
 * A term as the hex of its UTF-16 code units. MiniSearch keeps its terms in a radix tree whose nodes look
 * their children up one by one: CJK bigrams give a node thousands of children (the root one per distinct first
 * character, ~3,500 here), so every term added or looked up compared thousands of keys (10,000 entries took
 * 469 s to index). In hex a node has at most 16 children; the terms, and so every score, are the same
 * (processTerm applies to queries too).
 */
export function hexTerm(t: string): string {
  let s = '';
  for (let i = 0; i < t.length; i++) s += t.charCodeAt(i).toString(16).padStart(4, '0');
  return s;
}

function minisearch(): Peer {
  const opts = { fields: ['text'], storeFields: [], tokenize: cjkTokens, processTerm: hexTerm, searchOptions: { combineWith: 'OR' as const } };
  const ix: Record<EntryType, MiniSearch> = { need: new MiniSearch(opts), capability: new MiniSearch(opts) };
  return {
    build(docs) {
      for (const d of docs) ix[d.type].add({ id: d.record.id, text: textOf(d.record) });
    },
    match: (d) => ix[OTHER[d.type]].search(textOf(d.record)).slice(0, 10),
  };
}

/** The queries: the same entries for every engine (a seeded pick). */
export function pickQueries(docs: Doc[], n: number, seed = 11): Doc[] {
  let s = seed;
  const r = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, () => docs[Math.floor(r() * docs.length)]!);
}

export function docsOf(size: number): Doc[] {
  const d = generateCorpus(size, 42, { wide: true });
  return [...d.needs.map((record) => ({ type: 'need' as const, record })), ...d.capabilities.map((record) => ({ type: 'capability' as const, record }))];
}

function timeAll(qs: Doc[], fn: (d: Doc) => unknown): number[] {
  return qs.map((d) => {
    const t = performance.now();
    fn(d);
    return performance.now() - t;
  });
}

export async function runEngine(engine: string, size: number, queries: number): Promise<EngineFigures> {
  const docs = docsOf(size);
  gc();
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  let plain: (d: Doc) => unknown;
  let reasons: ((d: Doc) => unknown) | undefined;
  let rehearse: (() => void) | undefined;
  if (engine === 'liaison') {
    const e = new Engine(docs);
    rehearse = () => {
      for (const _ of e.rehearse()) continue;
    };
    plain = (d) => e.matchEntry(d.type, d.record.id, { top: 10, explain: false });
    reasons = (d) => e.matchEntry(d.type, d.record.id, { top: 10 });
  } else if (engine === 'fuse') {
    const f = new FuseBaseline(docs);
    plain = (d) => f.matchEntry(d.type, d.record.id, { top: 10 });
  } else {
    const p = engine === 'flexsearch' ? flexsearch() : minisearch();
    p.build(docs);
    plain = (d) => p.match(d);
  }
  const buildMs = performance.now() - t0;
  gc();
  const mem = process.memoryUsage();
  const qs = pickQueries(docs, queries);
  const warm = pickQueries(docs, Math.min(20, queries), 7);
  timeAll(warm, plain);
  if (reasons) timeAll(warm, reasons);
  const fig: EngineFigures = {
    engine, entries: size, buildMs, rssMB: mem.rss / MB, indexRssMB: (mem.rss - rss0) / MB, heapMB: mem.heapUsed / MB,
    arrayBuffersMB: mem.arrayBuffers / MB, queries, plain: timeAll(qs, plain),
  };
  if (reasons) fig.reasons = timeAll(qs, reasons);
  if (rehearse && reasons) {
    rehearse();
    const later = pickQueries(docs, queries, 23);
    fig.plainWarm = timeAll(later, plain);
    fig.reasonsWarm = timeAll(later, reasons);
  }
  return fig;
}

export const machine = () => `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${process.platform}`;

if (process.argv[1]?.endsWith('engines.ts')) {
  const [engine = 'liaison', size = '10000', queries = '200'] = process.argv.slice(2);
  process.stdout.write(JSON.stringify(await runEngine(engine, Number(size), Number(queries))) + '\n');
}

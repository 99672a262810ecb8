// A build worker (node:worker_threads, started by build-worker-host.ts): builds an engine of the entries it
// is sent and hands back its snapshot's parts (transferred, not copied), so a big guild's build and its
// garbage collection happen on a V8 heap of its own and never pause the main thread. Stored analyses are
// read a chunk ahead and fresh ones written back on a store connection of the worker's own (or, with no
// store URL, asked of and sent to the main thread), so their text never reaches the main thread's heap.
// On a restart it reads the guild's stored snapshot instead (a connection of its own) and checks it, so the
// pieces, their decoding and the garbage they leave stay off the main thread too. The periodic snapshot of a
// big guild is made here too, as a restart would load the index, so the main thread takes nothing.
import { getPriority, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { createRanker } from './engine.ts';
import { checkSums, takeSnapshot, type Snapshot } from './snapshot.ts';
import type { Engine } from './engine.ts';
import type { Store } from '../store/db.ts';
import { transferable, workerNice, type ToHost, type ToWorker } from './build-worker-host.ts';

// The build runs at a lower priority than the main thread (WORKER_NICE, build-worker-host.ts).
try {
  // Relative to the thread that started it (a thread inherits its creator's nice value).
  setPriority(Math.min(19, getPriority() + workerNice()));
} catch {
  // Not permitted or not supported: the build runs at the process's priority.
}

const port = parentPort!;
const post = (m: ToHost, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

const ahead = new Map<string, string>();
let fresh: [string, string][] = [];
/** The worker's own store connection (opened once, for analyses and snapshots). */
let opened: Promise<Store> | undefined;
let storeUrl: string | undefined;
const connect = (url: string) => (opened ??= import('../store/db.ts').then((m) => m.openStore(url)));
/** Fresh analyses written so far (in order; a failure costs a re-analysis only). */
let writes: Promise<void> = Promise.resolve();
let prune: string | undefined;
const flush = () => {
  if (!fresh.length) return;
  const entries = fresh;
  fresh = [];
  if (!storeUrl) return void (wanted && post({ kind: 'fresh', entries }));
  const url = storeUrl;
  writes = writes.then(async () => {
    const store = await connect(url);
    const { pruneAnalyses, saveAnalyses } = await import('../store/analyses.ts');
    if (prune !== undefined) {
      const version = prune;
      prune = undefined;
      await pruneAnalyses(store, version);
    }
    await saveAnalyses(store, new Map(entries));
  }).catch(() => {});
};
let made: Engine | undefined;
const engine = () => (made ??= createRanker([], {
  analyses: {
    get(key) {
      const v = ahead.get(key);
      if (v !== undefined) ahead.delete(key);
      return v;
    },
    put(key, data) {
      fresh.push([key, data]);
      if (fresh.length >= 500) flush();
    },
  },
}));

/** Posts a snapshot's parts, each handed over whole (a part sharing memory is sent as a copy). */
function hand(snap: Snapshot, rev?: number): void {
  const parts = transferable(snap.parts);
  post({ kind: 'snapshot', version: snap.version, meta: snap.meta, parts, ...(rev === undefined ? {} : { rev }) }, [...new Set(parts)]);
}

/**
 * A new snapshot of a guild whose index lives on the main thread, made here without it: a restart's load
 * (the stored snapshot, then the entries changed since, by their stored analyses), taken and written. It is
 * the index of the directory at the revision read here, as a restart would load it.
 */
async function retake(url: string, guildId: string): Promise<void> {
  const { Directory } = await import('../store/directory.ts');
  const { MatchService } = await import('./service.ts');
  const { saveSnapshot } = await import('../store/snapshots.ts');
  const store = await connect(url);
  // Read once, never followed: the index stays at the revision read (no change may land while it is taken).
  const dir = new Directory({ ...store, listen: undefined }, undefined, { pollMs: 0 });
  try {
    const g = dir.guild(guildId);
    const service = new MatchService(createRanker, { workerMinEntries: false, snapshotMinEntries: Infinity });
    const ranker = await service.forGuild(g);
    await service.analysesSaved(guildId);
    const rev = g.loadedRev;
    const snap = await ranker.snapshot?.();
    if (snap && rev !== undefined) await saveSnapshot(store, guildId, rev, snap);
    post({ kind: 'saved' });
  } finally {
    await dir.close().catch(() => {});
    await store.close().catch(() => {});
    opened = undefined;
  }
}

async function save(url: string, guildId: string, rev: number): Promise<void> {
  const { saveSnapshot } = await import('../store/snapshots.ts');
  const snap = copy;
  if (!snap) throw new Error('no snapshot kept');
  const store = await connect(url);
  try {
    await saveSnapshot(store, guildId, rev, snap);
    copy = undefined;
    post({ kind: 'saved' });
  } finally {
    await store.close().catch(() => {});
    opened = undefined;
  }
}

async function load(url: string, guildId: string, version: string): Promise<void> {
  const { openStore } = await import('../store/db.ts');
  const { loadSnapshot } = await import('../store/snapshots.ts');
  const store = await openStore(url);
  try {
    const snap = await loadSnapshot(store, guildId, version);
    if (!snap) return post({ kind: 'none' });
    await checkSums(snap);
    hand(snap, snap.rev);
  } finally {
    await store.close().catch(() => {});
  }
}

const asked = new Map<number, (found: [string, string][]) => void>();
let nextAsk = 0;
let chain: Promise<void> = Promise.resolve();
let stored = false;
let keep = false;
/** The host wants fresh analyses sent (no store URL of the worker's own). */
let wanted = false;
/** A copy of the handed-over snapshot, to write it (keep). */
let copy: Snapshot | undefined;

function fail(err: unknown): void {
  post({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
}

port.on('message', (m: ToWorker) => {
  if (m.kind === 'start') {
    stored = m.stored;
    keep = m.keep;
    storeUrl = m.url;
    prune = m.prune;
    wanted = m.fresh;
  } else if (m.kind === 'save') save(m.url, m.guildId, m.rev).catch(fail);
  else if (m.kind === 'retake') retake(m.url, m.guildId).catch(fail);
  else if (m.kind === 'load') load(m.url, m.guildId, m.version).catch(fail);
  else if (m.kind === 'analyses') asked.get(m.id)?.(m.found);
  else if (m.kind === 'docs') {
    // Ask for this chunk's stored analyses at once (the reply overlaps indexing the chunks before it).
    const keys: string[] = [];
    if (stored) for (const d of m.docs) {
      const k = engine().analysisKey(d.record);
      if (k !== undefined) keys.push(k);
    }
    const id = nextAsk++;
    let found: Promise<Iterable<[string, string]>> = Promise.resolve([]);
    if (keys.length && storeUrl) {
      const url = storeUrl;
      found = connect(url).then(async (store) => (await import('../store/analyses.ts')).loadAnalyses(store, keys)).catch(() => []);
    } else if (keys.length) {
      found = new Promise<[string, string][]>((resolve) => asked.set(id, resolve));
      post({ kind: 'keys', id, keys });
    }
    chain = chain.then(async () => {
      for (const [k, v] of await found) ahead.set(k, v);
      asked.delete(id);
      const e = engine();
      for (const d of m.docs) e.upsert(d);
      ahead.clear();
    });
    chain.catch(fail);
  } else if (m.kind === 'end') {
    chain = chain.then(async () => {
      flush();
      // Analyses first: a restart from this snapshot needs those of entries changed after it.
      await writes;
      if (!keep && opened) {
        await (await opened.catch(() => undefined))?.close().catch(() => {});
        opened = undefined;
      }
      const snap = await takeSnapshot(engine());
      if (!snap) return post({ kind: 'none' });
      if (keep) copy = { ...snap, parts: snap.parts.map((b) => Buffer.from(b)) };
      hand(snap);
    });
    chain.catch(fail);
  }
});
post({ kind: 'ready' });

// A build worker (node:worker_threads, started by build-worker-host.ts): builds an engine of the entries it
// is sent and hands back its snapshot's parts (transferred, not copied), so a big guild's build and its
// garbage collection happen on a V8 heap of its own and never pause the main thread. Stored analyses are
// asked of the main thread (it owns the store connection) a chunk ahead; fresh ones are sent back to be stored.
// On a restart it reads the guild's stored snapshot instead (a connection of its own) and checks it, so the
// pieces, their decoding and the garbage they leave stay off the main thread too.
import { parentPort } from 'node:worker_threads';
import { createRanker } from './engine.ts';
import { checkSums, takeSnapshot, type Snapshot } from './snapshot.ts';
import type { Engine } from './engine.ts';
import type { ToHost, ToWorker } from './build-worker-host.ts';

const port = parentPort!;
const post = (m: ToHost, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

const ahead = new Map<string, string>();
let fresh: [string, string][] = [];
const flush = () => {
  if (fresh.length) post({ kind: 'fresh', entries: fresh });
  fresh = [];
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
  const buffers = new Set<ArrayBuffer>();
  const parts = snap.parts.map((b) => {
    const own = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && !buffers.has(b.buffer as ArrayBuffer);
    const ab = own ? (b.buffer as ArrayBuffer) : (Uint8Array.prototype.slice.call(b).buffer as ArrayBuffer);
    buffers.add(ab);
    return ab;
  });
  post({ kind: 'snapshot', version: snap.version, meta: snap.meta, parts, ...(rev === undefined ? {} : { rev }) }, [...buffers]);
}

async function save(url: string, guildId: string, rev: number): Promise<void> {
  const { openStore } = await import('../store/db.ts');
  const { saveSnapshot } = await import('../store/snapshots.ts');
  if (!copy) throw new Error('no snapshot kept');
  const store = await openStore(url);
  try {
    await saveSnapshot(store, guildId, rev, copy);
    copy = undefined;
    post({ kind: 'saved' });
  } finally {
    await store.close().catch(() => {});
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
/** A copy of the handed-over snapshot, to write it (keep). */
let copy: Snapshot | undefined;

function fail(err: unknown): void {
  post({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
}

port.on('message', (m: ToWorker) => {
  if (m.kind === 'start') {
    stored = m.stored;
    keep = m.keep;
  } else if (m.kind === 'save') save(m.url, m.guildId, m.rev).catch(fail);
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
    const found = keys.length ? new Promise<[string, string][]>((resolve) => asked.set(id, resolve)) : Promise.resolve([]);
    if (keys.length) post({ kind: 'keys', id, keys });
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
      const snap = await takeSnapshot(engine());
      if (!snap) return post({ kind: 'none' });
      if (keep) copy = { ...snap, parts: snap.parts.map((b) => Buffer.from(b)) };
      hand(snap);
    });
    chain.catch(fail);
  }
});
post({ kind: 'ready' });

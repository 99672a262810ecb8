// A build worker (node:worker_threads, started by build-worker-host.ts): builds an engine of the entries it
// is sent and hands back its snapshot's parts (transferred, not copied), so a big guild's build and its
// garbage collection happen on a V8 heap of its own and never pause the main thread. Stored analyses are
// asked of the main thread (it owns the store connection) a chunk ahead; fresh ones are sent back to be stored.
import { parentPort } from 'node:worker_threads';
import { createRanker } from './engine.ts';
import { takeSnapshot } from './snapshot.ts';
import type { ToHost, ToWorker } from './build-worker-host.ts';

const port = parentPort!;
const post = (m: ToHost, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

const ahead = new Map<string, string>();
let fresh: [string, string][] = [];
const flush = () => {
  if (fresh.length) post({ kind: 'fresh', entries: fresh });
  fresh = [];
};
const engine = createRanker([], {
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
});

const asked = new Map<number, (found: [string, string][]) => void>();
let nextAsk = 0;
let chain: Promise<void> = Promise.resolve();
let stored = false;

function fail(err: unknown): void {
  post({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
}

port.on('message', (m: ToWorker) => {
  if (m.kind === 'start') stored = m.stored;
  else if (m.kind === 'analyses') asked.get(m.id)?.(m.found);
  else if (m.kind === 'docs') {
    // Ask for this chunk's stored analyses at once (the reply overlaps indexing the chunks before it).
    const keys: string[] = [];
    if (stored) for (const d of m.docs) {
      const k = engine.analysisKey(d.record);
      if (k !== undefined) keys.push(k);
    }
    const id = nextAsk++;
    const found = keys.length ? new Promise<[string, string][]>((resolve) => asked.set(id, resolve)) : Promise.resolve([]);
    if (keys.length) post({ kind: 'keys', id, keys });
    chain = chain.then(async () => {
      for (const [k, v] of await found) ahead.set(k, v);
      asked.delete(id);
      for (const d of m.docs) engine.upsert(d);
      ahead.clear();
    });
    chain.catch(fail);
  } else if (m.kind === 'end') {
    chain = chain.then(async () => {
      flush();
      const snap = await takeSnapshot(engine);
      if (!snap) return post({ kind: 'none' });
      // Each part is a buffer of its own: handed over whole (a part sharing memory is sent as a copy).
      const buffers = new Set<ArrayBuffer>();
      const parts = snap.parts.map((b) => {
        const own = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && !buffers.has(b.buffer as ArrayBuffer);
        const ab = own ? (b.buffer as ArrayBuffer) : (Uint8Array.prototype.slice.call(b).buffer as ArrayBuffer);
        buffers.add(ab);
        return ab;
      });
      post({ kind: 'snapshot', version: snap.version, meta: snap.meta, parts }, [...buffers]);
    });
    chain.catch(fail);
  }
});
post({ kind: 'ready' });

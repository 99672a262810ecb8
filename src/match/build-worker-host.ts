// Runs a build in a worker thread (build-worker.ts) and returns the built engine's snapshot: its parts
// arrive transferred (no copy, off the main V8 heap), to be adopted through the snapshot load path. The
// entries go over in chunks between turns of the event loop; the worker's questions for stored analyses
// and its fresh ones pass through the caller (which owns the store connection).
import { Worker } from 'node:worker_threads';
import { workerNiceFromEnv } from '../config.ts';
import { setImmediate as yieldLoop } from 'node:timers/promises';
import type { SnapshotMeta, Snapshot } from './snapshot.ts';
import type { StoredSnapshot } from '../store/snapshots.ts';
import type { Doc } from './types.ts';

export type ToWorker =
  | { kind: 'start'; stored: boolean; keep: boolean; fresh: boolean; url?: string; prune?: string }
  | { kind: 'save'; url: string; guildId: string; rev: number }
  | { kind: 'retake'; url: string; guildId: string }
  | { kind: 'load'; url: string; guildId: string; version: string }
  | { kind: 'docs'; docs: Doc[] }
  | { kind: 'analyses'; id: number; found: [string, string][] }
  | { kind: 'end' };
export type ToHost =
  | { kind: 'ready' }
  | { kind: 'keys'; id: number; keys: string[] }
  | { kind: 'fresh'; entries: [string, string][] }
  | { kind: 'snapshot'; version: string; meta: SnapshotMeta; parts: ArrayBuffer[]; rev?: number }
  | { kind: 'none' }
  | { kind: 'saved' }
  | { kind: 'error'; message: string };

/**
 * How much lower the worker's thread runs than the thread that started it (Linux keeps a nice value per
 * thread): on a machine with as many cores as busy threads, the scheduler then gives the main thread its
 * turn as soon as a request or a timer wakes it, instead of sharing a core with the build.
 */
export const WORKER_NICE = 10;
/** The nice value a worker adds: LIAISON_WORKER_NICE (0–19; the test suite's own workers take 0), else WORKER_NICE. */
export function workerNice(): number {
  const raw = workerNiceFromEnv();
  const n = Number(raw);
  return raw !== undefined && raw !== '' && Number.isInteger(n) && n >= 0 && n <= 19 ? n : WORKER_NICE;
}

/** Entries per message (one message is cloned in a few milliseconds). */
const CHUNK = 250;

export interface BuildHooks {
  /**
   * The store's URL: the worker reads stored analyses and writes fresh ones itself, on a connection of its
   * own (their text never reaches this thread), all written before it hands the snapshot back.
   */
  url?: string;
  /** With url: the analyser version whose older analyses the worker prunes first (once a process). */
  prune?: string;
  /** Stored analyses by key (no url; undefined: there is no store, the worker analyses everything). */
  load?: (keys: string[]) => Promise<Map<string, string> | undefined>;
  /** Fresh analyses to store (no url; none given: the worker does not send them). */
  fresh?: (entries: [string, string][]) => void;
  /** The worker keeps a copy of the snapshot, to write it to the store itself (Built.write). */
  keep?: boolean;
}

/** A worker's build: its snapshot, and (kept) the worker that can write it; release() ends the worker. */
export interface Built extends Snapshot {
  /** Writes the snapshot from the worker's copy through a store connection of its own, then ends the worker. */
  write?(url: string, guildId: string, rev: number): Promise<void>;
  release(): void;
}

/** The worker's module: its TypeScript source under tsx (tests, dev), the compiled file in dist/. */
function spawn(): Worker {
  const self = import.meta.url;
  if (self.endsWith('.js')) return new Worker(new URL('./build-worker.js', self));
  // tsx's hooks are not inherited by a worker: it registers them, then imports the source.
  const api = import.meta.resolve('tsx/esm/api');
  const target = new URL('./build-worker.ts', self).href;
  return new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); })`, { eval: true });
}

/**
 * Builds an engine of `docs` in a worker; resolves with its snapshot, or undefined when the engine cannot
 * be written as one (then build in-thread). Rejects when the worker fails.
 */
export async function buildInWorker(docs: readonly Doc[], hooks: BuildHooks = {}): Promise<Built | undefined> {
  const worker = spawn();
  let kept = false;
  const release = () => void worker.terminate();
  let saved: { resolve(): void; reject(e: Error): void } | undefined;
  try {
    return await new Promise<Built | undefined>((resolve, reject) => {
      let sending = true;
      const failed = (e: Error) => {
        reject(e);
        saved?.reject(e);
      };
      worker.on('error', failed);
      worker.on('exit', (code) => failed(new Error(`build worker exited (${code})`)));
      worker.on('message', (m: ToHost) => {
        switch (m.kind) {
          case 'saved':
            saved?.resolve();
            break;
          case 'keys':
            void (hooks.load ? hooks.load(m.keys).catch(() => undefined) : Promise.resolve(undefined)).then((found) => {
              const msg: ToWorker = { kind: 'analyses', id: m.id, found: found ? [...found] : [] };
              worker.postMessage(msg);
            });
            break;
          case 'fresh':
            hooks.fresh?.(m.entries);
            break;
          case 'snapshot': {
            const built: Built = { version: m.version, meta: m.meta, parts: m.parts.map((ab) => Buffer.from(ab)), release };
            if (hooks.keep) {
              // Kept for the write: it must not hold the process open meanwhile.
              kept = true;
              worker.unref();
              built.write = (url, guildId, rev) =>
                new Promise<void>((res, rej) => {
                  saved = { resolve: res, reject: rej };
                  const msg: ToWorker = { kind: 'save', url, guildId, rev };
                  worker.postMessage(msg);
                }).finally(release);
            }
            resolve(built);
            break;
          }
          case 'none':
            resolve(undefined);
            break;
          case 'error':
            failed(new Error(`build worker: ${m.message}`));
            break;
          case 'ready':
            break;
        }
      });
      const send = (m: ToWorker) => worker.postMessage(m);
      send({
        kind: 'start', stored: hooks.url !== undefined || hooks.load !== undefined, keep: hooks.keep === true, fresh: hooks.fresh !== undefined,
        ...(hooks.url === undefined ? {} : { url: hooks.url, ...(hooks.prune === undefined ? {} : { prune: hooks.prune }) }),
      });
      void (async () => {
        for (let i = 0; i < docs.length && sending; i += CHUNK) {
          send({ kind: 'docs', docs: docs.slice(i, i + CHUNK) });
          await yieldLoop();
        }
        send({ kind: 'end' });
      })();
      worker.once('exit', () => {
        sending = false;
      });
    });
  } finally {
    if (!kept) await worker.terminate();
  }
}

/** A snapshot's parts as whole buffers to transfer (a part sharing its memory is copied). */
export function transferable(parts: readonly Uint8Array[]): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  return parts.map((b) => {
    const own = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && !seen.has(b.buffer as ArrayBuffer);
    const ab = own ? (b.buffer as ArrayBuffer) : (Uint8Array.prototype.slice.call(b).buffer as ArrayBuffer);
    seen.add(ab);
    return ab;
  });
}

/** One reply from a worker asked one thing; the worker is ended after it. */
async function ask<T>(m: ToWorker, got: (m: ToHost) => T | undefined): Promise<T> {
  const worker = spawn();
  try {
    return await new Promise<T>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`build worker exited (${code})`)));
      worker.on('message', (r: ToHost) => {
        if (r.kind === 'error') reject(new Error(`build worker: ${r.message}`));
        else {
          const v = got(r);
          if (v !== undefined) resolve(v);
        }
      });
      worker.postMessage(m);
    });
  } finally {
    await worker.terminate();
  }
}

/**
 * Stores a new snapshot of the guild made in a worker (build-worker.ts retake: the stored one loaded, the
 * entries changed since re-indexed, taken and written there), so this thread takes and writes nothing.
 */
export async function retakeInWorker(url: string, guildId: string): Promise<void> {
  await ask<true>({ kind: 'retake', url, guildId }, (m) => (m.kind === 'saved' ? true : undefined));
}

/**
 * Reads the guild's stored snapshot in a worker (a store connection of its own) and checks its parts'
 * checksums there; resolves with it, parts transferred, or undefined when there is none (or no usable one).
 */
export async function loadInWorker(url: string, guildId: string, version: string): Promise<StoredSnapshot | undefined> {
  const r = await ask<{ snap?: StoredSnapshot }>({ kind: 'load', url, guildId, version }, (m) => {
    if (m.kind === 'none') return {};
    if (m.kind === 'snapshot' && m.rev !== undefined) return { snap: { version: m.version, meta: m.meta, parts: m.parts.map((ab) => Buffer.from(ab)), rev: m.rev } };
    return undefined;
  });
  return r.snap;
}

// STORE_URL picks the keyv backend; callers only ever see a Keyv.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import { fileLock, noLock, type Lock } from './lock.ts';

export interface Backend {
  keyv: Keyv;
  description: string;
  /** Serialises one guild's writes across processes sharing the store. */
  lock: Lock;
  close(): Promise<void>;
}

export async function openBackend(url: string): Promise<Backend> {
  if (url === 'memory:' || url === 'memory://') {
    const keyv = new Keyv({ throwOnErrors: true });
    return { keyv, description: 'in-memory (nothing persists)', lock: noLock, close: async () => {} };
  }
  if (url.startsWith('sqlite://')) {
    const file = url.slice('sqlite://'.length);
    if (!file) throw new Error('STORE_URL: sqlite:// needs a file path, e.g. sqlite://var/liaison.sqlite');
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const adapter = new KeyvSqlite({ uri: url, busyTimeout: 5000 });
    // WAL + NORMAL: a committed write survives a killed process; writes no longer wait for fsync.
    await adapter.query('PRAGMA journal_mode=WAL');
    await adapter.query('PRAGMA synchronous=NORMAL');
    // keyv swallows store errors unless throwOnErrors is set: a failed read would look like an
    // empty directory (and the next write would overwrite the real one), a failed write like success.
    const keyv = new Keyv({ store: adapter, namespace: '', throwOnErrors: true });
    keyv.on('error', () => {}); // surfaced through the rejected promise instead
    // Workers sharing the file take a per-guild lock beside it (an in-memory database needs none).
    const lock = file === ':memory:' ? noLock : fileLock(`${file}.locks`);
    return { keyv, description: `SQLite file ${file}`, lock, close: () => adapter.disconnect() };
  }
  // Other keyv adapters (Redis, Postgres …) load on demand so they stay optional dependencies.
  const scheme = url.split(':')[0] ?? '';
  const pkg: Record<string, string> = { redis: '@keyv/redis', rediss: '@keyv/redis', postgres: '@keyv/postgres', postgresql: '@keyv/postgres', mysql: '@keyv/mysql', mongodb: '@keyv/mongo' };
  const name = pkg[scheme];
  if (!name) throw new Error(`STORE_URL: unsupported scheme "${scheme}:" (use sqlite://FILE, memory:, redis://, postgres://, mysql:// or mongodb://)`);
  let mod: { default: new (url: string) => unknown };
  try {
    mod = (await import(name)) as typeof mod;
  } catch {
    throw new Error(`STORE_URL: "${scheme}:" needs the package ${name}; install it with npm install ${name}`);
  }
  const keyv = new Keyv({ store: mod.default ? new mod.default(url) : undefined, namespace: '', throwOnErrors: true });
  keyv.on('error', () => {});
  // No cross-process lock for network stores yet: run one writing process per store (see README).
  return { keyv, description: `${scheme} via ${name}`, lock: noLock, close: () => keyv.disconnect() };
}

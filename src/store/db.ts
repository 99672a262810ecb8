// STORE_URL → a migrated Kysely database: sqlite://FILE (better-sqlite3, WAL) or postgres://… (pg pool).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import type PG from 'pg';
import { migrate, type DB, type Dialect } from './schema.ts';

export interface Store {
  /** Writes and transactions. */
  db: Kysely<DB>;
  /**
   * Reads outside transactions (committed data). SQLite: a connection of its own, so reads never wait
   * for this process's write transaction (WAL lets them read beside it); PostgreSQL: the same pool.
   */
  read: Kysely<DB>;
  dialect: Dialect;
  description: string;
  /** SQLite: the database file (undefined in memory and on PostgreSQL). */
  file?: string;
  /** A URL another thread can open the same database with (a build worker's; undefined in memory). */
  url?: string;
  /** Runs fn in one transaction that holds the write lock from its start (SQLite: BEGIN IMMEDIATE). */
  tx<T>(fn: (t: Kysely<DB>) => Promise<T>): Promise<T>;
  /** One trivial query: is the database reachable? (for /healthz) */
  ping(): Promise<void>;
  /** PostgreSQL only: calls back with the guild id of every committed write (LISTEN/NOTIFY). */
  listen?(onGuild: (guildId: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export const NOTIFY_CHANNEL = 'liaison_changes';

export async function openStore(url: string): Promise<Store> {
  let store: Store;
  if (url === 'memory:' || url === 'memory://') store = sqliteStore(':memory:', 'in-memory SQLite (nothing persists)');
  else if (url.startsWith('sqlite://')) {
    const file = url.slice('sqlite://'.length);
    if (!file) throw new Error('STORE_URL: sqlite:// needs a file path, e.g. sqlite://var/liaison.sqlite');
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    store = sqliteStore(file, `SQLite file ${file}`);
  } else if (/^postgres(ql)?:\/\//.test(url)) store = postgresStore(url, (await import('pg')).default); // loaded only when used
  else {
    const scheme = url.includes(':') ? `"${url.split(':')[0]}:"` : `in "${url}"`;
    throw new Error(`STORE_URL: unsupported scheme ${scheme} (use sqlite://FILE, memory: or postgres://USER@HOST/DB)`);
  }
  if (!url.startsWith('memory:') && !url.endsWith(':memory:')) store.url = url;
  try {
    await migrateWithRetry(store);
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
  return store;
}

/** How long a SQLite file's opening waits for other processes opening or migrating it at the same time. */
const SQLITE_OPEN_WAIT_MS = 10_000;

/**
 * Several processes may start at once on a fresh database: a loser of the race retries and finds it
 * done (a lock or a duplicate: for up to 30 s, as the winner's migration can take seconds on a loaded machine).
 */
async function migrateWithRetry(store: Store): Promise<void> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await migrate(store.db, store.dialect);
    } catch (err) {
      const race = /locked|busy|already exists|duplicate key/i.test(String((err as Error)?.message ?? err));
      if (race ? Date.now() - started > 30_000 : attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, Math.min(50 * attempt, 500) + Math.random() * 100));
    }
  }
}

function sqliteStore(file: string, description: string): Store {
  // At start nothing is served yet: wait (synchronously) for processes starting beside this one, which
  // may hold the lock while they switch a fresh file to WAL.
  const database = new SQLite(file, { timeout: SQLITE_OPEN_WAIT_MS });
  // WAL: readers never block the writer; synchronous=NORMAL: a committed write survives kill -9.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  // Then better-sqlite3's synchronous lock wait would block the event loop: keep it short and wait for
  // another process's write transaction asynchronously instead (see beginImmediate).
  database.pragma('busy_timeout = 20');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: reusingStatements(database) }) });
  // A second connection for reads (":memory:" is one database per connection: it reads through the first).
  const reader = file === ':memory:' ? undefined : readConnection(file);
  const read = reader ? new Kysely<DB>({ dialect: new SqliteDialect({ database: reusingStatements(reader) }) }) : db;
  return {
    db, read, dialect: 'sqlite', description, ...(file === ':memory:' ? {} : { file }),
    tx: (fn) => runTx(db, beginImmediate, fn),
    ping: async () => void (await sql`select 1`.execute(read)),
    close: async () => {
      if (reader) {
        await read.destroy();
        // Kysely destroys only a driver it has used: close the connection itself too (reads after
        // close must fail, not reopen).
        if (reader.open) reader.close();
      }
      await db.destroy();
    },
  };
}

/** Prepared statements kept per connection (least recently used dropped first). */
export const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely prepares every query anew (SQLite parses and plans it each time: 8% of an add's CPU, measured);
 * the same SQL text reuses its statement instead. A statement still being iterated (a stream) is busy:
 * that query gets a fresh one.
 */
export function reusingStatements(database: SQLite.Database, max = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => void database.close(),
    prepare(text: string) {
      let stmt = cache.get(text);
      if (stmt && !stmt.busy) {
        cache.delete(text); // most recently used last
        cache.set(text, stmt);
        return stmt;
      }
      stmt = database.prepare(text);
      cache.set(text, stmt);
      if (cache.size > max) cache.delete(cache.keys().next().value!);
      return stmt;
    },
  };
}

function readConnection(file: string): SQLite.Database {
  // WAL readers wait for no writer; the short timeout covers a checkpoint's brief lock.
  const database = new SQLite(file, { timeout: 20 });
  database.pragma('foreign_keys = ON');
  return database;
}

// int8 (counts, ids, revisions) as numbers: they stay far below 2^53.
const typesOf = (p: typeof PG) => ({
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (v: string) => Number(v) : p.types.getTypeParser(oid, format as 'text')) as typeof PG.types.getTypeParser,
});

function postgresStore(url: string, pg: typeof PG): Store {
  const types = typesOf(pg);
  const pool = new pg.Pool({ connectionString: url, max: 10, types });
  pool.on('error', () => {}); // an idle client's connection dropped: the pool replaces it
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const host = (() => {
    try {
      const u = new URL(url);
      return `${u.hostname || 'local socket'}${u.pathname}`;
    } catch {
      return 'PostgreSQL';
    }
  })();
  return {
    db, read: db, dialect: 'postgres', description: `PostgreSQL ${host}`,
    tx: (fn) => runTx(db, (c) => sql.raw('BEGIN').execute(c), fn),
    ping: async () => void (await sql`select 1`.execute(db)),
    async listen(onGuild) {
      const client = new pg.Client({ connectionString: url, types });
      client.on('error', () => {}); // polling goes on without it
      client.on('notification', (m) => {
        if (m.channel === NOTIFY_CHANNEL && m.payload) onGuild(m.payload);
      });
      await client.connect();
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
      return () => client.end().catch(() => {});
    },
    close: () => db.destroy(),
  };
}

/** Thrown inside tx to roll back and still return a value (a write that turned out to change nothing). */
export class Rollback<T> {
  constructor(readonly value: T) {}
}

/** How long a SQLite writer waits for another process's write transaction before it gives up. */
const SQLITE_WRITE_WAIT_MS = 30_000;

/** Takes SQLite's write lock, retrying while another connection holds it, without blocking the event loop. */
async function beginImmediate(conn: Kysely<DB>): Promise<unknown> {
  const started = Date.now();
  for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
    try {
      return await sql.raw('BEGIN IMMEDIATE').execute(conn);
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() - started > SQLITE_WRITE_WAIT_MS) throw err;
      await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
    }
  }
}

async function runTx<T>(db: Kysely<DB>, begin: (c: Kysely<DB>) => Promise<unknown>, fn: (t: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await begin(conn);
    try {
      const result = await fn(conn);
      await sql.raw('COMMIT').execute(conn);
      return result;
    } catch (err) {
      await sql.raw('ROLLBACK').execute(conn).catch(() => {});
      if (err instanceof Rollback) return err.value as T;
      throw err;
    }
  });
}

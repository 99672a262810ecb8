// The store tests run on both engines: a fresh SQLite file, and a fresh database on the PostgreSQL
// the global setup started (skipped, with a notice there, when no PostgreSQL is installed).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { tempDir, sqliteUrl } from '../support.ts';

export interface Engine {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty store URL; cleanup() removes what the test made. */
  fresh(): Promise<{ url: string; cleanup(): Promise<void> }>;
}

const pgUrl = process.env.TEST_POSTGRES_URL;

const sqlite: Engine = {
  name: 'sqlite',
  async fresh() {
    const tmp = tempDir();
    return { url: sqliteUrl(tmp.dir), cleanup: async () => tmp.cleanup() };
  },
};

/** A database of its own per test, on the shared test server (URL ?host= stays). */
const postgres: Engine = {
  name: 'postgres',
  async fresh() {
    const name = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(pgUrl!);
    u.pathname = `/${name}`;
    return {
      url: u.toString(),
      async cleanup() {
        const c = new pg.Client({ connectionString: pgUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
        await c.end();
      },
    };
  },
};

export const ENGINES: Engine[] = pgUrl ? [sqlite, postgres] : [sqlite];
export const hasPostgres = pgUrl !== undefined;

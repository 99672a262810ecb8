// Shared state on PostgreSQL through @keyv/postgres: one UNLOGGED table (losing it in a crash only
// forgets rate windows and replay ids). Claims and window hits are single atomic statements written
// in keyv's value format ({"value":…,"expires":ms}), so any number of workers can share the table.
import Keyv from 'keyv';
import KeyvPostgres from '@keyv/postgres';
import type { SharedState, Window } from './state.ts';

const TABLE = 'liaison_state';

export class PostgresState implements SharedState {
  readonly description: string;
  readonly keyv: Keyv;
  private readonly adapter: KeyvPostgres;
  private readonly sweeper: NodeJS.Timeout;
  private lastError: unknown;

  constructor(url: string, sweepMs = 60_000) {
    this.adapter = new KeyvPostgres({ uri: url, table: TABLE, useUnloggedTable: true, max: 4 });
    // Connection errors reach callers through rejected queries; an unheard 'error' event would crash.
    this.adapter.on('error', (err: unknown) => (this.lastError = err));
    this.keyv = new Keyv({ store: this.adapter, namespace: '', throwOnErrors: true });
    this.keyv.on('error', () => {});
    this.description = `PostgreSQL ${redact(url)} (table ${TABLE})`;
    this.sweeper = setInterval(() => void this.sweep().catch(() => undefined), sweepMs);
    this.sweeper.unref();
  }

  private async query<T>(sql: string, values: unknown[]): Promise<T[]> {
    const rows = (await this.adapter.query(sql, values)) as T[] | undefined;
    if (!rows) throw this.lastError instanceof Error ? this.lastError : new Error('STATE_URL: PostgreSQL is unreachable');
    return rows;
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const rows = await this.query(
      `INSERT INTO ${TABLE} (key, value) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
       WHERE (${TABLE}.value::json->>'expires')::bigint < $3
       RETURNING key`,
      [key, JSON.stringify({ value: 1, expires: now + ttlMs }), now],
    );
    return rows.length === 1;
  }

  async hit(key: string, windowMs: number): Promise<Window> {
    const now = Date.now();
    const rows = await this.query<{ value: string }>(
      `INSERT INTO ${TABLE} (key, value) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET value = CASE
         WHEN (${TABLE}.value::json->>'expires')::bigint < $3 THEN EXCLUDED.value
         ELSE json_build_object('value', json_build_object(
           'count', (${TABLE}.value::json->'value'->>'count')::int + 1,
           'resetAt', (${TABLE}.value::json->>'expires')::bigint), 'expires', (${TABLE}.value::json->>'expires')::bigint)::text
       END
       RETURNING value`,
      [key, JSON.stringify({ value: { count: 1, resetAt: now + windowMs }, expires: now + windowMs }), now],
    );
    return (JSON.parse(rows[0]!.value) as { value: Window }).value;
  }

  async sweep(): Promise<void> {
    await this.query(`DELETE FROM ${TABLE} WHERE (value::json->>'expires')::bigint < $1`, [Date.now()]);
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1', []);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    // @keyv/postgres keeps one pool per process (module-wide); ending it twice is harmless here.
    await this.adapter.disconnect().catch(() => undefined);
  }
}

/** The URL without its password, for logs. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

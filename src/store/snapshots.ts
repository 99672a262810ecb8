// Index snapshots (migration 0006, src/match/snapshot.ts): one per guild, its parts cut into pieces of at
// most 4 MB, one row each (column `part` numbers the pieces), so no statement moves much at once. A new
// one's pieces are written under a fresh id, a row at a time (yielding between them), then one transaction
// makes it current and deletes every other id's pieces; a reader that finds a piece missing (a concurrent
// writer replaced it) gets nothing and builds as before. Best effort: a failure costs a full build only.
import { randomBytes } from 'node:crypto';
import type { Snapshot, SnapshotMeta } from '../match/snapshot.ts';
import type { Store } from './db.ts';
import { sql } from './schema.ts';

const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));
/** Bytes per row. */
const PIECE = 1 << 22;

/** What the header's meta column holds. */
interface Head { snapshot: SnapshotMeta; sizes: number[]; piece: number }

export interface StoredSnapshot extends Snapshot {
  rev: number;
}

export async function saveSnapshot(store: Store, guildId: string, rev: number, snap: Snapshot): Promise<void> {
  const id = randomBytes(8).toString('hex');
  let n = 0;
  for (const b of snap.parts) {
    for (let at = 0; at < b.length; at += PIECE) {
      const data = b.subarray(at, at + PIECE);
      const part = n++;
      await store.tx((t) => t.insertInto('index_snapshot_parts').values({ guild_id: guildId, id, part, data }).execute());
      await breathe();
    }
  }
  const head: Head = { snapshot: snap.meta, sizes: snap.parts.map((b) => b.length), piece: PIECE };
  const row = { guild_id: guildId, id, analyser: snap.version, rev, meta: JSON.stringify(head), created_at: new Date().toISOString() };
  await store.tx(async (t) => {
    await t.insertInto('index_snapshots').values(row)
      .onConflict((oc) => oc.column('guild_id').doUpdateSet({ id, analyser: row.analyser, rev, meta: row.meta, created_at: row.created_at })).execute();
    await t.deleteFrom('index_snapshot_parts').where('guild_id', '=', guildId).where('id', '<>', id).execute();
  });
}

/** The guild's snapshot taken with `version`, or undefined (none, another version, or parts missing). */
export async function loadSnapshot(store: Store, guildId: string, version: string): Promise<StoredSnapshot | undefined> {
  const head = await store.read.selectFrom('index_snapshots').selectAll().where('guild_id', '=', guildId).executeTakeFirst();
  if (!head || head.analyser !== version) return undefined;
  let h: Head;
  try {
    h = JSON.parse(head.meta) as Head;
  } catch {
    return undefined;
  }
  if (!Array.isArray(h?.sizes) || !h.sizes.every((n) => Number.isInteger(n) && n >= 0) || !(Number.isInteger(h.piece) && h.piece > 0)) return undefined;
  // Each part into one buffer of its own (its typed arrays are views on it), a piece at a time.
  const parts: Buffer[] = [];
  let n = 0;
  for (const size of h.sizes) {
    const b = Buffer.allocUnsafeSlow(size);
    for (let at = 0; at < size; at += h.piece) {
      const data = await piece(store, guildId, head.id, n++);
      if (!data || data.length !== Math.min(h.piece, size - at)) return undefined;
      data.copy(b, at);
      await breathe();
    }
    parts.push(b);
  }
  return { version, meta: h.snapshot, parts, rev: Number(head.rev) };
}

/** How many entries the guild's snapshot taken with `version` holds (undefined: none). */
export async function snapshotEntries(store: Store, guildId: string, version: string): Promise<number | undefined> {
  const head = await store.read.selectFrom('index_snapshots').select(['analyser', 'meta']).where('guild_id', '=', guildId).executeTakeFirst();
  if (!head || head.analyser !== version) return undefined;
  try {
    const t = (JSON.parse(head.meta) as Head).snapshot.types;
    return t.need.liveCount + t.capability.liveCount;
  } catch {
    return undefined;
  }
}

/** One piece; PostgreSQL sends it as base64 (its text protocol's hex costs half as much again to move and decode). */
async function piece(store: Store, guildId: string, id: string, part: number): Promise<Buffer | undefined> {
  const q = store.read.selectFrom('index_snapshot_parts').where('guild_id', '=', guildId).where('id', '=', id).where('part', '=', part);
  if (store.dialect !== 'postgres') return (await q.select('data').executeTakeFirst())?.data;
  const row = await q.select(sql<string>`encode(data, 'base64')`.as('b64')).executeTakeFirst();
  return row ? Buffer.from(row.b64, 'base64') : undefined;
}

/** Drops the guild's snapshot (tests; an operator clearing it). */
export async function dropSnapshot(store: Store, guildId: string): Promise<void> {
  await store.tx(async (t) => {
    await t.deleteFrom('index_snapshots').where('guild_id', '=', guildId).execute();
    await t.deleteFrom('index_snapshot_parts').where('guild_id', '=', guildId).execute();
  });
}

// Index snapshots (migration 0006, src/match/snapshot.ts): one per guild, its parts one row each. A new
// one's parts are written under a fresh id, a row at a time (yielding between them), then one transaction
// makes it current and deletes every other id's parts; a reader that finds a part missing (a concurrent
// writer replaced it) gets nothing and builds as before. Best effort: a failure costs a full build only.
import { randomBytes } from 'node:crypto';
import type { Snapshot, SnapshotMeta } from '../match/snapshot.ts';
import type { Store } from './db.ts';

const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface StoredSnapshot extends Snapshot {
  rev: number;
}

export async function saveSnapshot(store: Store, guildId: string, rev: number, snap: Snapshot): Promise<void> {
  const id = randomBytes(8).toString('hex');
  for (let part = 0; part < snap.parts.length; part++) {
    await store.tx((t) => t.insertInto('index_snapshot_parts').values({ guild_id: guildId, id, part, data: snap.parts[part]! }).execute());
    await breathe();
  }
  const row = { guild_id: guildId, id, analyser: snap.version, rev, meta: JSON.stringify(snap.meta), created_at: new Date().toISOString() };
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
  let meta: SnapshotMeta;
  try {
    meta = JSON.parse(head.meta) as SnapshotMeta;
  } catch {
    return undefined;
  }
  const count = Array.isArray(meta?.sums) ? meta.sums.length : 0;
  const parts: Buffer[] = [];
  for (let part = 0; part < count; part++) {
    const row = await store.read.selectFrom('index_snapshot_parts').select('data').where('guild_id', '=', guildId).where('id', '=', head.id).where('part', '=', part).executeTakeFirst();
    if (!row) return undefined;
    parts.push(row.data);
    await breathe();
  }
  return { version, meta, parts, rev: Number(head.rev) };
}

/** Drops the guild's snapshot (tests; an operator clearing it). */
export async function dropSnapshot(store: Store, guildId: string): Promise<void> {
  await store.tx(async (t) => {
    await t.deleteFrom('index_snapshots').where('guild_id', '=', guildId).execute();
    await t.deleteFrom('index_snapshot_parts').where('guild_id', '=', guildId).execute();
  });
}

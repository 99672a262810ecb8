// Migration from Liaison 0.1, whose directory was a keyv SQLite file: table `keyv` (key, value),
// keys "g:<guild>:meta|need:<id>|capability:<id>|audit:<seq>|config|watches|journal", values
// JSON {"value": …}. Read with plain SQL; written into the relational store in one transaction.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { StoredEntry } from '../domain/entry.ts';
import type { Watch } from '../domain/watch.ts';
import type { Logger } from '../log.ts';
import type { Store } from './db.ts';
import type { DB } from './schema.ts';

interface Meta { rev: number; next: { need: number; capability: number }; audit: number; ids: { need: string[]; capability: string[] } }
interface Journal { sets: [string, unknown][]; deletes: string[]; meta: Meta }
interface OldAudit { seq: number; at: string; actor: { id: string; name: string }; action: string; type?: string; id?: string; changes?: unknown; summary?: string }

export interface LegacyGuild {
  guild: string;
  meta: Meta;
  entries: { type: 'need' | 'capability'; entry: StoredEntry }[];
  audit: OldAudit[];
  curatorRoles: string[];
  watches: Watch[];
}

export interface MigrationReport { guilds: number; entries: number; audit: number; roles: number; watches: number; skipped: string[] }

/** Whether a SQLite file holds a 0.1 directory (a `keyv` table with guild keys). */
export function hasLegacyTable(file: string): boolean {
  if (!existsSync(file)) return false;
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const t = db.prepare("select name from sqlite_master where type = 'table' and name = 'keyv'").get();
    if (!t) return false;
    return db.prepare("select 1 from keyv where key like 'g:%:meta' limit 1").get() !== undefined;
  } finally {
    db.close();
  }
}

/** Reads every guild of a 0.1 file; an import journal left by a crash is rolled forward, as 0.1 would have. */
export function readLegacy(file: string): LegacyGuild[] {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  let rows: { key: string; value: string }[];
  try {
    rows = db.prepare("select key, value from keyv where key like 'g:%'").all() as { key: string; value: string }[];
  } finally {
    db.close();
  }
  const kv = new Map<string, unknown>();
  for (const r of rows) {
    const parsed = JSON.parse(r.value) as { value?: unknown; expires?: number };
    kv.set(r.key, parsed.value);
  }
  const guilds = new Set([...kv.keys()].map((k) => k.split(':')[1]!).filter(Boolean));
  const out: LegacyGuild[] = [];
  for (const guild of [...guilds].sort()) {
    const key = (...p: string[]) => `g:${guild}:${p.join(':')}`;
    const journal = kv.get(key('journal')) as Journal | undefined;
    let meta = kv.get(key('meta')) as Meta | undefined;
    if (journal && (!meta || journal.meta.rev > meta.rev)) {
      for (const [k, v] of journal.sets) kv.set(k, v);
      for (const k of journal.deletes) kv.delete(k);
      meta = journal.meta;
    }
    if (!meta) continue;
    const entries: LegacyGuild['entries'] = [];
    for (const type of ['need', 'capability'] as const) {
      for (const id of meta.ids[type]) {
        const e = kv.get(key(type, id)) as StoredEntry | undefined;
        if (e) entries.push({ type, entry: e });
      }
    }
    const audit = [...kv.entries()].filter(([k]) => k.startsWith(key('audit', ''))).map(([, v]) => v as OldAudit).sort((a, b) => a.seq - b.seq);
    const config = kv.get(key('config')) as { curatorRoles?: string[] } | undefined;
    const watches = (kv.get(key('watches')) as Watch[] | undefined) ?? [];
    out.push({ guild, meta, entries, audit, curatorRoles: config?.curatorRoles ?? [], watches });
  }
  return out;
}

/** Guilds of the target store that already hold entries or audit records (a migration never merges into them). */
async function occupied(db: Kysely<DB>, guilds: string[]): Promise<string[]> {
  if (guilds.length === 0) return [];
  const a = await db.selectFrom('entries').select('guild_id').distinct().where('guild_id', 'in', guilds).execute();
  const b = await db.selectFrom('audit').select('guild_id').distinct().where('guild_id', 'in', guilds).execute();
  return [...new Set([...a, ...b].map((r) => r.guild_id))];
}

/**
 * Copies a 0.1 directory into the store in one transaction: ids, statuses, counters (so removed ids
 * stay retired), audit, curator roles and watches. Guilds already holding data are left alone and listed.
 */
export async function migrateLegacy(store: Store, file: string): Promise<MigrationReport> {
  const legacy = readLegacy(file);
  const sameFile = store.dialect === 'sqlite' && store.file !== undefined && resolve(store.file) === resolve(file);
  const taken = new Set(await occupied(store.db, legacy.map((g) => g.guild)));
  const report: MigrationReport = { guilds: 0, entries: 0, audit: 0, roles: 0, watches: 0, skipped: [...taken] };
  await store.tx(async (t) => {
    for (const g of legacy) {
      if (taken.has(g.guild)) continue;
      report.guilds += 1;
      await t.insertInto('guilds').values({ guild_id: g.guild, next_need: g.meta.next.need, next_capability: g.meta.next.capability, rev: 1 })
        .onConflict((oc) => oc.column('guild_id').doUpdateSet({ next_need: g.meta.next.need, next_capability: g.meta.next.capability }))
        .execute();
      for (const { type, entry } of g.entries) {
        const { id, status, createdAt, updatedAt, createdBy, version: _v, ...fields } = entry;
        await t.insertInto('entries').values({
          guild_id: g.guild, type, id, fields: JSON.stringify(fields), status, version: 1, created_at: createdAt, updated_at: updatedAt, created_by: createdBy,
        }).execute();
        report.entries += 1;
      }
      for (const a of g.audit) {
        await t.insertInto('audit').values({
          guild_id: g.guild, at: a.at, actor_id: a.actor.id, actor_name: a.actor.name, action: a.action,
          type: a.type ?? null, entry_id: a.id ?? null, version: null,
          changes: a.changes ? JSON.stringify(a.changes) : null, summary: a.summary ?? null,
        }).execute();
        report.audit += 1;
      }
      for (const role of new Set(g.curatorRoles)) {
        await t.insertInto('curator_roles').values({ guild_id: g.guild, role_id: role }).onConflict((oc) => oc.doNothing()).execute();
        report.roles += 1;
      }
      for (const w of g.watches) {
        await t.insertInto('watches').values({
          guild_id: g.guild, user_id: w.user, type: w.type, entry_id: w.id, channel: w.channel, locale: w.locale, seen: JSON.stringify(w.seen), created_at: w.createdAt,
        }).onConflict((oc) => oc.doNothing()).execute();
        report.watches += 1;
      }
      await t.insertInto('changes').values({ guild_id: g.guild, rev: 1, type: null, entry_id: null }).execute();
    }
    // Done once: the old table is kept under another name (nothing is deleted), in the same transaction
    // when it lives in the store's own file, else right after the commit.
    if (sameFile) await t.schema.alterTable('keyv').renameTo(MIGRATED_TABLE).execute();
  });
  if (!sameFile) {
    const db = new SQLite(file);
    try {
      db.exec(`alter table keyv rename to ${MIGRATED_TABLE}`);
    } finally {
      db.close();
    }
  }
  return report;
}

const MIGRATED_TABLE = 'keyv_v01_migrated';

export const describeReport = (r: MigrationReport): string =>
  `${r.guilds} guild(s), ${r.entries} entries, ${r.audit} audit records, ${r.roles} curator role(s), ${r.watches} watch(es)` +
  (r.skipped.length ? `; left alone (already holding data): ${r.skipped.join(', ')}` : '');

/**
 * At start: a 0.1 directory in the store's own SQLite file is migrated there and then; one found
 * at the default path while the store is elsewhere (PostgreSQL) is named with the command that copies it.
 */
export async function migrateOnStart(store: Store, log: Logger, defaultFile = 'var/liaison.sqlite'): Promise<void> {
  if (store.file && hasLegacyTable(store.file)) {
    let report: MigrationReport;
    try {
      report = await migrateLegacy(store, store.file);
    } catch (err) {
      throw new Error(`migrating the Liaison 0.1 directory in ${store.file} failed (nothing was changed; retry with npm run cli -- migrate): ${(err as Error).message}`);
    }
    log.info(`migrated the Liaison 0.1 directory in ${store.file} to the relational store: ${describeReport(report)}`);
  } else if (store.file !== defaultFile && existsSync(defaultFile) && hasLegacyTable(defaultFile)) {
    log.warn(`found a Liaison 0.1 directory in ${defaultFile}; copy it into this store (${store.description}) with: npm run cli -- migrate ${defaultFile}`);
  }
}

// Backup and restore of every guild: the interchange format (version 1) per guild, plus what it
// leaves out — status and provenance per entry, id counters, audit, curator roles, watches.
// The file format is documented in docs/backup-format.md.
import * as z from 'zod';
import { Dataset, parseDataset, toDataset } from '../domain/dataset.ts';
import { EntryStatus, ENTRY_TYPES, toRecord, type EntryType, type NeedRecord, type CapabilityRecord } from '../domain/entry.ts';
import { Watch } from '../domain/watch.ts';
import { Target } from '../domain/collaboration.ts';
import { sql } from 'kysely';
import { NOTIFY_CHANNEL, type Store } from './db.ts';
import { AUDIT_ACTIONS, toAuditRecord, toEntry, type Actor } from './directory.ts';
import { PeopleBackup, backupPeople, restorePeople } from '../intro/backup.ts';

export const BACKUP_FORMAT = 'liaison-backup';

const EntryMeta = z.strictObject({
  status: EntryStatus,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  createdBy: z.string().min(1),
  version: z.number().int().min(1),
});

const AuditEntry = z.strictObject({
  seq: z.number().int(),
  at: z.iso.datetime(),
  actor: z.strictObject({ id: z.string(), name: z.string() }),
  action: z.enum(AUDIT_ACTIONS),
  type: z.enum(ENTRY_TYPES).optional(),
  id: z.string().optional(),
  version: z.number().int().optional(),
  changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])).optional(),
  summary: z.string().optional(),
});

/** Issue 11's office records: review dates, targets, feedback, and the guild's settings (key → value). Absent in older backups. */
const OfficeBackup = z.strictObject({
  reviews: z.array(z.strictObject({ type: z.enum(ENTRY_TYPES), id: z.string(), reviewBy: z.iso.date(), reminded: z.array(z.int()) })),
  targets: z.array(Target),
  feedback: z.array(z.strictObject({
    type: z.enum(ENTRY_TYPES), entryId: z.string(), partnerId: z.string(), by: z.string(), vote: z.enum(['up', 'down']),
    reason: z.string().optional(), at: z.iso.datetime(), source: z.enum(['suggestion', 'introduction']), features: z.array(z.string()),
  })),
  settings: z.record(z.string(), z.string()),
});

const GuildBackup = z.strictObject({
  guild: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  counters: z.strictObject({ need: z.number().int().min(1), capability: z.number().int().min(1) }),
  dataset: z.unknown(),
  entries: z.strictObject({ need: z.record(z.string(), EntryMeta), capability: z.record(z.string(), EntryMeta) }),
  audit: z.array(AuditEntry),
  curatorRoles: z.array(z.string().min(1)),
  watches: z.array(Watch),
  /** Contacts, submissions, introductions (issue 11); absent in older backups. */
  people: PeopleBackup.optional(),
  office: OfficeBackup.optional(),
});

export const Backup = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(1),
  createdAt: z.iso.datetime(),
  guilds: z.array(GuildBackup),
});
export type Backup = z.infer<typeof Backup>;
export type GuildBackup = Omit<z.infer<typeof GuildBackup>, 'dataset'> & { dataset: Dataset };
export type BackupDoc = Omit<Backup, 'guilds'> & { guilds: GuildBackup[] };

export class BackupError extends Error {}

/** Reads every guild of the store, each from one consistent point (a read transaction per guild). */
export async function createBackup(store: Store, now = new Date()): Promise<BackupDoc> {
  const ids = await store.db.selectFrom('guilds').select('guild_id').orderBy('guild_id').execute();
  const extra = await store.db.selectFrom('curator_roles').select('guild_id').distinct().execute();
  const all = [...new Set([...ids, ...extra].map((r) => r.guild_id))].sort();
  const guilds: GuildBackup[] = [];
  for (const guild of all) {
    guilds.push(await store.tx(async (t) => {
      const g = await t.selectFrom('guilds').selectAll().where('guild_id', '=', guild).executeTakeFirst();
      const rows = await t.selectFrom('entries').selectAll().where('guild_id', '=', guild).orderBy('row_id').execute();
      const entries: GuildBackup['entries'] = { need: {}, capability: {} };
      const records: Record<EntryType, (NeedRecord | CapabilityRecord)[]> = { need: [], capability: [] };
      for (const r of rows) {
        const e = toEntry(r);
        records[r.type].push(toRecord(e));
        entries[r.type][e.id] = { status: e.status, createdAt: e.createdAt, updatedAt: e.updatedAt, createdBy: e.createdBy, version: e.version ?? 1 };
      }
      const audit = (await t.selectFrom('audit').selectAll().where('guild_id', '=', guild).orderBy('seq').execute()).map(toAuditRecord);
      const roles = await t.selectFrom('curator_roles').select('role_id').where('guild_id', '=', guild).orderBy('role_id').execute();
      const watches = await t.selectFrom('watches').selectAll().where('guild_id', '=', guild).orderBy('created_at').execute();
      const reviews = await t.selectFrom('posting_review').selectAll().where('guild_id', '=', guild).orderBy('type').orderBy('entry_id').execute();
      const targets = await t.selectFrom('targets').selectAll().where('guild_id', '=', guild).orderBy('kind').orderBy('level').execute();
      const feedback = await t.selectFrom('feedback').selectAll().where('guild_id', '=', guild).orderBy('at').orderBy('entry_id').orderBy('partner_id').orderBy('by_user').execute();
      const settings = await t.selectFrom('guild_settings').selectAll().where('guild_id', '=', guild).orderBy('key').execute();
      return {
        guild,
        people: await backupPeople(t, guild),
        counters: { need: Number(g?.next_need ?? 1), capability: Number(g?.next_capability ?? 1) },
        dataset: toDataset(records.need as NeedRecord[], records.capability as CapabilityRecord[]),
        entries,
        audit: audit as GuildBackup['audit'],
        curatorRoles: roles.map((r) => r.role_id),
        watches: watches.map((w) => ({
          user: w.user_id, type: w.type, id: w.entry_id, channel: w.channel, locale: w.locale as Watch['locale'], seen: JSON.parse(w.seen) as string[], createdAt: w.created_at,
          ...(w.delivery !== 'channel' ? { delivery: w.delivery as Watch['delivery'] } : {}),
        })),
        office: {
          reviews: reviews.map((r) => ({ type: r.type, id: r.entry_id, reviewBy: r.review_by, reminded: JSON.parse(r.reminded) as number[] })),
          targets: targets.map((r) => Target.parse({ kind: r.kind, ...(r.level ? { level: r.level } : {}), count: Number(r.count) })),
          feedback: feedback.map((r) => ({
            type: r.entry_type, entryId: r.entry_id, partnerId: r.partner_id, by: r.by_user, vote: r.vote, ...(r.reason ? { reason: r.reason } : {}),
            at: r.at, source: r.source, features: JSON.parse(r.features) as string[],
          })),
          settings: Object.fromEntries(settings.map((r) => [r.key, r.value])),
        },
      };
    }));
  }
  return { format: BACKUP_FORMAT, version: 1, createdAt: now.toISOString(), guilds };
}

/** Parses and checks a backup file; errors name the guild and what is wrong. */
export function parseBackup(text: string): { createdAt: string; guilds: GuildBackup[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new BackupError(`not JSON: ${(err as Error).message}`);
  }
  const r = Backup.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new BackupError(`not a Liaison backup (format "${BACKUP_FORMAT}", version 1): ${i.path.join('.') || '(top)'}: ${i.message}`);
  }
  const guilds = r.data.guilds.map((g) => {
    let dataset: Dataset;
    try {
      dataset = parseDataset(g.dataset);
    } catch (err) {
      throw new BackupError(`guild ${g.guild}: ${(err as Error).message}`);
    }
    for (const type of ENTRY_TYPES) {
      const list = type === 'need' ? dataset.needs : dataset.capabilities;
      for (const e of list) if (!g.entries[type][e.id]) throw new BackupError(`guild ${g.guild}: ${type} ${e.id} has no entry in "entries"`);
    }
    return { ...g, dataset };
  });
  return { createdAt: r.data.createdAt, guilds };
}

/**
 * Makes each guild in the backup equal to its copy there, all guilds in one transaction. Id
 * counters only move forward (an id handed out after the backup is not handed out again).
 * Guilds not in the backup are left alone. Other workers reload the restored guilds.
 */
export async function restoreBackup(store: Store, backup: { createdAt: string; guilds: GuildBackup[] }, actor: Actor, now = new Date()): Promise<{ guilds: number; entries: number }> {
  let entries = 0;
  await store.tx(async (t) => {
    for (const g of backup.guilds) {
      const guild = g.guild;
      for (const table of ['entries', 'audit', 'curator_roles', 'watches'] as const) await t.deleteFrom(table).where('guild_id', '=', guild).execute();
      // An older backup without people records leaves the store's alone.
      if (g.people) await restorePeople(t, guild, g.people);
      await t.insertInto('guilds').values({ guild_id: guild, next_need: 1, next_capability: 1, rev: 0 }).onConflict((oc) => oc.column('guild_id').doNothing()).execute();
      const cur = await t.updateTable('guilds').set((eb) => ({ rev: eb('rev', '+', 1) })).where('guild_id', '=', guild).returning(['rev', 'next_need', 'next_capability']).executeTakeFirstOrThrow();
      await t.updateTable('guilds').set({
        next_need: Math.max(Number(cur.next_need), g.counters.need),
        next_capability: Math.max(Number(cur.next_capability), g.counters.capability),
      }).where('guild_id', '=', guild).execute();
      for (const type of ENTRY_TYPES) {
        const list = type === 'need' ? g.dataset.needs : g.dataset.capabilities;
        for (let i = 0; i < list.length; i += 500) {
          await t.insertInto('entries').values(list.slice(i, i + 500).map((r) => {
            const m = g.entries[type][r.id]!;
            const { id, ...fields } = r;
            return { guild_id: guild, type, id, fields: JSON.stringify(fields), status: m.status, version: m.version, created_at: m.createdAt, updated_at: m.updatedAt, created_by: m.createdBy };
          })).execute();
          entries += Math.min(500, list.length - i);
        }
      }
      for (let i = 0; i < g.audit.length; i += 500) {
        await t.insertInto('audit').values(g.audit.slice(i, i + 500).map((a) => ({
          guild_id: guild, at: a.at, actor_id: a.actor.id, actor_name: a.actor.name, action: a.action, type: a.type ?? null, entry_id: a.id ?? null,
          version: a.version ?? null, changes: a.changes ? JSON.stringify(a.changes) : null, summary: a.summary ?? null,
        }))).execute();
      }
      for (const role of new Set(g.curatorRoles)) await t.insertInto('curator_roles').values({ guild_id: guild, role_id: role }).execute();
      for (const w of g.watches) {
        await t.insertInto('watches').values({ guild_id: guild, user_id: w.user, type: w.type, entry_id: w.id, channel: w.channel, locale: w.locale, seen: JSON.stringify(w.seen), created_at: w.createdAt, delivery: w.delivery ?? 'channel', pending: '[]' })
          .onConflict((oc) => oc.doNothing()).execute();
      }
      if (g.office) {
        // A backup without the office records (older) leaves the store's alone.
        for (const table of ['posting_review', 'targets', 'feedback', 'guild_settings'] as const) await t.deleteFrom(table).where('guild_id', '=', guild).execute();
        for (const r of g.office.reviews) await t.insertInto('posting_review').values({ guild_id: guild, type: r.type, entry_id: r.id, review_by: r.reviewBy, reminded: JSON.stringify(r.reminded) }).execute();
        for (const r of g.office.targets) await t.insertInto('targets').values({ guild_id: guild, kind: r.kind, level: r.level ?? '', count: r.count }).execute();
        for (const f of g.office.feedback) {
          await t.insertInto('feedback').values({
            guild_id: guild, entry_type: f.type, entry_id: f.entryId, partner_id: f.partnerId, by_user: f.by, vote: f.vote, reason: f.reason ?? null, note: null,
            at: f.at, source: f.source, features: JSON.stringify(f.features),
          }).onConflict((oc) => oc.doNothing()).execute();
        }
        for (const [key, value] of Object.entries(g.office.settings)) await t.insertInto('guild_settings').values({ guild_id: guild, key, value }).execute();
      }
      const count = g.dataset.needs.length + g.dataset.capabilities.length;
      await t.insertInto('audit').values({
        guild_id: guild, at: now.toISOString(), actor_id: actor.id, actor_name: actor.name, action: 'restore', type: null, entry_id: null, version: null,
        changes: null, summary: `restore: ${count} entries from the backup of ${backup.createdAt}`,
      }).execute();
      await t.insertInto('changes').values({ guild_id: guild, rev: Number(cur.rev), type: null, entry_id: null }).execute();
      if (store.dialect === 'postgres') await sql`select pg_notify(${NOTIFY_CHANNEL}, ${guild})`.execute(t);
    }
  });
  return { guilds: backup.guilds.length, entries };
}

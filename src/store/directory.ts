// Per-guild directory on a relational store (SQLite or PostgreSQL through Kysely). Every write is one
// transaction that first bumps the guild's revision row (its lock orders the guild's writes, in this
// process and across processes), then changes entries, audit and the change feed together.
// Reads come from a per-guild cache that catches up through the change feed before each read.
import type { Kysely, Selectable } from 'kysely';
import type { Dataset } from '../domain/dataset.ts';
import { toDataset } from '../domain/dataset.ts';
import {
  ENTRY_TYPES, toRecord,
  type EntryFields, type EntryRecord, type EntryStatus, type EntryType, type StoredEntry,
  type NeedRecord, type CapabilityRecord,
} from '../domain/entry.ts';
import { UserError } from '../domain/errors.ts';
import type { Watch } from '../domain/watch.ts';
import { NOTIFY_CHANNEL, Rollback, type Store } from './db.ts';
import { sql, type DB, type EntriesTable, type AuditTable } from './schema.ts';

export interface Actor { id: string; name: string }

export const AUDIT_ACTIONS = ['add', 'edit', 'remove', 'close', 'reopen', 'import', 'config', 'restore', 'contact', 'submission', 'introduction', 'renew', 'expire', 'matched', 'feedback', 'notify'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditRecord {
  seq: number;
  at: string;
  actor: Actor;
  action: AuditAction;
  type?: EntryType;
  id?: string;
  /** The entry's version after the change. */
  version?: number;
  /** field → [before, after] */
  changes?: Record<string, [unknown, unknown]>;
  summary?: string;
}

export type ChangeEvent =
  | { kind: 'upsert'; type: EntryType; entry: StoredEntry }
  | { kind: 'remove'; type: EntryType; id: string }
  | { kind: 'reset' };

export interface GuildConfig {
  curatorRoles: string[];
  /** The office's channel: introduction threads, DM-closed fallbacks, digests (`/config office-channel`). */
  officeChannel?: string;
  /** Brokers: mentioned into introduction threads (`/config broker-role`). */
  brokerRole?: string;
}

/** Keys of guild_settings that GuildConfig exposes. */
export const SETTING_KEYS = { officeChannel: 'office-channel', brokerRole: 'broker-role' } as const;
export type SettingName = keyof typeof SETTING_KEYS;

export type ImportMode = 'merge' | 'replace';
export interface ImportResult { added: string[]; updated: string[]; removed: string[]; mode: ImportMode }

interface Cache {
  rev: number;
  entries: Record<EntryType, Map<string, StoredEntry>>;
}

const PREFIX: Record<EntryType, string> = { need: 'N', capability: 'C' };
/** Rows per multi-row statement (well under SQLite's and PostgreSQL's bound-parameter limits). */
const BATCH = 500;
/** A follower further behind than this reloads the guild instead of replaying changes. */
const FOLLOW_MAX = 1000;
/** An import touching more entries than this is one "reload" change for followers. */
const FEED_ENTRIES_MAX = 1000;
/** Every PRUNE_EVERY revisions, change rows older than FOLLOW_MAX revisions are deleted. */
const PRUNE_EVERY = 500;
/** Rows per page when a guild is loaded whole (a page is read and decoded in one go: ~10 ms at 500). */
const PAGE = 500;

/** One turn of the event loop (I/O included), between the synchronous statements of a long job. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

function notFound(type: EntryType, id: string): UserError {
  return new UserError(type === 'need' ? 'error.needNotFound' : 'error.capabilityNotFound', { id });
}

export function formatId(type: EntryType, n: number): string {
  return `${PREFIX[type]}-${String(n).padStart(4, '0')}`;
}

/** Number part of an id in our own scheme, so imports move the counter past it. */
const ID_NUMBER: Record<EntryType, RegExp> = { need: /^N-(\d{1,9})$/, capability: /^C-(\d{1,9})$/ };
function idNumber(type: EntryType, id: string): number | undefined {
  const m = ID_NUMBER[type].exec(id);
  return m ? Number(m[1]) : undefined;
}

function diff(before: object, after: object): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const k of keys) {
    if (k === 'updatedAt' || k === 'version') continue;
    const a = (before as Record<string, unknown>)[k];
    const b = (after as Record<string, unknown>)[k];
    if (JSON.stringify(a) !== JSON.stringify(b)) out[k] = [a, b];
  }
  return out;
}

export function toEntry(row: Pick<EntriesTable, 'id' | 'fields' | 'status' | 'created_at' | 'updated_at' | 'created_by' | 'version'>): StoredEntry {
  return {
    id: row.id, ...(JSON.parse(row.fields) as object), status: row.status,
    createdAt: row.created_at, updatedAt: row.updated_at, createdBy: row.created_by, version: Number(row.version),
  } as StoredEntry;
}

function fieldsJson(e: StoredEntry | EntryRecord): string {
  const { id: _id, ...rest } = toRecord(e as StoredEntry);
  return JSON.stringify(rest);
}

export function toAuditRecord(r: Selectable<AuditTable>): AuditRecord {
  const out: AuditRecord = { seq: Number(r.seq), at: r.at, actor: { id: r.actor_id, name: r.actor_name }, action: r.action as AuditAction };
  if (r.type) out.type = r.type as EntryType;
  if (r.entry_id) out.id = r.entry_id;
  if (r.version !== null) out.version = Number(r.version);
  if (r.changes) out.changes = JSON.parse(r.changes) as AuditRecord['changes'];
  if (r.summary) out.summary = r.summary;
  return out;
}

export function auditRow(guildId: string, at: string, actor: Actor, action: AuditAction, extra: { type?: EntryType; id?: string; version?: number; changes?: object; summary?: string } = {}) {
  return {
    guild_id: guildId, at, actor_id: actor.id, actor_name: actor.name, action,
    type: extra.type ?? null, entry_id: extra.id ?? null, version: extra.version ?? null,
    changes: extra.changes ? JSON.stringify(extra.changes) : null, summary: extra.summary ?? null,
  };
}

const short = (v: unknown): string => {
  if (v === undefined || v === null) return '—';
  const s = Array.isArray(v) ? v.join(', ') : String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
};

/** The lines of a stale-edit refusal: who changed what since the version the form was opened at. */
function changeLines(records: AuditRecord[]): string[] {
  const lines: string[] = [];
  for (const r of records) {
    const head = `${r.at.slice(0, 16).replace('T', ' ')} ${r.actor.name} (${r.action})`;
    const fields = Object.entries(r.changes ?? {}).filter(([k]) => k !== 'id');
    if (fields.length === 0) lines.push(head);
    for (const [k, [a, b]] of fields) lines.push(`${head} ${k}: ${short(a)} → ${short(b)}`);
  }
  return lines;
}

export class GuildDirectory {
  private cache: Cache | undefined;
  private listeners = new Set<(e: ChangeEvent) => void>();
  private chain: Promise<void> = Promise.resolve();
  private waiting: Promise<void> | undefined;

  constructor(
    readonly guildId: string,
    readonly store: Store,
    readonly now: () => Date = () => new Date(),
  ) {}

  private get db(): Kysely<DB> {
    return this.store.db;
  }

  /** Committed data, without waiting for this process's write transaction (see Store.read). */
  private get read(): Kysely<DB> {
    return this.store.read;
  }

  subscribe(listener: (e: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: ChangeEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** The revision this process has caught up to; undefined before the first read. */
  get loadedRev(): number | undefined {
    return this.cache?.rev;
  }

  /**
   * Catches the cache up with the store. Calls coalesce: a call waits for a pass that starts after
   * it was made (so it sees every write committed before it), and joins one that has not started yet.
   */
  sync(): Promise<void> {
    if (this.waiting) return this.waiting;
    const pass = this.chain.then(() => {
      this.waiting = undefined;
      return this.catchUp();
    });
    this.waiting = pass;
    this.chain = pass.catch(() => {});
    return pass;
  }

  private async catchUp(): Promise<void> {
    const row = await this.read.selectFrom('guilds').select('rev').where('guild_id', '=', this.guildId).executeTakeFirst();
    const rev = row ? Number(row.rev) : 0;
    const c = this.cache;
    if (c && c.rev === rev) return;
    if (c && rev > c.rev && rev - c.rev <= FOLLOW_MAX && (await this.replay(c, rev))) return;
    await this.reload(rev, c !== undefined);
  }

  /** Applies the feed's changes after the cache's revision. False: they are not all there (pruned, or a reload). */
  private async replay(c: Cache, rev: number): Promise<boolean> {
    const changes = await this.read.selectFrom('changes').select(['rev', 'type', 'entry_id'])
      .where('guild_id', '=', this.guildId).where('rev', '>', c.rev).where('rev', '<=', rev).execute();
    if (new Set(changes.map((ch) => Number(ch.rev))).size !== rev - c.rev) return false;
    if (changes.some((ch) => ch.entry_id === null)) return false;
    const touched: Record<EntryType, Set<string>> = { need: new Set(), capability: new Set() };
    for (const ch of changes) touched[ch.type as EntryType].add(ch.entry_id!);
    for (const type of ENTRY_TYPES) {
      const ids = [...touched[type]];
      for (let i = 0; i < ids.length; i += BATCH) {
        const chunk = ids.slice(i, i + BATCH);
        const rows = await this.read.selectFrom('entries').selectAll()
          .where('guild_id', '=', this.guildId).where('type', '=', type).where('id', 'in', chunk).execute();
        const found = new Map(rows.map((r) => [r.id, toEntry(r)]));
        for (const id of chunk) {
          const e = found.get(id);
          if (e) {
            c.entries[type].set(id, e);
            this.emit({ kind: 'upsert', type, entry: e });
          } else if (c.entries[type].delete(id)) this.emit({ kind: 'remove', type, id });
        }
      }
    }
    c.rev = rev;
    return true;
  }

  private async reload(rev: number, announce: boolean): Promise<void> {
    const entries = { need: new Map<string, StoredEntry>(), capability: new Map<string, StoredEntry>() };
    // In pages, yielding between them: a big guild's load must not hold up the event loop. A write
    // committed after `rev` may show in a later page; the next catch-up replays it over (idempotent).
    for (let after = 0; ;) {
      const rows = await this.read.selectFrom('entries').selectAll().where('guild_id', '=', this.guildId)
        .where('row_id', '>', after).orderBy('row_id').limit(PAGE).execute();
      for (const r of rows) entries[r.type].set(r.id, toEntry(r));
      if (rows.length < PAGE) break;
      after = Number(rows[rows.length - 1]!.row_id);
      await breathe();
    }
    this.cache = { rev, entries };
    if (announce) this.emit({ kind: 'reset' });
  }

  private async state(): Promise<Cache> {
    await this.sync();
    return this.cache!;
  }

  /**
   * One write transaction: creates the guild row if needed, bumps its revision (taking its lock),
   * runs fn, tells listeners on PostgreSQL; then this process's cache catches up.
   */
  private async write<T>(fn: (t: Kysely<DB>, g: { rev: number; next_need: number; next_capability: number }) => Promise<T>): Promise<T> {
    // Loaded first, so this write reaches listeners as a change, not as the first load.
    if (!this.cache) await this.sync();
    const result = await this.store.tx(async (t) => {
      await t.insertInto('guilds').values({ guild_id: this.guildId, next_need: 1, next_capability: 1, rev: 0 })
        .onConflict((oc) => oc.column('guild_id').doNothing()).execute();
      const g = await t.updateTable('guilds').set((eb) => ({ rev: eb('rev', '+', 1) })).where('guild_id', '=', this.guildId)
        .returning(['rev', 'next_need', 'next_capability']).executeTakeFirstOrThrow();
      const counters = { rev: Number(g.rev), next_need: Number(g.next_need), next_capability: Number(g.next_capability) };
      const value = await fn(t, counters);
      if (counters.rev % PRUNE_EVERY === 0) {
        await t.deleteFrom('changes').where('guild_id', '=', this.guildId).where('rev', '<=', counters.rev - FOLLOW_MAX).execute();
      }
      if (this.store.dialect === 'postgres') await sql`select pg_notify(${NOTIFY_CHANNEL}, ${this.guildId})`.execute(t);
      return value;
    });
    // The write is committed: a failed catch-up must not report it as failed (the next read retries).
    await this.sync().catch(() => {});
    return result;
  }

  private async feed(t: Kysely<DB>, rev: number, type: EntryType | null, ids: readonly (string | null)[]): Promise<void> {
    for (let i = 0; i < ids.length; i += BATCH) {
      await t.insertInto('changes').values(ids.slice(i, i + BATCH).map((id) => ({ guild_id: this.guildId, rev, type, entry_id: id }))).execute();
    }
  }

  private async row(t: Kysely<DB>, type: EntryType, id: string) {
    return t.selectFrom('entries').selectAll()
      .where('guild_id', '=', this.guildId).where('type', '=', type).where('id', '=', id).executeTakeFirst();
  }

  // ---- reads ----

  async refresh(): Promise<void> {
    await this.sync();
  }

  async list(type: EntryType, opts: { status?: EntryStatus | 'all' } = {}): Promise<StoredEntry[]> {
    const s = await this.state();
    const status = opts.status ?? 'open';
    const all = [...s.entries[type].values()];
    return status === 'all' ? all : all.filter((e) => e.status === status);
  }

  async get(type: EntryType, id: string): Promise<StoredEntry | undefined> {
    return (await this.state()).entries[type].get(id);
  }

  async require(type: EntryType, id: string): Promise<StoredEntry> {
    const entry = await this.get(type, id);
    if (!entry) throw notFound(type, id);
    return entry;
  }

  async counts(): Promise<Record<EntryType, Record<EntryStatus, number>>> {
    const s = await this.state();
    const out = { need: { open: 0, closed: 0, matched: 0 }, capability: { open: 0, closed: 0, matched: 0 } };
    for (const type of ENTRY_TYPES) for (const e of s.entries[type].values()) out[type][e.status] += 1;
    return out;
  }

  /** Newest first. */
  async auditLog(limit = 20): Promise<AuditRecord[]> {
    const rows = await this.read.selectFrom('audit').selectAll().where('guild_id', '=', this.guildId).orderBy('seq', 'desc').limit(limit).execute();
    return rows.map(toAuditRecord);
  }

  async exportDataset(opts: { includeClosed?: boolean } = {}): Promise<Dataset> {
    const status = opts.includeClosed ? 'all' : 'open';
    const needs = (await this.list('need', { status })).map(toRecord) as NeedRecord[];
    const caps = (await this.list('capability', { status })).map(toRecord) as CapabilityRecord[];
    return toDataset(needs, caps);
  }

  async getConfig(): Promise<GuildConfig> {
    const rows = await this.read.selectFrom('curator_roles').select('role_id').where('guild_id', '=', this.guildId).orderBy('role_id').execute();
    const settings = await this.read.selectFrom('guild_settings').select(['key', 'value']).where('guild_id', '=', this.guildId).execute();
    const out: GuildConfig = { curatorRoles: rows.map((r) => r.role_id) };
    for (const [name, key] of Object.entries(SETTING_KEYS) as [SettingName, string][]) {
      const v = settings.find((x) => x.key === key)?.value;
      if (v !== undefined) out[name] = v;
    }
    return out;
  }

  async watches(): Promise<Watch[]> {
    const rows = await this.read.selectFrom('watches').selectAll().where('guild_id', '=', this.guildId).orderBy('created_at').execute();
    return rows.map((r) => ({
      user: r.user_id, type: r.type, id: r.entry_id, channel: r.channel, locale: r.locale as Watch['locale'],
      seen: JSON.parse(r.seen) as string[], createdAt: r.created_at,
      ...(r.delivery !== 'channel' ? { delivery: r.delivery as Watch['delivery'] } : {}),
    }));
  }

  // ---- entry writes ----

  /** `within` runs in the same transaction after the entry is written (e.g. its contact, an approved submission). */
  async add(type: EntryType, fields: EntryFields, actor: Actor, within?: (t: Kysely<DB>, entry: StoredEntry) => Promise<void>): Promise<StoredEntry> {
    return this.write(async (t, g) => {
      let n = type === 'need' ? g.next_need : g.next_capability;
      // An imported id outside our scheme's padding could hold the number: skip it (ids are never reused).
      while (await this.row(t, type, formatId(type, n))) n += 1;
      const id = formatId(type, n);
      await t.updateTable('guilds').set(type === 'need' ? { next_need: n + 1 } : { next_capability: n + 1 }).where('guild_id', '=', this.guildId).execute();
      const at = this.now().toISOString();
      const entry = { id, ...fields, status: 'open', createdAt: at, updatedAt: at, createdBy: actor.id, version: 1 } as StoredEntry;
      await t.insertInto('entries').values({
        guild_id: this.guildId, type, id, fields: fieldsJson(entry), status: 'open', version: 1, created_at: at, updated_at: at, created_by: actor.id,
      }).execute();
      await t.insertInto('audit').values(auditRow(this.guildId, at, actor, 'add', { type, id, version: 1, changes: diff({}, toRecord(entry)) })).execute();
      await this.feed(t, g.rev, type, [id]);
      await within?.(t, entry);
      return entry;
    });
  }

  /**
   * Applies a partial edit; fields set to undefined are cleared (optional ones only). With
   * opts.version (the version the user's form or command was based on), an entry changed since is
   * not touched: the error lists what changed, field by field, from the audit trail.
   */
  async edit(type: EntryType, id: string, patch: Partial<EntryFields>, actor: Actor, opts: { version?: number } = {}): Promise<StoredEntry> {
    return this.write(async (t, g) => {
      const row = await this.row(t, type, id);
      if (!row) throw notFound(type, id);
      const before = toEntry(row);
      if (opts.version !== undefined && before.version !== opts.version) throw await this.stale(t, type, id, opts.version);
      const at = this.now().toISOString();
      const after = { ...before, ...patch, updatedAt: at, version: before.version! + 1 } as StoredEntry;
      for (const [k, v] of Object.entries(after)) if (v === undefined) delete (after as Record<string, unknown>)[k];
      const changes = diff(before, after);
      if (Object.keys(changes).length === 0) throw new Rollback(before);
      await t.updateTable('entries').set({ fields: fieldsJson(after), updated_at: at, version: after.version! })
        .where('guild_id', '=', this.guildId).where('type', '=', type).where('id', '=', id).execute();
      await t.insertInto('audit').values(auditRow(this.guildId, at, actor, 'edit', { type, id, version: after.version, changes })).execute();
      await this.feed(t, g.rev, type, [id]);
      return after;
    });
  }

  private async stale(t: Kysely<DB>, type: EntryType, id: string, version: number): Promise<UserError> {
    const rows = await t.selectFrom('audit').selectAll()
      .where('guild_id', '=', this.guildId).where('type', '=', type).where('entry_id', '=', id).where('version', '>', version)
      .orderBy('seq').limit(20).execute();
    const records = rows.map(toAuditRecord);
    if (records.length === 0) {
      // Changed by an import or a restore (one audit record for the whole file): name the latest.
      const bulk = await t.selectFrom('audit').selectAll().where('guild_id', '=', this.guildId).where('action', 'in', ['import', 'restore'])
        .orderBy('seq', 'desc').limit(1).execute();
      records.push(...bulk.map(toAuditRecord));
    }
    const names = [...new Set(records.map((r) => r.actor.name))].join(', ') || '?';
    return new UserError('error.staleEdit', { id, names }, changeLines(records));
  }

  /** opts.action: the audit action when it is not the plain close / reopen (expire, matched). */
  async setStatus(type: EntryType, id: string, status: EntryStatus, actor: Actor, opts: { action?: AuditAction } = {}): Promise<StoredEntry> {
    return this.write(async (t, g) => {
      const row = await this.row(t, type, id);
      if (!row) throw notFound(type, id);
      const before = toEntry(row);
      if (before.status === status) throw new UserError(status === 'open' ? 'error.alreadyOpen' : 'error.alreadyClosed', { id });
      const at = this.now().toISOString();
      const after = { ...before, status, updatedAt: at, version: before.version! + 1 } as StoredEntry;
      await t.updateTable('entries').set({ status, updated_at: at, version: after.version! })
        .where('guild_id', '=', this.guildId).where('type', '=', type).where('id', '=', id).execute();
      const action = opts.action ?? (status === 'closed' ? 'close' : status === 'matched' ? 'matched' : 'reopen');
      await t.insertInto('audit').values(auditRow(this.guildId, at, actor, action, {
        type, id, version: after.version, changes: { status: [before.status, status] },
      })).execute();
      await this.feed(t, g.rev, type, [id]);
      return after;
    });
  }

  async remove(type: EntryType, id: string, actor: Actor): Promise<StoredEntry> {
    return this.write(async (t, g) => {
      const row = await this.row(t, type, id);
      if (!row) throw notFound(type, id);
      const before = toEntry(row);
      const at = this.now().toISOString();
      await t.deleteFrom('entries').where('guild_id', '=', this.guildId).where('type', '=', type).where('id', '=', id).execute();
      await t.insertInto('audit').values(auditRow(this.guildId, at, actor, 'remove', {
        type, id, version: before.version! + 1, changes: diff(toRecord(before), {}),
      })).execute();
      await this.feed(t, g.rev, type, [id]);
      return before;
    });
  }

  /** All-or-nothing import of an already validated dataset: one transaction. */
  async importDataset(data: Dataset, mode: ImportMode, actor: Actor): Promise<ImportResult> {
    return this.write(async (t, g) => {
      const at = this.now().toISOString();
      const result: ImportResult = { added: [], updated: [], removed: [], mode };
      const existing: { type: EntryType; id: string }[] = [];
      for (let after = 0; ;) {
        const rows = await t.selectFrom('entries').select(['row_id', 'type', 'id']).where('guild_id', '=', this.guildId)
          .where('row_id', '>', after).orderBy('row_id').limit(PAGE * 20).execute();
        for (const r of rows) existing.push({ type: r.type, id: r.id });
        if (rows.length < PAGE * 20) break;
        after = Number(rows[rows.length - 1]!.row_id);
        await breathe();
      }
      const next = { need: g.next_need, capability: g.next_capability };
      const touched: { type: EntryType; id: string }[] = [];
      for (const type of ENTRY_TYPES) {
        const records: EntryRecord[] = type === 'need' ? data.needs : data.capabilities;
        const incoming = new Set(records.map((r) => r.id));
        const have = new Set(existing.filter((e) => e.type === type).map((e) => e.id));
        if (mode === 'replace') {
          const gone = [...have].filter((id) => !incoming.has(id));
          for (let i = 0; i < gone.length; i += BATCH) {
            await t.deleteFrom('entries').where('guild_id', '=', this.guildId).where('type', '=', type).where('id', 'in', gone.slice(i, i + BATCH)).execute();
            await breathe();
          }
          result.removed.push(...gone);
          for (const id of gone) touched.push({ type, id });
        }
        for (const r of records) {
          (have.has(r.id) ? result.updated : result.added).push(r.id);
          touched.push({ type, id: r.id });
          const n = idNumber(type, r.id);
          if (n !== undefined && n >= next[type]) next[type] = n + 1;
        }
        for (let i = 0; i < records.length; i += BATCH) {
          const rows = records.slice(i, i + BATCH).map((r) => ({
            guild_id: this.guildId, type, id: r.id, fields: fieldsJson(r), status: 'open' as const, version: 1,
            created_at: at, updated_at: at, created_by: actor.id,
          }));
          // Merge keeps an updated entry's status; replace reopens it (the format has no status).
          await t.insertInto('entries').values(rows).onConflict((oc) => oc.columns(['guild_id', 'type', 'id']).doUpdateSet((eb) => ({
            fields: eb.ref('excluded.fields'),
            updated_at: eb.ref('excluded.updated_at'),
            version: eb('entries.version', '+', 1),
            ...(mode === 'replace' ? { status: eb.ref('excluded.status') } : {}),
          }))).execute();
          // Still one transaction, but the event loop (other guilds' requests, this one's /match from
          // the index as it stands) gets a turn between statements: SQLite's are synchronous.
          await breathe();
        }
      }
      await t.updateTable('guilds').set({ next_need: next.need, next_capability: next.capability }).where('guild_id', '=', this.guildId).execute();
      await t.insertInto('audit').values(auditRow(this.guildId, at, actor, 'import', {
        summary: `${mode}: ${result.added.length} added, ${result.updated.length} updated, ${result.removed.length} removed`,
      })).execute();
      if (touched.length > FEED_ENTRIES_MAX) await this.feed(t, g.rev, null, [null]);
      else for (const type of ENTRY_TYPES) await this.feed(t, g.rev, type, touched.filter((x) => x.type === type).map((x) => x.id));
      return result;
    });
  }

  // ---- config and watches: single statements, no read-modify-write ----

  /** False when the role was already a curator role. */
  async addCuratorRole(roleId: string, actor: Actor): Promise<boolean> {
    return this.store.tx(async (t) => {
      const r = await t.insertInto('curator_roles').values({ guild_id: this.guildId, role_id: roleId })
        .onConflict((oc) => oc.columns(['guild_id', 'role_id']).doNothing()).executeTakeFirst();
      const added = Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
      if (added) await t.insertInto('audit').values(auditRow(this.guildId, this.now().toISOString(), actor, 'config', { summary: `curator-role add ${roleId}` })).execute();
      return added;
    });
  }

  /** Sets (value) or clears (null) one guild setting, with its audit row. */
  async setSetting(name: SettingName, value: string | null, actor: Actor): Promise<void> {
    const key = SETTING_KEYS[name];
    await this.store.tx(async (t) => {
      if (value === null) await t.deleteFrom('guild_settings').where('guild_id', '=', this.guildId).where('key', '=', key).execute();
      else {
        await t.insertInto('guild_settings').values({ guild_id: this.guildId, key, value })
          .onConflict((oc) => oc.columns(['guild_id', 'key']).doUpdateSet({ value })).execute();
      }
      await t.insertInto('audit').values(auditRow(this.guildId, this.now().toISOString(), actor, 'config', { summary: `${key} ${value ?? '-'}` })).execute();
    });
  }

  /** False when the role was not a curator role. */
  async removeCuratorRole(roleId: string, actor: Actor): Promise<boolean> {
    return this.store.tx(async (t) => {
      const r = await t.deleteFrom('curator_roles').where('guild_id', '=', this.guildId).where('role_id', '=', roleId).executeTakeFirst();
      const removed = Number(r.numDeletedRows) > 0;
      if (removed) await t.insertInto('audit').values(auditRow(this.guildId, this.now().toISOString(), actor, 'config', { summary: `curator-role remove ${roleId}` })).execute();
      return removed;
    });
  }

  /**
   * Adds or replaces a member's watch of one entry, unless the member already holds `max` others.
   * One statement (INSERT … SELECT … WHERE count < max ON CONFLICT DO UPDATE). False: too many.
   */
  async addWatch(w: Watch, max: number): Promise<boolean> {
    const r = await sql`
      insert into watches (guild_id, user_id, type, entry_id, channel, locale, seen, created_at, delivery, pending)
      select ${this.guildId}, ${w.user}, ${w.type}, ${w.id}, ${w.channel}, ${w.locale}, ${JSON.stringify(w.seen)}, ${w.createdAt}, ${w.delivery ?? 'channel'}, '[]'
      where (select count(*) from watches where guild_id = ${this.guildId} and user_id = ${w.user}
             and not (type = ${w.type} and entry_id = ${w.id})) < ${max}
      on conflict (guild_id, user_id, type, entry_id) do update set
        channel = excluded.channel, locale = excluded.locale, seen = excluded.seen, created_at = excluded.created_at,
        delivery = excluded.delivery, pending = excluded.pending`.execute(this.db);
    return Number(r.numAffectedRows ?? 0n) > 0;
  }

  /** Removes a member's watches of an entry id; false when there was none. */
  async removeWatch(user: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('watches').where('guild_id', '=', this.guildId).where('user_id', '=', user).where('entry_id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /**
   * Compare-and-set of a watch's announced partners: true only for the one caller (of all workers)
   * whose view of `seen` was current, so each partner is announced once.
   */
  async markSeen(w: Watch, seen: readonly string[]): Promise<boolean> {
    const r = await this.db.updateTable('watches').set({ seen: JSON.stringify(seen) })
      .where('guild_id', '=', this.guildId).where('user_id', '=', w.user).where('type', '=', w.type).where('entry_id', '=', w.id)
      .where('seen', '=', JSON.stringify(w.seen)).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}

/** The whole store: one database, one directory object per guild, following other processes' writes. */
export class Directory {
  private guilds = new Map<string, GuildDirectory>();
  private openers = new Set<(g: GuildDirectory) => void>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private unlisten: Promise<(() => Promise<void>) | undefined> | undefined;

  /** pollMs: how often other processes' writes are looked for (0: only on reads). */
  constructor(readonly store: Store, private readonly now?: () => Date, opts: { pollMs?: number } = {}) {
    const pollMs = opts.pollMs ?? 300;
    if (pollMs > 0) this.timer = setInterval(() => void this.poll(), pollMs).unref();
    if (store.listen) {
      this.unlisten = store.listen((guildId) => void this.guilds.get(guildId)?.sync().catch(() => {})).catch(() => undefined);
    }
  }

  /** Called for every guild directory this process opens (now and later). */
  onGuild(listener: (g: GuildDirectory) => void): void {
    this.openers.add(listener);
    for (const g of this.guilds.values()) listener(g);
  }

  guild(guildId: string): GuildDirectory {
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(guildId)) throw new Error(`invalid guild id "${guildId}"`);
    let g = this.guilds.get(guildId);
    if (!g) {
      g = new GuildDirectory(guildId, this.store, this.now);
      this.guilds.set(guildId, g);
      for (const l of this.openers) l(g);
    }
    return g;
  }

  /** One indexed query for the revisions of the guilds this process holds; catches up those that moved. */
  async poll(): Promise<void> {
    if (this.polling) return;
    const loaded = [...this.guilds.values()].filter((g) => g.loadedRev !== undefined);
    if (loaded.length === 0) return;
    this.polling = true;
    try {
      const rows = await this.store.read.selectFrom('guilds').select(['guild_id', 'rev']).where('guild_id', 'in', loaded.map((g) => g.guildId)).execute();
      for (const r of rows) {
        const g = this.guilds.get(r.guild_id);
        if (g && g.loadedRev !== Number(r.rev)) await g.sync();
      }
    } catch {
      // the store is unreachable for now: reads will say so; polling goes on
    } finally {
      this.polling = false;
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const stop = await this.unlisten;
    await stop?.();
  }
}

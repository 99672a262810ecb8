// Per-guild directory on keyv. Keys are "g:<guild>:…", so no call can reach another guild's data.
// Writes in one guild run one at a time; readers reload when another process bumped the revision.
import type Keyv from 'keyv';
import type { Dataset } from '../domain/dataset.ts';
import { toDataset } from '../domain/dataset.ts';
import {
  ENTRY_TYPES, toRecord,
  type EntryFields, type EntryRecord, type EntryStatus, type EntryType, type StoredEntry,
  type NeedRecord, type CapabilityRecord,
} from '../domain/entry.ts';
import { UserError } from '../domain/errors.ts';
import { noLock, type Lock } from './lock.ts';
import { SerialQueue } from './serial.ts';
import type { Watch } from '../domain/watch.ts';

export interface Actor { id: string; name: string }

export const AUDIT_ACTIONS = ['add', 'edit', 'remove', 'close', 'reopen', 'import', 'config'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditRecord {
  seq: number;
  at: string;
  actor: Actor;
  action: AuditAction;
  type?: EntryType;
  id?: string;
  /** field → [before, after] */
  changes?: Record<string, [unknown, unknown]>;
  summary?: string;
}

export type ChangeEvent =
  | { kind: 'upsert'; type: EntryType; entry: StoredEntry }
  | { kind: 'remove'; type: EntryType; id: string }
  | { kind: 'reset' };

export interface GuildConfig { curatorRoles: string[] }

interface Meta {
  rev: number;
  next: Record<EntryType, number>;
  audit: number;
  ids: Record<EntryType, string[]>;
}

interface State {
  meta: Meta;
  entries: Record<EntryType, Map<string, StoredEntry>>;
}

interface Journal {
  sets: [string, unknown][];
  deletes: string[];
  meta: Meta;
}

export type ImportMode = 'merge' | 'replace';
export interface ImportResult { added: string[]; updated: string[]; removed: string[]; mode: ImportMode }

const PREFIX: Record<EntryType, string> = { need: 'N', capability: 'C' };
const BATCH = 500;

const emptyMeta = (): Meta => ({ rev: 0, next: { need: 1, capability: 1 }, audit: 0, ids: { need: [], capability: [] } });

function notFound(type: EntryType, id: string): UserError {
  return new UserError(type === 'need' ? 'error.needNotFound' : 'error.capabilityNotFound', { id });
}

export function formatId(type: EntryType, n: number): string {
  return `${PREFIX[type]}-${String(n).padStart(4, '0')}`;
}

/** Number part of an id in our own scheme, so imports move the counter past it. */
function idNumber(type: EntryType, id: string): number | undefined {
  const m = new RegExp(`^${PREFIX[type]}-(\\d{1,9})$`).exec(id);
  return m ? Number(m[1]) : undefined;
}

function diff(before: object, after: object): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const k of keys) {
    if (k === 'updatedAt') continue;
    const a = (before as Record<string, unknown>)[k];
    const b = (after as Record<string, unknown>)[k];
    if (JSON.stringify(a) !== JSON.stringify(b)) out[k] = [a, b];
  }
  return out;
}

export class GuildDirectory {
  private state: State | undefined;
  private listeners = new Set<(e: ChangeEvent) => void>();

  constructor(
    readonly guildId: string,
    private readonly keyv: Keyv,
    private readonly queue: SerialQueue,
    private readonly now: () => Date = () => new Date(),
    private readonly lock: Lock = noLock,
  ) {}

  private key(...parts: string[]): string {
    return `g:${this.guildId}:${parts.join(':')}`;
  }

  subscribe(listener: (e: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: ChangeEvent): void {
    for (const l of this.listeners) l(e);
  }

  /**
   * Brings the cache up to date with the store (another worker may have written). One small read
   * (the revision) when nothing changed; the entries another worker changed, found through the
   * audit trail, when it did; everything only after an import or on first use. A journal left by
   * an interrupted import is rolled forward inside the write queue, so a reader can never replay
   * it over writes that came after it.
   */
  private async fresh(inQueue = false): Promise<State> {
    if (this.state) {
      const rev = await this.keyv.get<number>(this.key('rev'));
      if (rev === this.state.meta.rev) return this.state;
    }
    if (await this.keyv.get<Journal>(this.key('journal'))) {
      if (inQueue) await this.recover();
      else await this.queue.run(this.guildId, () => this.recover());
    }
    const meta = (await this.keyv.get<Meta>(this.key('meta'))) ?? emptyMeta();
    if (this.state && this.state.meta.rev === meta.rev) return this.state;
    if (this.state && (await this.catchUp(this.state, meta))) return this.state;
    const entries = { need: new Map<string, StoredEntry>(), capability: new Map<string, StoredEntry>() };
    for (const type of ENTRY_TYPES) {
      const ids = meta.ids[type];
      for (let i = 0; i < ids.length; i += BATCH) {
        const chunk = ids.slice(i, i + BATCH);
        const values = await this.keyv.getMany<StoredEntry>(chunk.map((id) => this.key(type, id)));
        values.forEach((v, j) => {
          if (v) entries[type].set(chunk[j]!, v);
        });
      }
    }
    const hadState = this.state !== undefined;
    this.state = { meta, entries };
    if (hadState) this.emit({ kind: 'reset' });
    return this.state;
  }

  /** Applies another worker's single-entry changes, read from the audit trail. False: reload all. */
  private async catchUp(state: State, meta: Meta): Promise<boolean> {
    const from = state.meta.audit + 1;
    const count = meta.audit - state.meta.audit;
    if (count <= 0 || count > 200) return false;
    const keys = Array.from({ length: count }, (_, i) => this.key('audit', String(from + i).padStart(9, '0')));
    const records = await this.keyv.getMany<AuditRecord>(keys);
    const touched = new Map<string, { type: EntryType; id: string }>();
    for (const r of records) {
      if (!r) return false;
      if (r.action === 'config') continue;
      if (!r.type || !r.id) return false; // an import: too much to follow one by one
      touched.set(`${r.type}:${r.id}`, { type: r.type, id: r.id });
    }
    const list = [...touched.values()];
    const values = await this.keyv.getMany<StoredEntry>(list.map((t) => this.key(t.type, t.id)));
    state.meta = meta;
    list.forEach(({ type, id }, i) => {
      const v = values[i];
      if (v && meta.ids[type].includes(id)) {
        state.entries[type].set(id, v);
        this.emit({ kind: 'upsert', type, entry: v });
      } else if (state.entries[type].delete(id)) this.emit({ kind: 'remove', type, id });
    });
    return true;
  }

  /** Rolls a pending journal forward, unless the store already moved past it. Runs in the queue. */
  private async recover(): Promise<void> {
    const journal = await this.keyv.get<Journal>(this.key('journal'));
    if (!journal) return;
    const meta = await this.keyv.get<Meta>(this.key('meta'));
    if (meta && meta.rev >= journal.meta.rev) await this.keyv.delete(this.key('journal'));
    else await this.applyJournal(journal);
  }

  private async applyJournal(j: Journal): Promise<void> {
    for (let i = 0; i < j.sets.length; i += BATCH) {
      await Promise.all(j.sets.slice(i, i + BATCH).map(([k, v]) => this.keyv.set(k, v)));
    }
    for (let i = 0; i < j.deletes.length; i += BATCH) await this.keyv.deleteMany(j.deletes.slice(i, i + BATCH));
    await this.keyv.set(this.key('meta'), j.meta);
    await this.keyv.set(this.key('rev'), j.meta.rev);
    await this.keyv.delete(this.key('journal'));
  }

  private write<T>(task: (s: State) => Promise<T>): Promise<T> {
    return this.queue.run(this.guildId, async () => {
      // In this process the queue orders writes; across processes the lock does, and fresh()
      // then catches up with what other workers wrote before this write reads the counters.
      const release = await this.lock(this.guildId);
      try {
        return await task(await this.fresh(true));
      } catch (err) {
        // A failed write may have left the cache ahead of the store: reload next time.
        if (!(err instanceof UserError)) this.state = undefined;
        throw err;
      } finally {
        await release();
      }
    });
  }

  private async audit(s: State, record: Omit<AuditRecord, 'seq' | 'at'>, at: string): Promise<void> {
    s.meta.audit += 1;
    const full: AuditRecord = { seq: s.meta.audit, at, ...record };
    await this.keyv.set(this.key('audit', String(full.seq).padStart(9, '0')), full);
  }

  /** Meta first, then the small revision readers poll: a reader that sees the new rev finds the new meta. */
  private async commit(s: State): Promise<void> {
    s.meta.rev += 1;
    await this.keyv.set(this.key('meta'), s.meta);
    await this.keyv.set(this.key('rev'), s.meta.rev);
  }

  // ---- reads ----

  async refresh(): Promise<void> {
    await this.fresh();
  }

  async list(type: EntryType, opts: { status?: EntryStatus | 'all' } = {}): Promise<StoredEntry[]> {
    const s = await this.fresh();
    const status = opts.status ?? 'open';
    const all = s.meta.ids[type].map((id) => s.entries[type].get(id)).filter((e): e is StoredEntry => !!e);
    return status === 'all' ? all : all.filter((e) => e.status === status);
  }

  async get(type: EntryType, id: string): Promise<StoredEntry | undefined> {
    return (await this.fresh()).entries[type].get(id);
  }

  async require(type: EntryType, id: string): Promise<StoredEntry> {
    const entry = await this.get(type, id);
    if (!entry) throw notFound(type, id);
    return entry;
  }

  async counts(): Promise<Record<EntryType, Record<EntryStatus, number>>> {
    const s = await this.fresh();
    const out = { need: { open: 0, closed: 0 }, capability: { open: 0, closed: 0 } };
    for (const type of ENTRY_TYPES) for (const e of s.entries[type].values()) out[type][e.status] += 1;
    return out;
  }

  async auditLog(limit = 20): Promise<AuditRecord[]> {
    const s = await this.fresh();
    const seqs: number[] = [];
    for (let n = s.meta.audit; n > 0 && seqs.length < limit; n--) seqs.push(n);
    const values = await this.keyv.getMany<AuditRecord>(seqs.map((n) => this.key('audit', String(n).padStart(9, '0'))));
    return values.filter((v): v is AuditRecord => !!v);
  }

  async exportDataset(opts: { includeClosed?: boolean } = {}): Promise<Dataset> {
    const status = opts.includeClosed ? 'all' : 'open';
    const needs = (await this.list('need', { status })).map(toRecord) as NeedRecord[];
    const caps = (await this.list('capability', { status })).map(toRecord) as CapabilityRecord[];
    return toDataset(needs, caps);
  }

  async getConfig(): Promise<GuildConfig> {
    return (await this.keyv.get<GuildConfig>(this.key('config'))) ?? { curatorRoles: [] };
  }

  // ---- writes ----

  async add(type: EntryType, fields: EntryFields, actor: Actor): Promise<StoredEntry> {
    return this.write(async (s) => {
      let n = s.meta.next[type];
      while (s.entries[type].has(formatId(type, n))) n += 1;
      const id = formatId(type, n);
      s.meta.next[type] = n + 1;
      const at = this.now().toISOString();
      const entry = { id, ...fields, status: 'open', createdAt: at, updatedAt: at, createdBy: actor.id } as StoredEntry;
      await this.keyv.set(this.key(type, id), entry);
      s.meta.ids[type].push(id);
      await this.audit(s, { actor, action: 'add', type, id, changes: diff({}, toRecord(entry)) }, at);
      await this.commit(s);
      s.entries[type].set(id, entry);
      this.emit({ kind: 'upsert', type, entry });
      return entry;
    });
  }

  /** Applies a partial edit; fields set to undefined are cleared (optional ones only). */
  async edit(type: EntryType, id: string, patch: Partial<EntryFields>, actor: Actor): Promise<StoredEntry> {
    return this.write(async (s) => {
      const before = s.entries[type].get(id);
      if (!before) throw notFound(type, id);
      const at = this.now().toISOString();
      const after = { ...before, ...patch, updatedAt: at } as StoredEntry;
      for (const [k, v] of Object.entries(after)) if (v === undefined) delete (after as Record<string, unknown>)[k];
      const changes = diff(before, after);
      if (Object.keys(changes).length === 0) return before;
      await this.keyv.set(this.key(type, id), after);
      await this.audit(s, { actor, action: 'edit', type, id, changes }, at);
      await this.commit(s);
      s.entries[type].set(id, after);
      this.emit({ kind: 'upsert', type, entry: after });
      return after;
    });
  }

  async setStatus(type: EntryType, id: string, status: EntryStatus, actor: Actor): Promise<StoredEntry> {
    return this.write(async (s) => {
      const before = s.entries[type].get(id);
      if (!before) throw notFound(type, id);
      if (before.status === status) throw new UserError(status === 'closed' ? 'error.alreadyClosed' : 'error.alreadyOpen', { id });
      const at = this.now().toISOString();
      const after = { ...before, status, updatedAt: at } as StoredEntry;
      await this.keyv.set(this.key(type, id), after);
      await this.audit(s, { actor, action: status === 'closed' ? 'close' : 'reopen', type, id, changes: { status: [before.status, status] } }, at);
      await this.commit(s);
      s.entries[type].set(id, after);
      this.emit({ kind: 'upsert', type, entry: after });
      return after;
    });
  }

  async remove(type: EntryType, id: string, actor: Actor): Promise<StoredEntry> {
    return this.write(async (s) => {
      const before = s.entries[type].get(id);
      if (!before) throw notFound(type, id);
      const at = this.now().toISOString();
      await this.audit(s, { actor, action: 'remove', type, id, changes: diff(toRecord(before), {}) }, at);
      s.meta.ids[type] = s.meta.ids[type].filter((x) => x !== id);
      await this.commit(s);
      await this.keyv.delete(this.key(type, id));
      s.entries[type].delete(id);
      this.emit({ kind: 'remove', type, id });
      return before;
    });
  }

  /**
   * All-or-nothing import of an already validated dataset. The whole change is written to a
   * journal first, so a crash part-way is rolled forward on the next open.
   */
  async importDataset(data: Dataset, mode: ImportMode, actor: Actor): Promise<ImportResult> {
    return this.write(async (s) => {
      const at = this.now().toISOString();
      const result: ImportResult = { added: [], updated: [], removed: [], mode };
      const meta: Meta = structuredClone(s.meta);
      const sets: [string, unknown][] = [];
      const deletes: string[] = [];
      const next = { need: new Map<string, StoredEntry>(), capability: new Map<string, StoredEntry>() };
      for (const type of ENTRY_TYPES) {
        const records: EntryRecord[] = type === 'need' ? data.needs : data.capabilities;
        const incoming = new Set(records.map((r) => r.id));
        const kept = mode === 'merge' ? meta.ids[type] : meta.ids[type].filter((id) => incoming.has(id));
        if (mode === 'replace') {
          for (const id of meta.ids[type]) if (!incoming.has(id)) { deletes.push(this.key(type, id)); result.removed.push(id); }
        }
        const ids = [...kept];
        const known = new Set(ids);
        for (const record of records) {
          const before = s.entries[type].get(record.id);
          const entry = {
            ...record,
            status: before && mode === 'merge' ? before.status : 'open',
            createdAt: before?.createdAt ?? at,
            updatedAt: at,
            createdBy: before?.createdBy ?? actor.id,
          } as StoredEntry;
          if (before) result.updated.push(record.id);
          else result.added.push(record.id);
          if (!known.has(record.id)) { ids.push(record.id); known.add(record.id); }
          sets.push([this.key(type, record.id), entry]);
          next[type].set(record.id, entry);
          const n = idNumber(type, record.id);
          if (n !== undefined && n >= meta.next[type]) meta.next[type] = n + 1;
        }
        meta.ids[type] = ids;
      }
      meta.audit += 1;
      const record: AuditRecord = {
        seq: meta.audit, at, actor, action: 'import',
        summary: `${mode}: ${result.added.length} added, ${result.updated.length} updated, ${result.removed.length} removed`,
      };
      sets.push([this.key('audit', String(meta.audit).padStart(9, '0')), record]);
      meta.rev += 1;
      const journal: Journal = { sets, deletes, meta };
      await this.keyv.set(this.key('journal'), journal);
      await this.applyJournal(journal);
      // Rebuild the cache from what was written.
      for (const type of ENTRY_TYPES) {
        const map = new Map<string, StoredEntry>();
        for (const id of meta.ids[type]) {
          const e = next[type].get(id) ?? s.entries[type].get(id);
          if (e) map.set(id, e);
        }
        s.entries[type] = map;
      }
      s.meta = meta;
      this.emit({ kind: 'reset' });
      return result;
    });
  }

  async watches(): Promise<Watch[]> {
    return (await this.keyv.get<Watch[]>(this.key('watches'))) ?? [];
  }

  /** Read-modify-write of the watch list, in the guild's write order (not directory content: no revision, no audit). */
  async updateWatches<T>(change: (watches: Watch[]) => { watches: Watch[]; result: T }): Promise<T> {
    return this.write(async () => {
      const { watches, result } = change(await this.watches());
      await this.keyv.set(this.key('watches'), watches);
      return result;
    });
  }

  async setConfig(config: GuildConfig, actor: Actor, summary: string): Promise<void> {
    await this.write(async (s) => {
      await this.keyv.set(this.key('config'), config);
      await this.audit(s, { actor, action: 'config', summary }, this.now().toISOString());
      await this.commit(s);
    });
  }
}

/** The whole store: one keyv, one directory object per guild. */
export class Directory {
  private guilds = new Map<string, GuildDirectory>();
  private queue = new SerialQueue();
  private openers = new Set<(g: GuildDirectory) => void>();

  /** Called for every guild directory this process opens (now and later). */
  onGuild(listener: (g: GuildDirectory) => void): void {
    this.openers.add(listener);
    for (const g of this.guilds.values()) listener(g);
  }

  constructor(private readonly keyv: Keyv, private readonly now?: () => Date, private readonly lock: Lock = noLock) {}

  guild(guildId: string): GuildDirectory {
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(guildId)) throw new Error(`invalid guild id "${guildId}"`);
    let g = this.guilds.get(guildId);
    if (!g) {
      g = new GuildDirectory(guildId, this.keyv, this.queue, this.now, this.lock);
      this.guilds.set(guildId, g);
      for (const l of this.openers) l(g);
    }
    return g;
  }
}

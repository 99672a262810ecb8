// One ranker per guild, kept in step with the directory through its change events. Builds and
// big updates (an import, another worker's import) run in slices that yield to the event loop, so
// no guild's request waits behind them: while a guild's index first builds, its requests wait (the
// dispatcher defers them in time); while it updates, they are served from the index as it stands,
// and `updating` says so.
import { setImmediate as yieldLoop } from 'node:timers/promises';
import type { ChangeEvent, GuildDirectory } from '../store/directory.ts';
import { ENTRY_TYPES, type EntryType } from '../domain/entry.ts';
import type { Doc, Ranker } from './types.ts';

export type RankerFactory = (docs: Doc[]) => Ranker;

/** Work per slice before the event loop gets a turn: well under the ~50 ms users or Discord would notice. */
export const SLICE_MS = 8;
/** Up to this many changes are applied in one go. */
const SYNC_OPS = 300;

type Op = { kind: 'upsert'; doc: Doc } | { kind: 'remove'; type: EntryType; id: string };
type Entry = Doc['record'] & { status?: Doc['status'] };

class GuildIndex {
  readonly ranker: Ranker;
  /** What the ranker holds, by "type:id" (the store's objects, compared to find what an import changed). */
  readonly held = new Map<string, Entry>();
  private ops: Op[] = [];
  private head = 0;
  private draining: Promise<void> | undefined;
  /** The first build: requests wait for it instead of seeing a partial index. */
  ready: Promise<void> = Promise.resolve();

  constructor(factory: RankerFactory) {
    this.ranker = factory([]);
  }

  get pending(): number {
    return this.ops.length - this.head;
  }

  push(op: Op): void {
    this.ops.push(op);
  }

  /** Applies queued changes in time slices; resolves when none are left. */
  drain(): Promise<void> {
    if (!this.draining) {
      this.draining = this.run().finally(() => {
        this.draining = undefined;
        if (this.pending) void this.drain();
      });
    }
    return this.draining;
  }

  private async run(): Promise<void> {
    while (this.head < this.ops.length) {
      // A small guild's changes go in at once (as quick as a slice, and its request needs no deferring).
      const end = this.pending <= SYNC_OPS ? Infinity : performance.now() + SLICE_MS;
      do this.apply(this.ops[this.head++]!);
      while (this.head < this.ops.length && performance.now() < end);
      if (this.head < this.ops.length) await yieldLoop();
    }
    this.ops = [];
    this.head = 0;
  }

  /** Loads (reading the directory and comparing) under way. */
  loading = 0;

  get busy(): boolean {
    return this.draining !== undefined || this.loading > 0;
  }

  apply(op: Op): void {
    if (op.kind === 'upsert') {
      this.ranker.upsert(op.doc);
      this.held.set(`${op.doc.type}:${op.doc.record.id}`, op.doc.record);
    } else {
      this.ranker.remove(op.type, op.id);
      this.held.delete(`${op.type}:${op.id}`);
    }
  }
}

const docOf = (type: EntryType, entry: Entry): Doc => ({ type, record: entry, status: entry.status });

export class MatchService {
  private guilds = new Map<string, GuildIndex>();
  private watched = new Set<string>();

  constructor(private readonly factory: RankerFactory) {}

  /** Entries held by every guild's index in this process (metrics). */
  indexedEntries(): number {
    let n = 0;
    for (const g of this.guilds.values()) n += g.ranker.size;
    return n;
  }

  /** The guild's ranker, after the directory caught up with writes from other processes. */
  async forGuild(dir: GuildDirectory): Promise<Ranker> {
    await dir.refresh();
    let g = this.guilds.get(dir.guildId);
    if (!g) {
      const fresh = (g = new GuildIndex(this.factory));
      this.guilds.set(dir.guildId, g);
      this.follow(dir, g);
      g.ready = this.load(dir, g).catch((err: unknown) => {
        this.forget(dir.guildId, fresh);
        throw err;
      });
    }
    await g.ready;
    return g.ranker;
  }

  /** Changes still being applied to the guild's index (0: it is up to date). */
  updating(guildId: string): number {
    const g = this.guilds.get(guildId);
    return g?.busy ? Math.max(1, g.pending) : 0;
  }

  /**
   * Loads what a guild's first /match would otherwise load (glossary, typo tables, the word cutter of
   * explanations) by matching two entries with reasons; called once at start.
   */
  warmUp(): void {
    const entry = (id: string, title: string, description: string) => ({ id, org: 'warm-up', title, description });
    const r = this.factory([
      { type: 'need', record: entry('N-0001', '燃料电池电堆寿命短', 'PEMFC stack degradation, 质子交换膜燃料电池 催化剂 衰减') },
      { type: 'capability', record: entry('C-0001', '燃料电池实验室', 'fuel cell stacks and catalysts, 燃料电池电堆与膜电极') },
    ]);
    r.matchEntry('need', 'N-0001', { top: 1 });
    r.search('燃料电也 fuell cell', ['capability'], { top: 1 });
  }

  private forget(guildId: string, g: GuildIndex): void {
    if (this.guilds.get(guildId) === g) this.guilds.delete(guildId);
  }

  private follow(dir: GuildDirectory, g: GuildIndex): void {
    if (this.watched.has(dir.guildId)) return;
    this.watched.add(dir.guildId);
    dir.subscribe((e: ChangeEvent) => {
      if (this.guilds.get(dir.guildId) !== g) return;
      if (e.kind === 'reset') {
        // Served as it stands meanwhile; if the update fails, the next request builds afresh.
        this.load(dir, g).catch(() => this.forget(dir.guildId, g));
        return;
      }
      const op: Op = e.kind === 'upsert' ? { kind: 'upsert', doc: docOf(e.type, e.entry) } : { kind: 'remove', type: e.type, id: e.id };
      // One change: applied at once, unless a big update is under way (then in order after it).
      if (g.busy) g.push(op);
      else g.apply(op);
    });
  }

  /** Queues what differs between the directory and the index (everything, the first time), then applies it. */
  private async load(dir: GuildDirectory, g: GuildIndex): Promise<void> {
    g.loading++;
    try {
      await this.compare(dir, g);
    } finally {
      g.loading--;
    }
    await g.drain();
  }

  private async compare(dir: GuildDirectory, g: GuildIndex): Promise<void> {
    const seen = new Set<string>();
    for (const type of ENTRY_TYPES) {
      const entries = await dir.list(type, { status: 'all' });
      let end = performance.now() + SLICE_MS;
      for (const entry of entries) {
        const key = `${type}:${entry.id}`;
        seen.add(key);
        const held = g.held.get(key);
        if (held !== entry && (held === undefined || JSON.stringify(held) !== JSON.stringify(entry))) g.push({ kind: 'upsert', doc: docOf(type, entry) });
        if (performance.now() > end) {
          await yieldLoop();
          end = performance.now() + SLICE_MS;
        }
      }
    }
    for (const key of g.held.keys()) {
      if (seen.has(key)) continue;
      const i = key.indexOf(':');
      g.push({ kind: 'remove', type: key.slice(0, i) as EntryType, id: key.slice(i + 1) });
    }
  }
}

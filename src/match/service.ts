// One ranker per guild, kept in step with the directory through its change events. Builds and
// big updates (an import, another worker's import) run in slices that yield to the event loop, so
// no guild's request waits behind them: while a guild's index first builds, its requests wait (the
// dispatcher defers them in time); while it updates, they are served from the index as it stands,
// and `updating` says so. Entries' analyses are read from the store ahead of the slices that index
// them and the fresh ones written back, so a rebuild or a restart does not analyse again.
// A big guild's built index is also stored whole (a snapshot: src/match/snapshot.ts), after a build or an
// import and whenever enough changes piled up since; a restart loads it and re-indexes only the entries
// that changed since (their version or status differs), falling back to a build when it is missing,
// foreign (another analyser) or corrupt.
import { silentLogger, type Logger } from '../log.ts';
import { setImmediate as yieldLoop } from 'node:timers/promises';
import type { ChangeEvent, GuildDirectory } from '../store/directory.ts';
import type { Store } from '../store/db.ts';
import { loadAnalyses, pruneAnalyses, saveAnalyses } from '../store/analyses.ts';
import { loadSnapshot, saveSnapshot, snapshotEntries } from '../store/snapshots.ts';
import type { Entry as SnapEntry, Snapshot } from './snapshot.ts';
import { buildInWorker, loadInWorker, retakeInWorker, type Built } from './build-worker-host.ts';
import { createRanker } from './engine.ts';
import { ShardedMap } from './sharded-map.ts';
import { ENTRY_TYPES, type EntryType } from '../domain/entry.ts';
import { versionOf, type AnalysisCache } from './analysis-cache.ts';
import type { Doc, Ranker } from './types.ts';

export type RankerFactory = (docs: Doc[], opts?: { analyses?: AnalysisCache }) => Ranker;

/** Work per slice before the event loop gets a turn: well under the ~50 ms users or Discord would notice. */
export const SLICE_MS = 8;
/** Up to this many changes are applied in one go. */
const SYNC_OPS = 300;
/** Stored analyses read per look-up, and fresh ones written per batch. */
const AHEAD = 500;

type Op = { kind: 'upsert'; doc: Doc } | { kind: 'remove'; type: EntryType; id: string };
type Entry = Doc['record'] & { status?: Doc['status'] };

/** A guild's stored analyses: what was read ahead (each used once) and what waits to be written. */
class Analyses implements AnalysisCache {
  ahead = new Map<string, string>();
  fresh = new Map<string, string>();
  get(key: string): string | undefined {
    const v = this.ahead.get(key);
    if (v !== undefined) this.ahead.delete(key);
    return v;
  }
  put(key: string, data: string): void {
    this.fresh.set(key, data);
  }
}

export interface ServiceOptions {
  /** Guilds with fewer entries get no snapshot (a build is quick). */
  snapshotMinEntries?: number;
  /** A new snapshot once this many changes were applied since the last one. */
  snapshotEvery?: number;
  /**
   * Builds of at least this many entries (a cold start without a snapshot, an import that changed most of a
   * guild) run in a worker thread; false: always in-thread. Default 5,000 with createRanker, else false.
   */
  workerMinEntries?: number | false;
  /**
   * Once per service (a process runs one), after the first guild of at least REHEARSE_MIN entries loads: this many of its
   * entries asked as queries in idle slices (Engine.rehearse), so users' first queries are not the ones
   * V8 compiles the query path on. Default 100; 0: none.
   */
  rehearse?: number;
  /** Where a failed rehearsal is reported (it costs the warm-up only, but should not pass unseen). */
  log?: Logger;
}

/** Guilds smaller than this exercise too little of the query path to be worth a rehearsal. */
const REHEARSE_MIN = 1000;

class GuildIndex {
  ranker: Ranker;
  readonly analyses = new Analyses();
  /** Changes applied since the last snapshot was taken or loaded. */
  changes = 0;
  /** A snapshot being taken and written. */
  snapshotting: Promise<void> | undefined;
  /** Ops before this one had their stored analyses read. */
  private readTo = 0;
  private saving: Promise<void> = Promise.resolve();
  /** Ops queued before ops[0] since the start (a position in the queue that survives its reset). */
  private base = 0;
  get seq(): number {
    return this.base + this.ops.length;
  }

  /** Inserts a comparison's changes where the queue stood when it began (before changes that came meanwhile). */
  insert(seq: number, ops: Op[]): void {
    this.ops.splice(Math.min(this.ops.length, Math.max(seq - this.base, this.head)), 0, ...ops);
  }

  get applying(): boolean {
    return this.draining !== undefined;
  }

  /** What the ranker holds, by "type:id" (the store's objects, compared to find what an import changed). */
  readonly held = new ShardedMap<Entry>();
  private ops: Op[] = [];
  private head = 0;
  private draining: Promise<void> | undefined;
  /** The first build: requests wait for it instead of seeing a partial index. */
  ready: Promise<void> = Promise.resolve();

  constructor(private readonly factory: RankerFactory, private readonly store: Store | undefined, private readonly pruned: (version: string) => boolean) {
    this.ranker = factory([], { analyses: this.analyses });
  }

  /** A fresh, empty ranker (a snapshot failed to load into the first). */
  reset(): void {
    this.ranker = this.factory([], { analyses: this.analyses });
    this.held.clear();
    this.analyses.ahead.clear();
  }

  get pending(): number {
    return this.ops.length - this.head;
  }

  push(op: Op): void {
    this.ops.push(op);
  }

  /** A snapshot being taken: changes wait for it (the snapshot is one state of the index). */
  capturing: Promise<unknown> | undefined;

  /** Applies queued changes in time slices; resolves when none are left. */
  drain(): Promise<void> {
    if (!this.draining) {
      const after = this.capturing?.catch(() => {});
      this.draining = (after ? after.then(() => this.run()) : this.run()).finally(() => {
        this.draining = undefined;
        if (this.pending) void this.drain();
      });
    }
    return this.draining;
  }

  private async run(): Promise<void> {
    while (this.head < this.ops.length) {
      if (this.head >= this.readTo) await this.readAhead();
      // A small guild's changes go in at once (as quick as a slice, and its request needs no deferring).
      const end = this.pending <= SYNC_OPS ? Infinity : performance.now() + SLICE_MS;
      do this.apply(this.ops[this.head++]!);
      while (this.head < this.ops.length && this.head < this.readTo && performance.now() < end);
      this.saveBatch();
      if (this.head < this.ops.length) await yieldLoop();
    }
    this.base += this.ops.length;
    this.ops = [];
    this.head = 0;
    this.readTo = 0;
    this.analyses.ahead.clear();
    this.save();
  }

  /** Reads the stored analyses of the next upserts (none stored, or the store failing: they are analysed). */
  private async readAhead(): Promise<void> {
    const to = Math.min(this.ops.length, this.head + AHEAD);
    const keys: string[] = [];
    if (this.store && this.ranker.analysisKey) {
      for (let i = this.head; i < to; i++) {
        const op = this.ops[i]!;
        const key = op.kind === 'upsert' ? this.ranker.analysisKey(op.doc.record) : undefined;
        if (key !== undefined) keys.push(key);
      }
    }
    if (keys.length) {
      const found = await loadAnalyses(this.store!, keys).catch(() => undefined);
      if (found) for (const [k, v] of found) this.analyses.ahead.set(k, v);
    }
    this.readTo = to;
  }

  saveBatch(): void {
    if (this.analyses.fresh.size >= AHEAD) this.save();
  }

  /** Writes fresh analyses back, one batch after another, off the request path. */
  save(): void {
    const fresh = this.analyses.fresh;
    if (fresh.size === 0) return;
    this.analyses.fresh = new Map();
    const store = this.store;
    if (!store) return;
    const version = versionOf(fresh.keys().next().value!);
    this.saving = this.saving
      .then(async () => {
        if (this.pruned(version)) await pruneAnalyses(store, version);
        await saveAnalyses(store, fresh);
      })
      .catch(() => {});
  }

  /** Resolves when the analyses handed over so far are written (tests, benchmarks). */
  saved(): Promise<void> {
    this.save();
    return this.saving;
  }

  /** Loads (reading the directory and comparing) under way. */
  loading = 0;

  get busy(): boolean {
    return this.draining !== undefined || this.loading > 0 || this.capturing !== undefined;
  }

  /** Changes not yet in the index (while a snapshot is taken, only those that came meanwhile). */
  get behind(): number {
    if (!this.busy) return 0;
    return this.draining !== undefined || this.loading > 0 ? Math.max(1, this.pending) : this.pending;
  }

  apply(op: Op): void {
    this.changes++;
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
  /** Analyser versions whose older analyses this process pruned from the store (once each). */
  private prunedVersions = new Set<string>();
  private readonly firstPrune = (version: string): boolean => {
    if (this.prunedVersions.has(version)) return false;
    this.prunedVersions.add(version);
    return true;
  };

  private readonly snapshotMin: number;
  private readonly snapshotEvery: number;
  private readonly workerMin: number | false;

  constructor(private readonly factory: RankerFactory, opts: ServiceOptions = {}) {
    this.snapshotMin = opts.snapshotMinEntries ?? 1000;
    this.snapshotEvery = opts.snapshotEvery ?? 1000;
    this.workerMin = opts.workerMinEntries ?? (factory === createRanker ? 5000 : false);
    this.rehearsal = opts.rehearse ?? 100;
    this.log = opts.log ?? silentLogger;
  }

  private readonly log: Logger;

  /** Queries left to rehearse in this process (0: done, or under way). */
  private rehearsal: number;

  /** Engine.rehearse on the guild's ranker, a query per turn of the event loop, once per service. */
  private async rehearse(g: GuildIndex): Promise<void> {
    const r = g.ranker;
    if (this.rehearsal <= 0 || !r.rehearse || r.size < REHEARSE_MIN) return;
    const count = this.rehearsal;
    this.rehearsal = 0;
    for (const _ of r.rehearse(count)) await yieldLoop();
  }

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
      const fresh = (g = new GuildIndex(this.factory, dir.store, this.firstPrune));
      this.guilds.set(dir.guildId, g);
      this.follow(dir, g);
      g.ready = this.load(dir, g, true).catch((err: unknown) => {
        this.forget(dir.guildId, fresh);
        throw err;
      });
      // In the background: a rehearsal that fails costs only the warm-up; it is logged (a failed load is the caller's to report).
      g.ready.then(
        () => this.rehearse(fresh).catch((err: unknown) => this.log.warn('match: rehearsal failed', { guild: dir.guildId, err })),
        () => {},
      );
    }
    await g.ready;
    return g.ranker;
  }

  /** Resolves when the guild's fresh analyses are in the store. */
  async analysesSaved(guildId: string): Promise<void> {
    await this.guilds.get(guildId)?.saved();
  }

  /** Resolves when the guild's snapshot under way (if any) is written. */
  async snapshotSaved(guildId: string): Promise<void> {
    await this.guilds.get(guildId)?.snapshotting;
  }

  /** Changes still being applied to the guild's index (0: it is up to date). */
  updating(guildId: string): number {
    return this.guilds.get(guildId)?.behind ?? 0;
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
      else {
        g.apply(op);
        // Single changes' analyses are written a batch at a time (or by the next build): no write per add.
        g.saveBatch();
        this.maybeSnapshot(dir, g, false);
      }
    });
  }

  /**
   * Queues what differs between the directory and the index (everything, the first time, unless a
   * snapshot holds most of it), then applies it.
   */
  private async load(dir: GuildDirectory, g: GuildIndex, first = false): Promise<void> {
    g.loading++;
    let restored = false;
    let built: Built | undefined;
    const rev = dir.loadedRev;
    try {
      if (first) restored = await this.restore(dir, g);
      const mark = g.seq;
      const { ops, lists } = await this.compare(dir, g);
      const total = lists.need.length + lists.capability.length;
      // Most of a big guild to (re)index: built whole in a worker, then swapped in; changes that came meanwhile follow.
      // (Only with nothing else under way: the changes queued meanwhile are then exactly those after the lists.)
      if (this.workerMin !== false && ops.length >= this.workerMin && (g.held.size === 0 || 2 * ops.length >= total) && g.ranker.snapshotVersion !== undefined && g.loading === 1 && !g.applying && g.seq - g.pending <= mark) {
        built = await this.buildOff(dir, g, lists).catch(() => undefined);
      }
      if (!built) g.insert(mark, ops);
    } finally {
      g.loading--;
    }
    await g.drain();
    if (built) this.saveBuilt(dir, g, built, rev);
    else this.maybeSnapshot(dir, g, first && !restored);
  }

  /** Builds the guild's index of `lists` in a worker and swaps it in; undefined (nothing changed): build in-thread. */
  private async buildOff(dir: GuildDirectory, g: GuildIndex, lists: Record<EntryType, Entry[]>): Promise<Built | undefined> {
    const store = dir.store as Store | undefined;
    const docs: Doc[] = [];
    let end = performance.now() + SLICE_MS;
    for (const type of ENTRY_TYPES) for (const e of lists[type]) {
      docs.push(docOf(type, e));
      if ((docs.length & 1023) === 0 && performance.now() > end) {
        await yieldLoop();
        end = performance.now() + SLICE_MS;
      }
    }
    const version = g.ranker.snapshotVersion;
    const snap = await buildInWorker(docs, {
      // The worker writes the snapshot itself (its pieces never pass through this thread's heap).
      keep: store?.url !== undefined && docs.length >= this.snapshotMin,
      // With a URL it reads and writes the analyses itself too; else they pass through here.
      ...(store?.url !== undefined
        ? { url: store.url, ...(version !== undefined && this.firstPrune(version) ? { prune: version } : {}) }
        : store
          ? {
              load: (keys: string[]) => loadAnalyses(store, keys),
              fresh: (entries: [string, string][]) => {
                for (const [k, v] of entries) g.analyses.fresh.set(k, v);
                g.saveBatch();
              },
            }
          : {}),
    });
    if (!snap) return undefined;
    try {
      await this.adopt(g, lists, snap);
    } catch (err) {
      snap.release();
      throw err;
    }
    return snap;
  }

  /** Swaps in an index built of `lists` in a worker. */
  private async adopt(g: GuildIndex, lists: Record<EntryType, Entry[]>, snap: Snapshot): Promise<void> {
    const current = { need: new ShardedMap<SnapEntry>(), capability: new ShardedMap<SnapEntry>() };
    let end = performance.now() + SLICE_MS;
    const tick = async () => {
      if (performance.now() < end) return;
      await yieldLoop();
      end = performance.now() + SLICE_MS;
    };
    for (const type of ENTRY_TYPES) for (const e of lists[type]) {
      current[type].set(e.id, e);
      await tick();
    }
    const ranker = this.factory([], { analyses: g.analyses });
    if (!ranker.restore) throw new Error('no restore');
    await ranker.restore(snap, current, { exact: true, verified: true });
    g.ranker = ranker;
    g.held.clear();
    for (const type of ENTRY_TYPES) for (const e of lists[type]) {
      g.held.set(`${type}:${e.id}`, e);
      await tick();
    }
    g.changes = 0;
  }

  /** Stores the snapshot a worker's build handed back (the index as built, at the revision its entries were read at). */
  private saveBuilt(dir: GuildDirectory, g: GuildIndex, snap: Built, rev: number | undefined): void {
    const store = dir.store as Store | undefined;
    const t = snap.meta.types;
    if (!store || rev === undefined || g.snapshotting || t.need.liveCount + t.capability.liveCount < this.snapshotMin) return snap.release();
    g.snapshotting = (async () => {
      // Analyses first: a restart needs those of entries changed since the snapshot.
      await g.saved();
      if (snap.write && store.url) await snap.write(store.url, dir.guildId, rev);
      else await saveSnapshot(store, dir.guildId, rev, snap);
    })()
      .catch(() => {})
      .finally(() => {
        snap.release();
        g.snapshotting = undefined;
      });
  }

  /** Loads the guild's snapshot into its empty ranker and queues what changed since; false: build instead. */
  private async restore(dir: GuildDirectory, g: GuildIndex): Promise<boolean> {
    const store = dir.store as Store | undefined;
    const version = g.ranker.snapshotVersion;
    if (!store || !version || !g.ranker.restore) return false;
    // A big one is read and checked in a worker (its pieces and their garbage stay off this thread).
    const size = this.workerMin === false || !store.url ? undefined : await snapshotEntries(store, dir.guildId, version).catch(() => undefined);
    const off = size !== undefined && this.workerMin !== false && size >= this.workerMin;
    const snap = off ? await loadInWorker(store.url!, dir.guildId, version).catch(() => undefined) : await loadSnapshot(store, dir.guildId, version).catch(() => undefined);
    // A snapshot of a revision this directory has not reached is not ours to trust.
    if (!snap || dir.loadedRev === undefined || snap.rev > dir.loadedRev) return false;
    const current = { need: new ShardedMap<SnapEntry>(), capability: new ShardedMap<SnapEntry>() };
    for (const type of ENTRY_TYPES) {
      let end = performance.now() + SLICE_MS;
      for (const e of await dir.list(type, { status: 'all' })) {
        current[type].set(e.id, e);
        if (performance.now() > end) {
          await yieldLoop();
          end = performance.now() + SLICE_MS;
        }
      }
    }
    try {
      const r = await g.ranker.restore(snap, current, { verified: off });
      // Changed or removed entries leave the index by their old analyses: all must be stored.
      const keys = new Set<string>();
      for (const s of r.stale) {
        if (s.key === undefined) throw new Error('no analysis key');
        keys.add(s.key);
      }
      const found = keys.size ? await loadAnalyses(store, [...keys]) : new Map<string, string>();
      if (found.size !== keys.size) throw new Error('old analyses missing');
      for (const [k, v] of found) g.analyses.ahead.set(k, v);
      let end = performance.now() + SLICE_MS;
      for (const { type, entry } of r.kept) {
        g.held.set(`${type}:${entry.id}`, entry as Entry);
        if (performance.now() > end) {
          await yieldLoop();
          end = performance.now() + SLICE_MS;
        }
      }
      for (const s of r.stale) if (!current[s.type].has(s.id)) g.push({ kind: 'remove', type: s.type, id: s.id });
      g.changes = 0;
      return true;
    } catch {
      g.reset();
      return false;
    }
  }

  /**
   * After a build (or enough changes since the last snapshot) of a big guild: takes a snapshot and writes
   * it, off the request path. While it is taken, changes queue (served as the index stands, as in an update).
   */
  private maybeSnapshot(dir: GuildDirectory, g: GuildIndex, built: boolean): void {
    const store = dir.store as Store | undefined;
    if (!store || !g.ranker.snapshot || g.snapshotting || g.busy) return;
    if (g.ranker.size < this.snapshotMin || !(built || g.changes >= this.snapshotEvery)) return;
    const ranker = g.ranker;
    g.snapshotting = (async () => {
      // Analyses first: a restart needs those of entries changed since the snapshot.
      await g.saved();
      // Taken only between updates (one state of the index); a busy guild gets one after its update.
      if (g.ranker !== ranker || this.guilds.get(dir.guildId) !== g || g.busy) return;
      // A big guild's is made in a worker from the stored one and the changes since, as a restart would load
      // it: nothing is taken or written on this thread, and requests are never held up.
      if (this.workerMin !== false && store.url !== undefined && ranker.size >= this.workerMin) {
        g.changes = 0;
        await retakeInWorker(store.url, dir.guildId);
        return;
      }
      const rev = dir.loadedRev;
      const capture = (g.capturing = ranker.snapshot!());
      let snap;
      try {
        snap = await capture;
        g.changes = 0;
      } finally {
        g.capturing = undefined;
        if (g.pending) void g.drain();
      }
      if (snap && rev !== undefined) await saveSnapshot(store, dir.guildId, rev, snap);
    })()
      .catch(() => {})
      .finally(() => {
        g.snapshotting = undefined;
      });
  }

  /** What differs between the directory and the index, and the directory's entries. */
  private async compare(dir: GuildDirectory, g: GuildIndex): Promise<{ ops: Op[]; lists: Record<EntryType, Entry[]> }> {
    const seen = new ShardedMap<true>();
    const ops: Op[] = [];
    const lists = {} as Record<EntryType, Entry[]>;
    for (const type of ENTRY_TYPES) {
      const entries = (lists[type] = await dir.list(type, { status: 'all' }));
      let end = performance.now() + SLICE_MS;
      for (const entry of entries) {
        const key = `${type}:${entry.id}`;
        seen.set(key, true);
        const held = g.held.get(key);
        if (held !== entry && (held === undefined || JSON.stringify(held) !== JSON.stringify(entry))) ops.push({ kind: 'upsert', doc: docOf(type, entry) });
        if (performance.now() > end) {
          await yieldLoop();
          end = performance.now() + SLICE_MS;
        }
      }
    }
    for (const key of g.held.keys()) {
      if (seen.has(key)) continue;
      const i = key.indexOf(':');
      ops.push({ kind: 'remove', type: key.slice(0, i) as EntryType, id: key.slice(i + 1) });
    }
    return { ops, lists };
  }
}

// Autocomplete over id, title and org: an n-gram index finds candidates, fuse.js orders them with
// typo tolerance. A long query (a whole title, as the duplicate check on save asks) never runs fuse:
// its keys' postings vote, and character-pair similarity orders the few dozen best.
import Fuse from 'fuse.js';
import type { EntryRecord, EntryStatus } from '../domain/entry.ts';
import { normalize } from './normalize.ts';
import { ShardedMap } from './sharded-map.ts';

export interface Item { record: EntryRecord; status: EntryStatus; seq: number }
/** A key's entry numbers, ascending; a snapshot's come as views on its buffer until the key gets a new entry. */
type List = number[] | Int32Array;

const FULL_SCAN_LIMIT = 1500;
const CANDIDATES = 60;
/** Entries of the rarest key looked at; bounds the cost of one-letter queries at 100k entries. */
const SCAN_CAP = 3000;
const PREFIX_MAX = 6;
/** A query with this many keys is a title rather than a prefix being typed. */
const LONG_KEYS = 4;
/** Entries a long query compares precisely (after the vote). */
const NEAR_CANDIDATES = 100;
/** Postings a long query reads at most; beyond its rarest two keys, it skips keys most entries hold. */
const NEAR_BUDGET = 20_000;
const NEAR_COMMON = 0.25;

/** Keys of a text: CJK bigrams and single characters, prefixes (2–6) of Latin words. */
function keys(text: string, forQuery: boolean): string[] {
  const out = new Set<string>();
  const norm = normalize(text);
  for (const m of norm.matchAll(/[\u3400-\u9fff\uf900-\ufaff]+/g)) {
    const run = m[0];
    if (run.length === 1) out.add(run);
    for (let i = 0; i + 1 < run.length; i++) out.add(run.slice(i, i + 2));
  }
  for (const m of norm.matchAll(/[a-z0-9]+/g)) {
    const w = m[0];
    // One letter finds everything; more than six adds little.
    if (forQuery) out.add(w.slice(0, PREFIX_MAX));
    else for (let n = Math.min(2, w.length); n <= Math.min(PREFIX_MAX, w.length); n++) out.add(w.slice(0, n));
  }
  return [...out];
}

/** Character pairs of a text, spaces ignored (the measure the duplicate warning uses). */
function pairs(text: string): Set<string> {
  const n = [...normalize(text).replace(/\s+/g, '')];
  const out = new Set<string>();
  for (let i = 0; i + 1 < n.length; i++) out.add(n[i]! + n[i + 1]!);
  return out;
}

/** Dice coefficient of two pair sets. */
function dice(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const p of a) if (b.has(p)) shared++;
  return (2 * shared) / Math.max(1, a.size + b.size);
}

/** Whether a sorted array holds n (postings are appended in increasing order). */
function holds(list: ArrayLike<number>, n: number): boolean {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = list[mid]!;
    if (v === n) return true;
    if (v < n) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

export class AutoIndex {
  /** By number; a removed entry leaves a hole that postings skip. */
  private items: (Item | undefined)[] = [];
  private byId = new ShardedMap<number>();
  private postings = new ShardedMap<List>();
  private dead = 0;

  /** What a snapshot keeps (snapshot.ts). */
  state(): { items: readonly (Item | undefined)[]; postings: ReadonlyMap<string, ArrayLike<number>>; dead: number } {
    return { items: this.items, postings: this.postings, dead: this.dead };
  }

  /** Into an empty index: a snapshot's items and postings (kept as they are). */
  adopt(items: (Item | undefined)[], byId: ShardedMap<number>, postings: ShardedMap<List>, dead: number): void {
    this.items = items;
    this.byId = byId;
    this.postings = postings;
    this.dead = dead;
  }

  upsert(record: EntryRecord, status: EntryStatus): void {
    this.remove(record.id);
    const n = this.items.length;
    this.items.push({ record, status, seq: n });
    this.byId.set(record.id, n);
    for (const k of keys(`${record.id} ${record.title} ${record.org}`, false)) {
      const list = this.postings.get(k);
      if (Array.isArray(list)) list.push(n);
      else this.postings.set(k, list ? [...list, n] : [n]);
    }
  }

  remove(id: string): void {
    const n = this.byId.get(id);
    if (n === undefined) return;
    this.items[n] = undefined;
    this.byId.delete(id);
    if (++this.dead > 1000 && this.dead > this.byId.size) this.compact();
  }

  /** Drops holes from every posting list (numbers stay, so lists stay sorted). */
  private compact(): void {
    for (const [k, list] of this.postings) {
      const live = Array.prototype.filter.call(list, (n: number) => this.items[n] !== undefined) as number[];
      if (live.length) this.postings.set(k, live);
      else this.postings.delete(k);
    }
    this.dead = 0;
  }

  private live(): Item[] {
    return this.items.filter((i): i is Item => i !== undefined);
  }

  /** Starts from the rarest key (newest entries first) and counts how many other keys each entry has. */
  private candidates(queryKeys: string[], ok: (it: Item) => boolean): [number, number][] {
    const lists = queryKeys.map((k) => this.postings.get(k)).filter((x): x is List => !!x).sort((a, b) => a.length - b.length);
    const first = lists[0];
    if (!first) return [];
    const votes: [number, number][] = [];
    for (let i = first.length - 1, seen = 0; i >= 0 && seen < SCAN_CAP; i--, seen++) {
      const n = first[i]!;
      const item = this.items[n];
      if (!item || !ok(item)) continue;
      let v = 1;
      for (let j = 1; j < lists.length; j++) if (holds(lists[j]!, n)) v++;
      votes.push([n, v]);
    }
    return votes;
  }

  /**
   * A long query: every entry holding one of its keys gets a vote per key (rarest keys first, newest
   * entries first, within a budget), and the best voted are ordered by the share of the query's keys
   * they hold plus the closer of their title's and org's character-pair similarity to the query.
   */
  private near(q: string, queryKeys: string[], limit: number, ok: (it: Item) => boolean): EntryRecord[] {
    const lists = queryKeys.map((k) => this.postings.get(k)).filter((x): x is number[] => !!x).sort((a, b) => a.length - b.length);
    const votes = new Map<number, number>();
    let budget = NEAR_BUDGET;
    for (let j = 0; j < lists.length && budget > 0; j++) {
      const list = lists[j]!;
      if (j >= 2 && list.length > this.byId.size * NEAR_COMMON) break;
      for (let i = list.length - 1; i >= 0 && budget > 0; i--, budget--) votes.set(list[i]!, (votes.get(list[i]!) ?? 0) + 1);
    }
    const best: [number, number][] = [];
    for (const v of votes) {
      const it = this.items[v[0]];
      if (it && ok(it)) best.push(v);
    }
    best.sort((a, b) => b[1] - a[1] || b[0] - a[0]);
    const mine = pairs(q);
    return best.slice(0, NEAR_CANDIDATES)
      .map(([n, v]) => {
        const r = this.items[n]!.record;
        return { r, score: v / queryKeys.length + Math.max(dice(mine, pairs(r.title)), dice(mine, pairs(r.org))) };
      })
      .sort((a, b) => b.score - a.score)
      .slice(0, limit)
      .map((x) => x.r);
  }

  complete(query: string, limit: number, status: EntryStatus | 'all'): EntryRecord[] {
    const ok = (it: Item) => status === 'all' || it.status === status;
    const q = query.trim();
    if (!q) {
      // Newest first: what a curator just added is what they want next.
      const out: EntryRecord[] = [];
      for (let n = this.items.length - 1; n >= 0 && out.length < limit; n--) {
        const it = this.items[n];
        if (it && ok(it)) out.push(it.record);
      }
      return out;
    }
    const exactN = this.byId.get(q) ?? this.byId.get(q.toUpperCase());
    const exact = exactN === undefined ? undefined : this.items[exactN];
    const queryKeys = keys(q, true);
    let pool: Item[];
    if (queryKeys.length >= LONG_KEYS) {
      const near = this.near(q, queryKeys, limit, ok);
      if (exact && ok(exact)) return [exact.record, ...near.filter((r) => r.id !== exact.record.id)].slice(0, limit);
      return near;
    } else if (this.byId.size <= FULL_SCAN_LIMIT) pool = this.live().filter(ok);
    else {
      const votes = this.candidates(queryKeys, ok);
      // A misspelt word ("swichgear") has no key of its own: its first three letters still lead somewhere.
      if (votes.length < limit) {
        const short = [...normalize(q).matchAll(/[a-z0-9]{4,}/g)].map((m) => m[0].slice(0, 3));
        const have = new Set(votes.map(([n]) => n));
        for (const v of this.candidates(short, ok)) if (!have.has(v[0])) votes.push(v);
      }
      pool = votes.sort((a, b) => b[1] - a[1]).slice(0, CANDIDATES).map(([n]) => this.items[n]!);
    }
    const fuse = new Fuse(pool, {
      keys: [{ name: 'record.id', weight: 2 }, { name: 'record.title', weight: 2 }, { name: 'record.org', weight: 1 }],
      ignoreLocation: true, threshold: 0.5,
    });
    const ranked = fuse.search(q, { limit }).map((r) => r.item.record);
    if (exact && ok(exact)) return [exact.record, ...ranked.filter((r) => r.id !== exact.record.id)].slice(0, limit);
    return ranked;
  }
}

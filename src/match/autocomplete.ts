// Autocomplete over id, title and org: an n-gram index finds candidates (never a full scan),
// fuse.js orders them with typo tolerance.
import Fuse from 'fuse.js';
import type { EntryRecord, EntryStatus } from '../domain/entry.ts';
import { normalize } from './normalize.ts';

export interface Item { record: EntryRecord; status: EntryStatus; seq: number }
/** A key's entry numbers, ascending; a snapshot's come as views on its buffer until the key gets a new entry. */
type List = number[] | Int32Array;

const FULL_SCAN_LIMIT = 1500;
const CANDIDATES = 60;
/** Entries of the rarest key looked at; bounds the cost of one-letter queries at 100k entries. */
const SCAN_CAP = 3000;
const PREFIX_MAX = 6;

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
  private byId = new Map<string, number>();
  private postings = new Map<string, List>();
  private dead = 0;

  /** What a snapshot keeps (snapshot.ts). */
  state(): { items: readonly (Item | undefined)[]; postings: ReadonlyMap<string, ArrayLike<number>>; dead: number } {
    return { items: this.items, postings: this.postings, dead: this.dead };
  }

  /** Into an empty index: a snapshot's items and postings (kept as they are). */
  adopt(items: (Item | undefined)[], postings: Map<string, Int32Array>, dead: number): void {
    this.items = items;
    for (const it of items) if (it) this.byId.set(it.record.id, it.seq);
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
    let pool: Item[];
    if (this.byId.size <= FULL_SCAN_LIMIT) pool = this.live().filter(ok);
    else {
      const votes = this.candidates(keys(q, true), ok);
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

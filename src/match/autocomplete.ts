// Autocomplete over id, title and org: an n-gram index finds candidates (never a full scan),
// fuse.js orders them with typo tolerance.
import Fuse from 'fuse.js';
import type { EntryRecord, EntryStatus } from '../domain/entry.ts';
import { normalize } from './normalize.ts';

interface Item { record: EntryRecord; status: EntryStatus; seq: number }

const FULL_SCAN_LIMIT = 1500;
const CANDIDATES = 60;
/** Entries of the rarest key looked at; bounds the cost of one-letter queries at 100k entries. */
const SCAN_CAP = 3000;

/** Keys of a text: CJK bigrams and single characters, prefixes (2–8) of Latin words. */
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
    if (forQuery) out.add(w.slice(0, 8));
    else for (let n = 1; n <= Math.min(8, w.length); n++) out.add(w.slice(0, n));
  }
  return [...out];
}

export class AutoIndex {
  private items = new Map<string, Item>();
  private postings = new Map<string, Set<string>>();
  private seq = 0;

  private candidates(queryKeys: string[], ok: (it: Item) => boolean): [string, number][] {
    const sets = queryKeys.map((k) => this.postings.get(k)).filter((x): x is Set<string> => !!x).sort((a, b) => a.size - b.size);
    const votes: [string, number][] = [];
    let seen = 0;
    for (const id of sets[0] ?? []) {
      if (++seen > SCAN_CAP) break;
      const item = this.items.get(id);
      if (!item || !ok(item)) continue;
      let n = 1;
      for (let i = 1; i < sets.length; i++) if (sets[i]!.has(id)) n++;
      votes.push([id, n]);
    }
    return votes;
  }

  upsert(record: EntryRecord, status: EntryStatus): void {
    this.remove(record.id);
    this.items.set(record.id, { record, status, seq: this.seq++ });
    for (const k of keys(`${record.id} ${record.title} ${record.org}`, false)) {
      let s = this.postings.get(k);
      if (!s) this.postings.set(k, (s = new Set()));
      s.add(record.id);
    }
  }

  remove(id: string): void {
    const item = this.items.get(id);
    if (!item) return;
    this.items.delete(id);
    for (const k of keys(`${item.record.id} ${item.record.title} ${item.record.org}`, false)) {
      const s = this.postings.get(k);
      s?.delete(id);
      if (s && s.size === 0) this.postings.delete(k);
    }
  }

  complete(query: string, limit: number, status: EntryStatus | 'all'): EntryRecord[] {
    const ok = (it: Item) => status === 'all' || it.status === status;
    const q = query.trim();
    if (!q) {
      // Newest first: what a curator just added is what they want next.
      return [...this.items.values()].filter(ok).sort((a, b) => b.seq - a.seq).slice(0, limit).map((i) => i.record);
    }
    const exact = this.items.get(q) ?? this.items.get(q.toUpperCase());
    let pool: Item[];
    if (this.items.size <= FULL_SCAN_LIMIT) pool = [...this.items.values()].filter(ok);
    else {
      // Start from the rarest key and count how many of the other keys each entry also has.
      const votes = this.candidates(keys(q, true), ok);
      // A misspelt word ("swichgear") has no key of its own: its first three letters still lead somewhere.
      if (votes.length < limit) {
        const short = [...normalize(q).matchAll(/[a-z0-9]{4,}/g)].map((m) => m[0].slice(0, 3));
        const have = new Set(votes.map(([id]) => id));
        for (const v of this.candidates(short, ok)) if (!have.has(v[0])) votes.push(v);
      }
      pool = votes.sort((a, b) => b[1] - a[1]).slice(0, CANDIDATES).map(([id]) => this.items.get(id)!);
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

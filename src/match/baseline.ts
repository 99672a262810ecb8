// Plain fuse.js over title, org, description and keywords: the yardstick the engine is measured against.
import Fuse from 'fuse.js';
import type { EntryRecord, EntryType, EntryStatus } from '../domain/entry.ts';
import type { SectorId } from '../domain/sectors.ts';
import { OTHER, type Doc, type MatchOptions, type Ranker, type Suggestion } from './types.ts';

const KEYS = [
  { name: 'record.title', weight: 3 },
  { name: 'record.keywords', weight: 2 },
  { name: 'record.org', weight: 1 },
  { name: 'record.description', weight: 1 },
];

export class FuseBaseline implements Ranker {
  private docs = new Map<string, Doc>();
  private fuse: Fuse<Doc> | undefined;

  constructor(docs: Iterable<Doc> = []) {
    for (const d of docs) this.docs.set(`${d.type}:${d.record.id}`, d);
  }

  get size(): number {
    return this.docs.size;
  }

  private index(): Fuse<Doc> {
    this.fuse ??= new Fuse([...this.docs.values()], { keys: KEYS, includeScore: true, ignoreLocation: true, threshold: 0.6 });
    return this.fuse;
  }

  upsert(doc: Doc): void {
    this.docs.set(`${doc.type}:${doc.record.id}`, doc);
    this.fuse = undefined;
  }

  remove(type: EntryType, id: string): void {
    this.docs.delete(`${type}:${id}`);
    this.fuse = undefined;
  }

  search(text: string, types: readonly EntryType[], opts: MatchOptions = {}): Suggestion[] {
    const top = opts.top ?? 10;
    return this.index()
      .search(text)
      .filter((r) => types.includes(r.item.type) && r.item.status !== 'closed')
      .filter((r) => !opts.sector || (r.item.record.sectors ?? []).includes(opts.sector))
      .slice(0, top)
      .map((r) => ({ type: r.item.type, id: r.item.record.id, record: r.item.record, score: round(1 - (r.score ?? 1)), reasons: [] }));
  }

  matchEntry(type: EntryType, id: string, opts: MatchOptions = {}): Suggestion[] {
    const doc = this.docs.get(`${type}:${id}`);
    if (!doc) return [];
    const r = doc.record;
    return this.search([r.title, ...(r.keywords ?? [])].join(' '), [OTHER[type]], opts);
  }

  complete(type: EntryType, query: string, limit: number, status: EntryStatus | 'all' = 'all'): EntryRecord[] {
    const pool = [...this.docs.values()].filter((d) => d.type === type && (status === 'all' || (d.status ?? 'open') === status));
    if (!query.trim()) return pool.slice(0, limit).map((d) => d.record);
    return new Fuse(pool, { keys: ['record.id', 'record.title', 'record.org'], ignoreLocation: true })
      .search(query, { limit })
      .map((r) => r.item.record);
  }

  inferredSectors(): SectorId[] {
    return [];
  }
}

function round(n: number): number {
  return Math.round(Math.max(0, Math.min(1, n)) * 1000) / 1000;
}

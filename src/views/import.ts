// An import with counts people can check: entries the file holds exactly as stored count as unchanged.
import { toRecord, type EntryRecord } from '../domain/entry.ts';
import type { Dataset } from '../domain/dataset.ts';
import type { Actor, GuildDirectory, ImportMode } from '../store/directory.ts';

export interface ImportCounts { added: number; updated: number; unchanged: number; removed: number }

/** Field-by-field equality of two contract records (key order does not matter). */
function same(a: EntryRecord, b: EntryRecord): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => JSON.stringify((a as Record<string, unknown>)[k]) === JSON.stringify((b as Record<string, unknown>)[k]));
}

export async function importCounting(dir: GuildDirectory, dataset: Dataset, mode: ImportMode, actor: Actor): Promise<ImportCounts> {
  const before = new Map<string, EntryRecord>();
  for (const type of ['need', 'capability'] as const) for (const e of await dir.list(type, { status: 'all' })) before.set(`${type}:${e.id}`, toRecord(e));
  const unchanged = new Set<string>();
  for (const [type, list] of [['need', dataset.needs], ['capability', dataset.capabilities]] as const) {
    for (const r of list) {
      const old = before.get(`${type}:${r.id}`);
      if (old && same(old, r)) unchanged.add(`${type}:${r.id}`);
    }
  }
  // A merge leaves unchanged entries alone (their update time and the audit stay true); a replace
  // must see every id of the file to know what to remove.
  const changed = mode === 'merge'
    ? { ...dataset, needs: dataset.needs.filter((r) => !unchanged.has(`need:${r.id}`)), capabilities: dataset.capabilities.filter((r) => !unchanged.has(`capability:${r.id}`)) }
    : dataset;
  if (mode === 'merge' && changed.needs.length + changed.capabilities.length === 0) return { added: 0, updated: 0, unchanged: unchanged.size, removed: 0 };
  const r = await dir.importDataset(changed, mode, actor);
  const updated = mode === 'merge' ? r.updated.length : r.updated.length - unchanged.size;
  return { added: r.added.length, updated, unchanged: unchanged.size, removed: r.removed.length };
}

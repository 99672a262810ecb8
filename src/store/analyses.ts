// Stored analyses (migration 0005, src/match/analysis-cache.ts): read ahead in batches while an index
// builds, written back after it, in small transactions. Best effort: a failure costs a re-analysis only.
import { sql } from 'kysely';
import type { Store } from './db.ts';

/** Rows per statement (well under both engines' bound-parameter limits; ~2 MB of text). */
const BATCH = 500;

export async function loadAnalyses(store: Store, keys: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < keys.length; i += BATCH) {
    const rows = await store.db.selectFrom('analysis_cache').select(['key', 'data']).where('key', 'in', keys.slice(i, i + BATCH)).execute();
    for (const r of rows) out.set(r.key, r.data);
  }
  return out;
}

export async function saveAnalyses(store: Store, rows: ReadonlyMap<string, string>): Promise<void> {
  const all = [...rows].map(([key, data]) => ({ key, data }));
  for (let i = 0; i < all.length; i += BATCH) {
    await store.tx((t) => t.insertInto('analysis_cache').values(all.slice(i, i + BATCH)).onConflict((oc) => oc.column('key').doNothing()).execute());
  }
}

/** Deletes analyses of every other analyser version (they can never be read again), a batch at a time. */
export async function pruneAnalyses(store: Store, version: string): Promise<number> {
  let deleted = 0;
  for (;;) {
    const n = await store.tx(async (t) => {
      const old = t.selectFrom('analysis_cache').select('key').where(sql<string>`substr(key, 1, ${version.length + 1})`, '<>', `${version}:`).limit(BATCH);
      const r = await t.deleteFrom('analysis_cache').where('key', 'in', old).executeTakeFirst();
      return Number(r.numDeletedRows);
    });
    deleted += n;
    if (n < BATCH) return deleted;
  }
}

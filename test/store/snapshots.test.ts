import { describe, expect, it } from 'vitest';
import { parseDatasetText } from '../../src/domain/dataset.ts';
import type { AnalysisCache } from '../../src/match/analysis-cache.ts';
import { createRanker } from '../../src/match/engine.ts';
import { MatchService, type RankerFactory } from '../../src/match/service.ts';
import type { Ranker } from '../../src/match/types.ts';
import type { GuildDirectory } from '../../src/store/directory.ts';
import { actor, demoText } from '../support.ts';
import { ENGINES } from './engines.ts';
import { freshStores } from './fixture.ts';

/** A factory that counts stored analyses read and entries analysed afresh. */
function counting() {
  const n = { hits: 0, puts: 0 };
  const factory: RankerFactory = (docs, opts) => {
    const inner = opts?.analyses;
    const analyses: AnalysisCache | undefined = inner && {
      get: (k) => {
        const v = inner.get(k);
        if (v !== undefined) n.hits++;
        return v;
      },
      put: (k, d) => {
        n.puts++;
        inner.put(k, d);
      },
    };
    return createRanker(docs, analyses ? { analyses } : {});
  };
  return { n, factory };
}

const opts = { snapshotMinEntries: 0 };
/** What users see: every open entry's suggestions with reasons, and a search. */
async function seen(r: Ranker, g: GuildDirectory): Promise<string> {
  const out: unknown[] = [];
  for (const type of ['need', 'capability'] as const) for (const e of await g.list(type)) out.push(r.matchEntry(type, e.id, { top: 5, minScore: 0 }));
  out.push(r.search('燃料电池 fuel cell', ['need', 'capability'], { top: 10, minScore: 0 }));
  out.push(r.complete('need', '燃料', 10).map((x) => x.id));
  return JSON.stringify(out);
}

describe.each(ENGINES)('index snapshots on $name', (engine) => {
  const { open } = freshStores(engine);
  /** A first process: builds the demo guild, stores its analyses and snapshot. */
  async function built() {
    const first = await open();
    const g = first.directory.guild('g1');
    await g.importDataset(parseDatasetText(demoText()), 'merge', actor());
    const s = new MatchService(createRanker, opts);
    const r = await s.forGuild(g);
    await s.analysesSaved('g1');
    await s.snapshotSaved('g1');
    return { ...first, g, s, r };
  }
  /** A restart: a new connection and service; how many entries it analysed and read back. */
  async function restart(o: { snapshotMinEntries?: number } = opts) {
    const again = await open();
    const c = counting();
    const s = new MatchService(c.factory, o);
    const g = again.directory.guild('g1');
    const r = await s.forGuild(g);
    return { ...again, g, s, r, n: c.n };
  }

  it('a build writes a snapshot; a restart loads it (nothing analysed or read back) and users see the same', async () => {
    const first = await built();
    const head = await first.store.db.selectFrom('index_snapshots').selectAll().where('guild_id', '=', 'g1').executeTakeFirstOrThrow();
    expect(Number(head.rev)).toBe(first.g.loadedRev);
    const parts = await first.store.db.selectFrom('index_snapshot_parts').select('part').where('guild_id', '=', 'g1').execute();
    expect(parts.length).toBeGreaterThan(5);
    const again = await restart();
    expect(again.n).toEqual({ hits: 0, puts: 0 });
    expect(again.r.size).toBe(first.r.size);
    expect(await seen(again.r, again.g)).toBe(await seen(first.r, first.g));
  });

  it('a small guild gets no snapshot (the default threshold)', async () => {
    const first = await open();
    const g = first.directory.guild('g1');
    await g.importDataset(parseDatasetText(demoText()), 'merge', actor());
    const s = new MatchService(createRanker);
    await s.forGuild(g);
    await s.snapshotSaved('g1');
    expect(await first.store.db.selectFrom('index_snapshots').selectAll().execute()).toEqual([]);
  });

  it('a snapshot older than the directory: edits, a status change, a removal and an add since are applied, as the live index has them', async () => {
    const first = await built();
    const needs = await first.g.list('need');
    await first.g.edit('need', needs[2]!.id, { description: '燃料电池电堆低温冷启动时间过长，催化剂衰减' }, actor(), { version: needs[2]!.version });
    await first.g.setStatus('need', needs[4]!.id, 'closed', actor());
    await first.g.remove('need', needs[6]!.id, actor());
    await first.g.add('need', { org: '新公司', title: '燃料电池双极板腐蚀', description: '金属双极板在酸性环境下腐蚀' }, actor());
    await first.s.analysesSaved('g1');
    const again = await restart();
    // Only the changed entries were analysed or read back (the new one and the edit: analysed; the old ones read).
    expect(again.n.hits + again.n.puts).toBeLessThanOrEqual(8);
    expect(again.r.size).toBe(first.r.size);
    expect(again.r.matchEntry('need', needs[6]!.id)).toEqual([]);
    expect(await seen(again.r, again.g)).toBe(await seen(first.r, first.g));
  });

  it('a corrupt part, another analyser, or a revision the directory has not reached: built as before, same results', async () => {
    const first = await built();
    const expected = await seen(first.r, first.g);
    const size = first.r.size;
    const part = await first.store.db.selectFrom('index_snapshot_parts').selectAll().where('guild_id', '=', 'g1').where('part', '=', 1).executeTakeFirstOrThrow();
    const broken = Buffer.from(part.data);
    broken[0]! ^= 0xff;
    const spoil: (() => Promise<unknown>)[] = [
      () => first.store.db.updateTable('index_snapshot_parts').set({ data: broken }).where('guild_id', '=', 'g1').where('part', '=', 1).execute(),
      () => first.store.db.updateTable('index_snapshots').set({ meta: '{not json' }).where('guild_id', '=', 'g1').execute(),
      () => first.store.db.updateTable('index_snapshots').set({ analyser: 'another.none.1' }).where('guild_id', '=', 'g1').execute(),
      () => first.store.db.updateTable('index_snapshots').set({ rev: 1_000_000 }).where('guild_id', '=', 'g1').execute(),
      () => first.store.db.deleteFrom('index_snapshot_parts').where('guild_id', '=', 'g1').where('part', '=', 3).execute(),
    ];
    for (const s of spoil) {
      // A fresh snapshot each time (the previous restart wrote one): built by a first process again.
      await first.store.db.deleteFrom('index_snapshots').execute();
      await first.store.db.deleteFrom('index_snapshot_parts').execute();
      const s0 = new MatchService(createRanker, opts);
      await s0.forGuild(first.directory.guild('g1'));
      await s0.snapshotSaved('g1');
      await s();
      const again = await restart({ snapshotMinEntries: 1_000_000 });
      expect(again.n.hits).toBe(size);
      expect(again.r.size).toBe(size);
      expect(await seen(again.r, again.g)).toBe(expected);
    }
  });

  it('an entry changed since the snapshot whose old analysis is no longer stored: built as before', async () => {
    const first = await built();
    const needs = await first.g.list('need');
    await first.g.edit('need', needs[1]!.id, { title: '质子交换膜燃料电池寿命' }, actor(), { version: needs[1]!.version });
    await first.s.analysesSaved('g1');
    await first.store.db.deleteFrom('analysis_cache').execute();
    const again = await restart();
    expect(again.n.puts).toBe(again.r.size);
    await again.s.snapshotSaved('g1');
    await first.store.tx((t) => t.deleteFrom('index_snapshots').execute());
    const fresh = await restart({ snapshotMinEntries: 1_000_000 });
    expect(await seen(again.r, again.g)).toBe(await seen(fresh.r, fresh.g));
  });

  it('enough changes after the snapshot make a new one', async () => {
    const first = await open();
    const g = first.directory.guild('g1');
    await g.importDataset(parseDatasetText(demoText()), 'merge', actor());
    const s = new MatchService(createRanker, { snapshotMinEntries: 0, snapshotEvery: 3 });
    await s.forGuild(g);
    await s.snapshotSaved('g1');
    const rev0 = Number((await first.store.db.selectFrom('index_snapshots').select('rev').executeTakeFirstOrThrow()).rev);
    await g.add('need', { org: 'o', title: '燃料电池 1', description: 'd' }, actor());
    await g.add('need', { org: 'o', title: '燃料电池 2', description: 'd' }, actor());
    await s.snapshotSaved('g1');
    expect(Number((await first.store.db.selectFrom('index_snapshots').select('rev').executeTakeFirstOrThrow()).rev)).toBe(rev0);
    await g.add('need', { org: 'o', title: '燃料电池 3', description: 'd' }, actor());
    await s.snapshotSaved('g1');
    expect(Number((await first.store.db.selectFrom('index_snapshots').select('rev').executeTakeFirstOrThrow()).rev)).toBe(rev0 + 3);
    // The old snapshot's parts are gone.
    const ids = await first.store.db.selectFrom('index_snapshot_parts').select('id').distinct().execute();
    expect(ids).toHaveLength(1);
  });
});

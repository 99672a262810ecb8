import { describe, expect, it } from 'vitest';
import { parseDatasetText } from '../../src/domain/dataset.ts';
import type { AnalysisCache } from '../../src/match/analysis-cache.ts';
import { createRanker } from '../../src/match/engine.ts';
import { MatchService, type RankerFactory } from '../../src/match/service.ts';
import type { Ranker } from '../../src/match/types.ts';
import { actor, demoText } from '../support.ts';
import { ENGINES } from './engines.ts';
import { freshStores } from './fixture.ts';

/** A factory that counts stored analyses read and fresh ones handed back. */
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

const rankings = (r: Ranker) => JSON.stringify(['N-0001', 'N-0005', 'N-0010'].map((id) => r.matchEntry('need', id, { top: 5, minScore: 0 })));

describe.each(ENGINES)('stored analyses on $name', (engine) => {
  const { open } = freshStores(engine);

  it('the first build stores every analysis; a restart reads them all and analyses nothing, with the same rankings', async () => {
    const first = await open();
    const g = first.directory.guild('g1');
    await g.importDataset(parseDatasetText(demoText()), 'merge', actor());
    const a = counting();
    const s1 = new MatchService(a.factory);
    const r1 = await s1.forGuild(g);
    await s1.analysesSaved('g1');
    expect(a.n.puts).toBe(r1.size);
    const rows = await first.store.db.selectFrom('analysis_cache').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(a.n.puts);

    const again = await open();
    const b = counting();
    const r2 = await new MatchService(b.factory).forGuild(again.directory.guild('g1'));
    expect(b.n.puts).toBe(0);
    expect(b.n.hits).toBe(r2.size);
    expect(r2.size).toBe(r1.size);
    expect(rankings(r2)).toBe(rankings(r1));
  });

  it('a broken or stale stored analysis is analysed again (rankings unchanged), and other analyser versions are pruned', async () => {
    const { store, directory } = await open();
    const g = directory.guild('g1');
    await g.importDataset(parseDatasetText(demoText()), 'merge', actor());
    const s1 = new MatchService(counting().factory);
    const r1 = await s1.forGuild(g);
    await s1.analysesSaved('g1');
    const keys = (await store.db.selectFrom('analysis_cache').select('key').orderBy('key').limit(2).execute()).map((r) => r.key);
    await store.db.updateTable('analysis_cache').set({ data: 'not json' }).where('key', '=', keys[0]!).execute();
    await store.db.deleteFrom('analysis_cache').where('key', '=', keys[1]!).execute();
    await store.db.insertInto('analysis_cache').values({ key: 'older-version.none.1:abc', data: '[1]' }).execute();

    const c = counting();
    const s2 = new MatchService(c.factory);
    const r2 = await s2.forGuild((await open()).directory.guild('g1'));
    await s2.analysesSaved('g1');
    expect(c.n.puts).toBe(2);
    expect(rankings(r2)).toBe(rankings(r1));
    const old = await store.db.selectFrom('analysis_cache').select('key').where('key', '=', 'older-version.none.1:abc').execute();
    expect(old).toHaveLength(0);
    // The broken row stays (written first, its key is taken): it is analysed again, never read as it is.
    const left = await store.db.selectFrom('analysis_cache').select('key').where('key', 'in', keys).execute();
    expect(left.map((r) => r.key).sort()).toEqual([...keys].sort());
  });

  it('entries added after the build are indexed at once; their analyses are written with the next batch', async () => {
    const { directory } = await open();
    const g = directory.guild('g2');
    await g.importDataset(parseDatasetText(demoText()), 'merge', actor());
    const s = new MatchService(counting().factory);
    const r = await s.forGuild(g);
    const e = await g.add('need', { org: 'o', title: '燃料电池电堆寿命短', description: '质子交换膜燃料电池 催化剂 衰减' }, actor());
    expect(r.search('燃料电池电堆寿命短', ['need'], { top: 1, minScore: 0 })[0]?.id).toBe(e.id);
    await s.analysesSaved('g2');
    const c = counting();
    await new MatchService(c.factory).forGuild((await open()).directory.guild('g2'));
    expect(c.n.puts).toBe(0);
  });
});

// Builds in a worker thread (src/match/build-worker*.ts): what users see is identical to an in-thread build,
// changes made while the worker builds are applied afterwards, the snapshot it hands back is stored and
// loads on a restart, and an index the worker cannot hand back is built in-thread as before.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseDatasetText } from '../../src/domain/dataset.ts';
import { createRanker } from '../../src/match/engine.ts';
import { hasSet, loadSet } from '../../src/match/eval/sets.ts';
import { buildInWorker, WORKER_NICE } from '../../src/match/build-worker-host.ts';
import { MatchService } from '../../src/match/service.ts';
import { checkSums, type Current } from '../../src/match/snapshot.ts';
import type { Engine } from '../../src/match/engine.ts';
import { loadSnapshot } from '../../src/store/snapshots.ts';
import type { Ranker } from '../../src/match/types.ts';
import type { GuildDirectory } from '../../src/store/directory.ts';
import { actor, demoText } from '../support.ts';
import { ENGINES } from './engines.ts';
import { freshStores } from './fixture.ts';

const inWorker = { workerMinEntries: 1, snapshotMinEntries: 0 };
// (No snapshot of its own: it would race the worker's one into the same rows.)
const inThread = { workerMinEntries: false as const, snapshotMinEntries: Infinity };

/** What users see: every entry's suggestions with reasons, searches, autocomplete, inferred sectors. */
async function seen(r: Ranker, g: GuildDirectory, every = 1): Promise<string[]> {
  const out: unknown[] = [];
  for (const type of ['need', 'capability'] as const) {
    for (const [i, e] of (await g.list(type, { status: 'all' })).entries()) if (i % every === 0) out.push(r.matchEntry(type, e.id, { top: 10, minScore: 0 }), r.inferredSectors(type, e.id));
    for (const q of ['', '燃料', 'fu', 'lab', 'N-00']) out.push(r.complete(type, q, 10).map((x) => x.id));
  }
  for (const q of ['燃料电池 fuel cell', '故障定位', 'coating 涂层', 'sensor 传感器']) out.push(r.search(q, ['need', 'capability'], { top: 10, minScore: 0 }));
  return out.map((x) => JSON.stringify(x));
}

/** The first place two views differ, shortened (-1: identical). */
function differ(a: string[], b: string[]): number | string {
  if (a.length !== b.length) return `lengths ${a.length} vs ${b.length}`;
  const i = a.findIndex((x, j) => x !== b[j]);
  return i < 0 ? -1 : `at ${i}: ${a[i]!.slice(0, 300)} vs ${b[i]!.slice(0, 300)}`;
}

const datasets = [{ name: 'demo', text: demoText() }, ...(hasSet('devset') ? [{ name: 'devset', text: JSON.stringify(loadSet('devset').data) }] : [])];

describe.each(ENGINES)('builds in a worker thread on $name', (engine) => {
  const { open } = freshStores(engine);

  it.each(datasets)('$name: users see the same as from an in-thread build, and a restart loads its snapshot', async ({ text }) => {
    const a = await open();
    const g = a.directory.guild('g1');
    await g.importDataset(parseDatasetText(text), 'merge', actor());
    const worker = new MatchService(createRanker, inWorker);
    const r = await worker.forGuild(g);
    const thread = await new MatchService(createRanker, inThread).forGuild((await open()).directory.guild('g1'));
    expect(r).not.toBe(thread);
    expect(differ(await seen(r, g), await seen(thread, g))).toBe(-1);
    // Its analyses and the snapshot it handed back are stored: a restart loads it.
    await worker.analysesSaved('g1');
    await worker.snapshotSaved('g1');
    const parts = await a.store.db.selectFrom('index_snapshot_parts').select('part').where('guild_id', '=', 'g1').execute();
    expect(parts.length).toBeGreaterThan(5);
    const b = await open();
    const again = await new MatchService(createRanker, inThread).forGuild(b.directory.guild('g1'));
    expect(differ(await seen(again, g), await seen(thread, g))).toBe(-1);
    // Read and checked in a worker, then loaded.
    const c = await open();
    const loaded = await new MatchService(createRanker, inWorker).forGuild(c.directory.guild('g1'));
    expect(differ(await seen(loaded, g), await seen(thread, g))).toBe(-1);
  }, 180_000); // four builds of the dev set: over 60 s twice when a loaded machine ran the suite beside other jobs

  it('the worker stores the analyses itself; a snapshot retaken after enough changes is made in a worker, and a restart loads it', async () => {
    const a = await open();
    const g = a.directory.guild('g1');
    await g.importDataset(parseDatasetText(demoText()), 'merge', actor());
    const service = new MatchService(createRanker, { ...inWorker, snapshotEvery: 3 });
    const r = await service.forGuild(g);
    await service.snapshotSaved('g1');
    // Written by the worker on its own connection, before it handed the snapshot back.
    const analyses = await a.store.db.selectFrom('analysis_cache').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(analyses.n)).toBeGreaterThanOrEqual(r.size);
    const head = () => a.store.db.selectFrom('index_snapshots').select(['rev', 'meta']).where('guild_id', '=', 'g1').executeTakeFirstOrThrow();
    const rev0 = Number((await head()).rev);
    const needs = await g.list('need');
    await g.add('need', { org: '新公司', title: '燃料电池双极板腐蚀', description: '金属双极板在酸性环境下腐蚀' }, actor());
    await g.edit('need', needs[2]!.id, { description: '燃料电池电堆低温冷启动时间过长，催化剂衰减' }, actor(), { version: needs[2]!.version });
    await g.remove('need', needs[6]!.id, actor());
    await new Promise((res) => setTimeout(res, 20));
    await service.snapshotSaved('g1');
    const after = await head();
    expect(Number(after.rev)).toBe(rev0 + 3);
    expect((JSON.parse(after.meta) as { snapshot: { sums: string[] } }).snapshot.sums.length).toBeGreaterThan(5);
    expect(await a.store.db.selectFrom('index_snapshot_parts').select('id').distinct().where('guild_id', '=', 'g1').execute()).toHaveLength(1);
    const stored = await loadSnapshot(a.store, 'g1', r.snapshotVersion!);
    await expect(checkSums(stored!)).resolves.toBeUndefined();
    expect(stored!.meta.types.need.liveCount + stored!.meta.types.capability.liveCount).toBe(r.size);
    const live = await new MatchService(createRanker, inThread).forGuild((await open()).directory.guild('g1'));
    const again = await new MatchService(createRanker, { ...inThread, snapshotMinEntries: 0 }).forGuild((await open()).directory.guild('g1'));
    expect(differ(await seen(again, g), await seen(live, g))).toBe(-1);
  });

  it('a restart whose stored snapshot the worker finds corrupt builds instead', async () => {
    const a = await open();
    const g = a.directory.guild('g1');
    await g.importDataset(parseDatasetText(demoText()), 'merge', actor());
    const first = new MatchService(createRanker, inWorker);
    const r = await first.forGuild(g);
    await first.analysesSaved('g1');
    await first.snapshotSaved('g1');
    const row = await a.store.db.selectFrom('index_snapshot_parts').select(['id', 'part', 'data']).where('guild_id', '=', 'g1').where('part', '=', 0).executeTakeFirstOrThrow();
    const data = Buffer.from(row.data);
    data[0] = data[0]! ^ 0xff;
    await a.store.db.updateTable('index_snapshot_parts').set({ data }).where('guild_id', '=', 'g1').where('id', '=', row.id).where('part', '=', 0).execute();
    const again = await new MatchService(createRanker, inWorker).forGuild((await open()).directory.guild('g1'));
    expect(differ(await seen(again, g), await seen(r, g))).toBe(-1);
  });

  it('changes made while the worker builds are applied after it (nothing lost)', async () => {
    const a = await open();
    const g = a.directory.guild('g1');
    await g.importDataset(parseDatasetText(demoText()), 'merge', actor());
    const needs = await g.list('need');
    // In-thread beside it, built before the same changes and following them.
    const b = (await open()).directory.guild('g1');
    const live = new MatchService(createRanker, inThread);
    await live.forGuild(b);
    const service = new MatchService(createRanker, inWorker);
    const building = service.forGuild(g);
    await new Promise((r) => setTimeout(r, 50));
    await g.edit('need', needs[2]!.id, { description: '燃料电池电堆低温冷启动时间过长，催化剂衰减' }, actor(), { version: needs[2]!.version });
    await g.setStatus('need', needs[4]!.id, 'closed', actor());
    await g.remove('need', needs[6]!.id, actor());
    await g.add('need', { org: '新公司', title: '燃料电池双极板腐蚀', description: '金属双极板在酸性环境下腐蚀' }, actor());
    const r = await building;
    while (service.updating('g1')) await new Promise((res) => setTimeout(res, 10));
    const thread = await live.forGuild(b);
    expect(thread.size).toBe(r.size);
    expect(r.matchEntry('need', needs[6]!.id)).toEqual([]);
    expect(differ(await seen(r, g), await seen(thread, g))).toBe(-1);
  });

  it('an import that changes most of a guild is built in a worker, served from the old index meanwhile', async () => {
    const a = await open();
    const g = a.directory.guild('g1');
    const demo = parseDatasetText(demoText());
    await g.importDataset({ ...demo, needs: demo.needs.slice(0, 3), capabilities: demo.capabilities.slice(0, 3) }, 'replace', actor());
    const service = new MatchService(createRanker, inWorker);
    const before = await service.forGuild(g);
    // More changes than the directory replays one by one: it reloads the guild, and the index rebuilds.
    const many = (xs: typeof demo.needs, p: string) => Array.from({ length: 12 }, (_, k) => xs.map((x, i) => ({ ...x, id: `${p}-${String(k * xs.length + i + 1).padStart(4, '0')}`, title: `${x.title} ${k}` }))).flat();
    const big = { ...demo, needs: many(demo.needs, 'N'), capabilities: many(demo.capabilities, 'C') } as typeof demo;
    expect(big.needs.length + big.capabilities.length).toBeGreaterThan(1000);
    await a.directory.guild('g1').importDataset(big, 'replace', actor());
    await service.forGuild(g).catch(() => {});
    expect(service.updating('g1')).toBeGreaterThan(0);
    expect(await service.forGuild(g)).toBe(before);
    while (service.updating('g1')) await new Promise((res) => setTimeout(res, 10));
    const after = await service.forGuild(g);
    expect(after).not.toBe(before);
    expect(after.size).toBe(big.needs.length + big.capabilities.length);
    const thread = await new MatchService(createRanker, inThread).forGuild((await open()).directory.guild('g1'));
    expect(differ(await seen(after, g, 25), await seen(thread, g, 25))).toBe(-1);
  });
});

describe('the build worker', () => {
  it('hands back nothing for an index a snapshot cannot hold; the service then builds in-thread', async () => {
    const docs = [{ type: 'need' as const, record: { id: 'N-0001', org: 'o', title: '燃料电池', description: 'fuel cell' } },
      { type: 'capability' as const, record: { id: 'C-0001', org: 'o', title: '燃料电池实验室', description: 'fuel cell lab', sectors: ['bad\tsector'] } }];
    expect(await buildInWorker(docs as never)).toBeUndefined();
  });

  it.runIf(existsSync('/proc/self/task'))('builds at a lower priority than the main thread (a nice value per thread)', async () => {
    const nice = () => readdirSync('/proc/self/task').map((t) => {
      try {
        return Number(readFileSync(`/proc/self/task/${t}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
      } catch {
        return NaN;
      }
    });
    const main = getPriority();
    let seen: number[] = [];
    const docs = [{ type: 'need' as const, record: { id: 'N-0001', org: 'o', title: '燃料电池', description: 'fuel cell' } }];
    // Asked while the worker builds: its thread is one of this process's. (The suite runs its workers at 0.)
    const suite = process.env.LIAISON_WORKER_NICE;
    delete process.env.LIAISON_WORKER_NICE;
    try {
      await buildInWorker(docs, { load: async () => ((seen = nice()), undefined) });
    } finally {
      if (suite !== undefined) process.env.LIAISON_WORKER_NICE = suite;
    }
    expect(seen).toContain(Math.min(19, main + WORKER_NICE));
    expect(getPriority()).toBe(main);
  });

  it('a wide index (its feature tables grown many times) comes back whole and loads as the in-thread build', async () => {
    // Random CJK text: ~12k distinct bigrams a type and ~1k other features, so both feature tables grow several times.
    let seed = 7;
    const r = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const text = (n: number) => Array.from({ length: n }, () => String.fromCharCode(0x4e00 + Math.floor(r() * 6000))).join('');
    const docs = Array.from({ length: 1200 }, (_, i) => ({
      type: i % 2 ? ('capability' as const) : ('need' as const),
      record: { id: `${i % 2 ? 'C' : 'N'}-${i}`, org: `org ${i % 50}`, title: `${text(6)} w${i % 700}x`, description: `${text(90)} term${i % 900} ${text(20)}` },
    }));
    const built = (await buildInWorker(docs))!;
    expect(built.meta.types.need.dict.pairs).toBeGreaterThan(5000);
    const current = { need: new Map(), capability: new Map() } as Current;
    for (const d of docs) (current[d.type] as Map<string, unknown>).set(d.record.id, d.record);
    const loaded = createRanker([], { analyses: { get: () => undefined, put() {} } }) as Engine;
    await loaded.restore(built, current, { exact: true, verified: true });
    built.release();
    const thread = createRanker(docs);
    for (const d of docs.filter((_, i) => i % 37 === 0)) expect(loaded.matchEntry(d.type, d.record.id, { top: 10, minScore: 0 })).toEqual(thread.matchEntry(d.type, d.record.id, { top: 10, minScore: 0 }));
    const q = `${docs[10]!.record.description.slice(5, 30)} term10`;
    expect(loaded.search(q, ['need', 'capability'], { top: 10, minScore: 0 })).toEqual(thread.search(q, ['need', 'capability'], { top: 10, minScore: 0 }));
  });

  it('rejects when the worker fails (the service then builds in-thread)', async () => {
    await expect(buildInWorker([{ type: 'need', record: null } as never])).rejects.toThrow(/build worker/);
  });
});

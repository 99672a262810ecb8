import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/domain/dataset.ts';
import { createLogger } from '../../src/log.ts';
import { createRanker } from '../../src/match/engine.ts';
import { MatchService } from '../../src/match/service.ts';
import { openStore } from '../../src/store/db.ts';
import { Directory } from '../../src/store/directory.ts';

const actor = { id: 'u1', name: 'tester' };
function dataset(n: number, from = 0, word = '燃料电池电堆'): Dataset {
  const needs = Array.from({ length: n }, (_, i) => ({ id: `N-${String(from + i + 1).padStart(4, '0')}`, org: `公司${from + i}`, title: `${word}寿命 ${from + i}`, description: `${word}衰减与催化剂问题，编号 ${from + i}。` }));
  return { version: 1, needs, capabilities: [{ id: 'C-0001', org: '实验室', title: `${word}研究`, description: `${word}与膜电极` }] } as Dataset;
}

describe('MatchService', () => {
  it('takes in an import in slices: the event loop keeps turning, requests are answered from the index as it stands, and it says so', async () => {
    const backend = await openStore('memory:');
    const dir = new Directory(backend, undefined, { pollMs: 0 }).guild('g1');
    await dir.importDataset(dataset(200), 'merge', actor);
    const service = new MatchService(createRanker);
    const before = await service.forGuild(dir);
    expect(service.updating('g1')).toBe(0);
    expect(before.matchEntry('capability', 'C-0001', { top: 500, minScore: 0, explain: false }).length).toBe(200);

    await dir.importDataset(dataset(3000, 200, '光伏组件'), 'merge', actor);
    // The update is under way: the previous index answers at once, and the service says so.
    expect(service.updating('g1')).toBeGreaterThan(0);
    const during = await service.forGuild(dir);
    expect(during).toBe(before);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    while (service.updating('g1')) await new Promise((r) => setTimeout(r, 5));
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(2);
    const after = await service.forGuild(dir);
    expect(after.size).toBe(3201);
    // minScore 0: every entry holds the query, so none is a likely fit; this is about what the index holds.
    const found = after.search('光伏组件', ['need'], { top: 5, minScore: 0 });
    expect(found).toHaveLength(5);
    for (const s of found) expect(Number(s.id.slice(2))).toBeGreaterThan(200);
    await backend.close();
  });

  it('a replace import removes what the file no longer holds; single changes apply at once', async () => {
    const backend = await openStore('memory:');
    const dir = new Directory(backend, undefined, { pollMs: 0 }).guild('g2');
    await dir.importDataset(dataset(50), 'merge', actor);
    const service = new MatchService(createRanker);
    const r = await service.forGuild(dir);
    await dir.importDataset(dataset(5), 'replace', actor);
    await service.forGuild(dir);
    while (service.updating('g2')) await new Promise((res) => setTimeout(res, 5));
    expect(r.matchEntry('capability', 'C-0001', { top: 500, minScore: 0, explain: false }).map((s) => s.id).sort()).toEqual(['N-0001', 'N-0002', 'N-0003', 'N-0004', 'N-0005']);
    const added = await dir.add('need', { org: '新公司', title: '燃料电池电堆寿命 新', description: '燃料电池电堆衰减' }, actor);
    expect(r.search('燃料电池电堆寿命 新', ['need'], { top: 1, minScore: 0 })[0]?.id).toBe(added.id);
    await backend.close();
  });

  it('a build that fails is not kept: the next request builds again', async () => {
    const backend = await openStore('memory:');
    const dir = new Directory(backend, undefined, { pollMs: 0 }).guild('g3');
    await dir.importDataset(dataset(3), 'merge', actor);
    const service = new MatchService(createRanker);
    const list = dir.list.bind(dir);
    dir.list = () => Promise.reject(new Error('store down'));
    await expect(service.forGuild(dir)).rejects.toThrow('store down');
    dir.list = list;
    const r = await service.forGuild(dir);
    expect(r.size).toBe(4);
    await backend.close();
  });

  it('rehearses once per service, in the background, after the first guild of 1,000+ entries loads', async () => {
    const backend = await openStore('memory:');
    const directory = new Directory(backend, undefined, { pollMs: 0 });
    const small = directory.guild('g4');
    const big = directory.guild('g5');
    const other = directory.guild('g6');
    await small.importDataset(dataset(10), 'merge', actor);
    await big.importDataset(dataset(1000), 'merge', actor);
    await other.importDataset(dataset(1000), 'merge', actor);
    const steps: string[] = [];
    const factory: typeof createRanker = (docs, opts) => {
      const r = createRanker(docs, opts);
      r.rehearse = function* (count = 100) {
        for (let i = 0; i < Math.min(count, 3); i++) {
          steps.push(`${r.size}:${i}`);
          yield;
        }
      };
      return r;
    };
    const service = new MatchService(factory, { rehearse: 3, workerMinEntries: false });
    await service.forGuild(small);
    await new Promise((r) => setTimeout(r, 20));
    expect(steps).toEqual([]);
    await service.forGuild(big);
    await service.forGuild(other);
    await new Promise((r) => setTimeout(r, 20));
    expect(steps).toEqual(['1001:0', '1001:1', '1001:2']);
    await backend.close();
  });

  it('a rehearsal that throws is logged with its guild, and queries go on', async () => {
    const backend = await openStore('memory:');
    const big = new Directory(backend, undefined, { pollMs: 0 }).guild('g7');
    await big.importDataset(dataset(1000), 'merge', actor);
    const factory: typeof createRanker = (docs, opts) => {
      const r = createRanker(docs, opts);
      r.rehearse = function* () {
        yield;
        throw new Error('rehearsal broke');
      };
      return r;
    };
    const lines: string[] = [];
    const service = new MatchService(factory, { rehearse: 3, workerMinEntries: false, log: createLogger('debug', (l) => lines.push(l)) });
    const r = await service.forGuild(big);
    await new Promise((res) => setTimeout(res, 20));
    expect(lines.some((l) => l.includes('WARN match: rehearsal failed') && l.includes('"guild":"g7"') && l.includes('rehearsal broke'))).toBe(true);
    expect(r.size).toBe(1001);
    await backend.close();
  });

  it('warms up without a directory', () => {
    expect(() => new MatchService(createRanker).warmUp()).not.toThrow();
  });
});

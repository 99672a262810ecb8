// The shared state on each backend: a claim succeeds once while it lives, windows count and reset,
// expired keys are swept, and on PostgreSQL claims stay single across concurrent clients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryState, openState, type SharedState } from '../../src/state/index.ts';
import { PostgresState } from '../../src/state/postgres.ts';
import { startPostgres, type TestPostgres } from './pg.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const unique = () => `${process.pid}-${Math.random().toString(36).slice(2)}`;

function behaves(name: string, make: () => SharedState | undefined) {
  describe(name, () => {
    it('a key is claimed once while the claim lives, then again', async (t) => {
      const state = make();
      if (!state) return t.skip();
      const key = `c:${unique()}`;
      expect(await state.claim(key, 300)).toBe(true);
      expect(await state.claim(key, 300)).toBe(false);
      await sleep(400);
      expect(await state.claim(key, 300)).toBe(true);
    });

    it('concurrent claims of one key: exactly one wins', async (t) => {
      const state = make();
      if (!state) return t.skip();
      const key = `c:${unique()}`;
      const results = await Promise.all(Array.from({ length: 20 }, () => state.claim(key, 10_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('a window counts hits and starts over once it ends', async (t) => {
      const state = make();
      if (!state) return t.skip();
      const key = `w:${unique()}`;
      const counts = await Promise.all(Array.from({ length: 10 }, () => state.hit(key, 400)));
      expect(counts.map((w) => w.count).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(counts[0]!.resetAt).toBeGreaterThan(Date.now());
      await sleep(500);
      expect((await state.hit(key, 400)).count).toBe(1);
    });
  });
}

let pg: TestPostgres | undefined;
let pgStates: PostgresState[] = [];
const memory = new MemoryState();

beforeAll(async () => {
  pg = await startPostgres();
  // Two clients with separate pools stand for two workers.
  if (pg) pgStates = [await openState(pg.url) as PostgresState];
}, 60_000);

afterAll(async () => {
  await memory.close();
  for (const s of pgStates) await s.close();
  await pg?.stop();
});

behaves('memory state', () => memory);
behaves('PostgreSQL state', () => pgStates[0]);

describe('sweeping and errors', () => {
  it('memory: expired keys are dropped by the sweep, live ones kept', async () => {
    const s = new MemoryState();
    for (let i = 0; i < 5000; i++) await s.claim(`old:${i}`, 50);
    await s.claim('live', 60_000);
    await sleep(100);
    await s.sweep();
    expect(s.size()).toBe(1);
    expect(await s.claim('live', 60_000)).toBe(false);
    await s.close();
  });

  it('PostgreSQL: the sweep deletes expired rows only', async (t) => {
    const s = pgStates[0];
    if (!s || !pg) return t.skip();
    const key = `old:${unique()}`;
    await s.claim(key, 50);
    await s.claim(`live:${key}`, 60_000);
    await sleep(100);
    await s.sweep();
    expect(await s.claim(key, 60_000)).toBe(true);
    expect(await s.claim(`live:${key}`, 60_000)).toBe(false);
  });
});

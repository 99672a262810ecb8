// Several processes on one store, on both engines: concurrent adders, kill -9 during an import.
// STORE_KILL_TRIALS / STORE_KILL_ENTRIES raise the kill -9 run to the full 20 × 20,000 of issue 7.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import { Directory } from '../../src/store/directory.ts';
import { actor, run, start, tempDir } from '../support.ts';
import { ENGINES } from './engines.ts';

const WORKER = join(import.meta.dirname, 'worker.ts');
const KILL_TRIALS = Number(process.env.STORE_KILL_TRIALS ?? 4);
const KILL_ENTRIES = Number(process.env.STORE_KILL_ENTRIES ?? 3000);

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => { tmp = tempDir(); });
afterAll(() => tmp.cleanup());

const added = (stdout: string) => [...stdout.matchAll(/^ADDED (\S+) (.+)$/gm)].map((m) => ({ id: m[1]!, title: m[2]! }));

describe.each(ENGINES)('several processes on $name', (engine) => {
  it('4 processes × 200 adds → 800 entries, 800 distinct ids, every confirmed add stored', async () => {
    const db = await engine.fresh();
    try {
      const env = { STORE_URL: db.url };
      const at = String(Date.now() + 4000);
      const results = await Promise.all(['w1', 'w2', 'w3', 'w4'].map((w) => run(WORKER, ['add', 'shared', w, '200', at], { cwd: tmp.dir, env, timeoutMs: 120_000 })));
      for (const r of results) expect(r.stderr).toBe('');
      const confirmed = results.flatMap((r) => added(r.stdout));
      expect(confirmed).toHaveLength(800);
      const store = await openStore(db.url);
      const needs = await new Directory(store, undefined, { pollMs: 0 }).guild('shared').list('need');
      await store.close();
      expect(needs).toHaveLength(800);
      expect(new Set(needs.map((n) => n.id)).size).toBe(800);
      const byId = new Map(needs.map((n) => [n.id, n.title]));
      for (const c of confirmed) expect(byId.get(c.id)).toBe(c.title);
    } finally {
      await db.cleanup();
    }
  }, 180_000);

  it(`kill -9 at random points of a ${KILL_ENTRIES}-entry import, ${KILL_TRIALS} times: nothing or everything, and the next write succeeds at once`, async () => {
    const db = await engine.fresh();
    const store = await openStore(db.url);
    try {
      const env = { STORE_URL: db.url };
      const g = new Directory(store, undefined, { pollMs: 0 }).guild('imp');
      // How long one import takes here, to spread the kills over it.
      const timing = start(WORKER, ['import', 'imp', 'T', String(KILL_ENTRIES)], { cwd: tmp.dir, env });
      await timing.waitFor(/IMPORTING/, 60_000);
      const t0 = Date.now();
      await timing.waitFor(/IMPORTED/, 300_000);
      const span = (Date.now() - t0) * 1.3;
      await timing.exited;
      let expected = KILL_ENTRIES;
      const outcomes: string[] = [];
      for (let trial = 0; trial < KILL_TRIALS; trial++) {
        const w = start(WORKER, ['import', 'imp', `K${trial}`, String(KILL_ENTRIES)], { cwd: tmp.dir, env });
        await w.waitFor(/IMPORTING/, 60_000);
        await new Promise((r) => setTimeout(r, Math.random() * span));
        w.child.kill('SIGKILL');
        await w.exited;
        const all = await g.list('need');
        const mine = all.filter((e) => e.id.startsWith(`K${trial}-`)).length;
        expect([0, KILL_ENTRIES], `trial ${trial}`).toContain(mine);
        expected += mine;
        expect(all).toHaveLength(expected);
        outcomes.push(mine ? 'all' : 'none');
        // The next write does not wait for a lock the dead process held (a stale lock would block ≥ 10 s).
        const t = Date.now();
        const e = await g.add('capability', { org: 'o', title: `after kill ${trial}`, description: 'd' }, actor());
        expect(Date.now() - t).toBeLessThan(5000);
        expect(e.id).toBe(`C-${String(trial + 1).padStart(4, '0')}`);
      }
      process.stderr.write(`[kill -9 on ${engine.name}] ${KILL_TRIALS} trials × ${KILL_ENTRIES} entries: ${outcomes.join(' ')}\n`);
    } finally {
      await store.close();
      await db.cleanup();
    }
  }, 900_000);

  it('a follower sees another process\'s add, edit and remove through the change feed, without reading', async () => {
    const db = await engine.fresh();
    const [s1, s2] = [await openStore(db.url), await openStore(db.url)];
    const follower = new Directory(s1, undefined, { pollMs: 250 });
    try {
      const writer = new Directory(s2, undefined, { pollMs: 0 }).guild('feed');
      await writer.add('need', { org: 'o', title: 'first', description: 'd' }, actor());
      const f = follower.guild('feed');
      await f.list('need');
      const events: string[] = [];
      f.subscribe((e) => events.push(e.kind === 'upsert' ? `upsert ${e.entry.id} ${e.entry.title}` : e.kind === 'remove' ? `remove ${e.id}` : 'reset'));
      const waitFor = async (n: number) => {
        for (let i = 0; i < 100 && events.length < n; i++) await new Promise((r) => setTimeout(r, 50));
      };
      await writer.add('need', { org: 'o', title: 'second', description: 'd' }, actor());
      await waitFor(1);
      await writer.edit('need', 'N-0001', { title: 'first, edited' }, actor());
      await waitFor(2);
      await writer.remove('need', 'N-0002', actor());
      await waitFor(3);
      expect(events).toEqual(['upsert N-0002 second', 'upsert N-0001 first, edited', 'remove N-0002']);
    } finally {
      await follower.close();
      await s1.close();
      await s2.close();
      await db.cleanup();
    }
  });
});

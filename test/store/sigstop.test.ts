// A writer frozen (SIGSTOP) mid-stream for STORE_STOP_SECONDS (60 in CI, as issue 7 asks; 15 in a local run), then
// resumed, while another writer goes on: no confirmed write of either is lost, no id is handed out twice.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import { Directory } from '../../src/store/directory.ts';
import { start, tempDir } from '../support.ts';
import { ENGINES } from './engines.ts';

const WORKER = join(import.meta.dirname, 'worker.ts');
const STOP_MS = Number(process.env.STORE_STOP_SECONDS ?? (process.env.CI ? 60 : 15)) * 1000;

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => { tmp = tempDir(); });
afterAll(() => tmp.cleanup());

const imports = (stdout: string) => ({
  started: [...stdout.matchAll(/^IMPORTING (\S+)$/gm)].map((m) => m[1]!),
  done: [...stdout.matchAll(/^IMPORTED (\S+) 500$/gm)].map((m) => m[1]!),
});
const added = (stdout: string) => [...stdout.matchAll(/^ADDED (\S+) (.+)$/gm)].map((m) => ({ id: m[1]!, title: m[2]! }));

describe.concurrent.each(ENGINES)('a SIGSTOPped writer on $name', (engine) => {
  it(`resumed after ${STOP_MS / 1000} s loses nothing of anyone's`, async () => {
    const db = await engine.fresh();
    try {
      const env = { STORE_URL: db.url };
      // The frozen writer also imports, and is stopped as an import starts: inside its transaction,
      // holding the guild's lock (SQLite's write lock; the guild row's lock on PostgreSQL).
      const frozen = start(WORKER, ['loop', 'stop', 'frozen', 'imports'], { cwd: tmp.dir, env });
      const other = start(WORKER, ['loop', 'stop', 'other'], { cwd: tmp.dir, env });
      const untilAdded = async (w: typeof frozen, n: number) => {
        for (let i = 0; i < 1200 && added(w.stdout()).length < n; i++) await new Promise((r) => setTimeout(r, 50));
        expect(added(w.stdout()).length, w.stderr()).toBeGreaterThanOrEqual(n);
      };
      await untilAdded(frozen, 20);
      await other.waitFor(/ADDED/, 60_000);
      const importsBefore = imports(frozen.stdout()).started.length;
      for (let i = 0; i < 6000 && imports(frozen.stdout()).started.length === importsBefore; i++) await new Promise((r) => setTimeout(r, 1));
      await new Promise((r) => setTimeout(r, 30)); // into the transaction (an import of 500 takes longer)
      frozen.child.kill('SIGSTOP');
      const before = added(other.stdout()).length;
      await new Promise((r) => setTimeout(r, STOP_MS));
      frozen.child.kill('SIGCONT');
      const resumedAt = added(frozen.stdout()).length;
      await untilAdded(frozen, resumedAt + 5);
      for (const w of [frozen, other]) w.child.kill('SIGTERM');
      await Promise.all([frozen.exited, other.exited]);
      expect(frozen.stderr() + other.stderr()).toBe('');
      const confirmed = [...added(frozen.stdout()), ...added(other.stdout())];
      const imported = imports(frozen.stdout()).done;
      const store = await openStore(db.url);
      const needs = await new Directory(store, undefined, { pollMs: 0 }).guild('stop').list('need');
      await store.close();
      const byId = new Map(needs.map((n) => [n.id, n.title]));
      for (const c of confirmed) expect(byId.get(c.id), c.id).toBe(c.title);
      for (const prefix of imported) expect(needs.filter((n) => n.id.startsWith(`${prefix}-`)), prefix).toHaveLength(500);
      // nothing but the confirmed writes (the last import may have been cut by SIGTERM: none of it, then)
      expect(needs).toHaveLength(confirmed.length + 500 * imported.length);
      expect(new Set(needs.map((n) => n.id)).size).toBe(needs.length);
      const failed = (frozen.stdout() + other.stdout()).match(/^FAILED .*/gm) ?? [];
      process.stderr.write(`[SIGSTOP on ${engine.name}] ${STOP_MS / 1000} s: ${confirmed.length} confirmed adds and ${imported.length} imports of 500 kept (other writer: ${added(other.stdout()).length - before} during the stop, ${failed.length} refused while the frozen one held the lock${failed[0] ? `: ${failed[0]}` : ''})\n`);
    } finally {
      await db.cleanup();
    }
  }, STOP_MS + 180_000);
});

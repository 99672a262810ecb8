// Several worker processes sharing one SQLite file (HTTP workers behind a proxy): their writes
// to one guild are serialised by the file lock, so no id is handed out twice and nothing is lost.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../src/store/backend.ts';
import { Directory } from '../../src/store/directory.ts';
import { fileLock } from '../../src/store/lock.ts';
import { ROOT, run, sqliteUrl, tempDir } from '../support.ts';

const src = (p: string) => join(ROOT, 'src', p);
let tmp: ReturnType<typeof tempDir>;

beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

describe('workers sharing a store file', () => {
  it('two processes adding 40 needs each end with 80 distinct ids', async () => {
    const url = sqliteUrl(tmp.dir, 'shared.sqlite');
    const script = join(tmp.dir, 'adder.mts');
    writeFileSync(script, `
      import { openBackend } from ${JSON.stringify(src('store/backend.ts'))};
      import { Directory } from ${JSON.stringify(src('store/directory.ts'))};
      const backend = await openBackend(process.env.STORE_URL!);
      const g = new Directory(backend.keyv, undefined, backend.lock).guild('shared');
      const who = { id: process.argv[2]!, name: 'worker ' + process.argv[2] };
      await g.list('need');
      // Both workers start writing at the same moment.
      await new Promise((r) => setTimeout(r, Number(process.argv[3]) - Date.now()));
      await Promise.all(Array.from({ length: 40 }, (_, i) => g.add('need', { org: 'org', title: who.id + ' need ' + i, description: 'd' }, who)));
      await backend.close();
      process.stdout.write('DONE\\n');
    `);
    const env = { STORE_URL: url };
    const at = String(Date.now() + 3000);
    const [a, b] = await Promise.all([run(script, ['w1', at], { cwd: tmp.dir, env, timeoutMs: 60_000 }), run(script, ['w2', at], { cwd: tmp.dir, env, timeoutMs: 60_000 })]);
    expect(a.stderr + b.stderr).toBe('');
    expect(a.stdout + b.stdout).toBe('DONE\nDONE\n');
    const backend = await openBackend(url);
    const needs = await new Directory(backend.keyv).guild('shared').list('need');
    await backend.close();
    expect(needs).toHaveLength(80);
    expect(new Set(needs.map((n) => n.id)).size).toBe(80);
    expect(needs.filter((n) => n.createdBy === 'w1')).toHaveLength(40);
  }, 90_000);

  it('a lock left by a dead process is taken over once stale, a live one is waited for', async () => {
    const lock = fileLock(join(tmp.dir, 'locks'));
    const release = await lock('g');
    const order: string[] = [];
    const second = lock('g').then(async (r) => {
      order.push('second');
      await r();
    });
    await new Promise((r) => setTimeout(r, 50));
    order.push('first done');
    await release();
    await second;
    expect(order).toEqual(['first done', 'second']);
    // A lock whose owner died long ago (old mtime) does not block anyone.
    const stale = join(tmp.dir, 'locks', 'dead.lock');
    mkdirSync(stale);
    const old = new Date(Date.now() - 60_000);
    utimesSync(stale, old, old);
    const t = Date.now();
    await (await lock('dead'))();
    expect(Date.now() - t).toBeLessThan(1000);
  });
});

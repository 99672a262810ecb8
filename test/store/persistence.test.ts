import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDatasetText } from '../../src/domain/dataset.ts';
import { sql } from 'kysely';
import { openStore } from '../../src/store/db.ts';
import { Directory } from '../../src/store/directory.ts';
import { ROOT, actor, demoText, smallDataset, start, tempDir } from '../support.ts';
import { ENGINES } from './engines.ts';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => { tmp = tempDir(); });
afterEach(() => tmp.cleanup());

const src = (path: string) => pathToFileURL(join(ROOT, 'src', path)).href;

describe.each(ENGINES)('persistence on $name', (engine) => {
  let db: Awaited<ReturnType<typeof engine.fresh>>;
  beforeEach(async () => { db = await engine.fresh(); });
  afterEach(async () => { await db.cleanup(); });

  it('data a killed process reported as written is there for the next process', async () => {
    const url = db.url;
    const script = join(tmp.dir, 'writer.mts');
    // The writer imports, adds, edits and closes through the store, says so, then idles until killed.
    writeFileSync(script, `
      import { openStore } from ${JSON.stringify(src('store/db.ts'))};
      import { Directory } from ${JSON.stringify(src('store/directory.ts'))};
      import { parseDatasetText } from ${JSON.stringify(src('domain/dataset.ts'))};
      import { readFileSync } from 'node:fs';
      const backend = await openStore(process.env.STORE_URL!);
      const g = new Directory(backend).guild('persist');
      const who = { id: 'writer', name: 'Writer process' };
      await g.importDataset(parseDatasetText(readFileSync(${JSON.stringify(join(ROOT, 'data', 'demo.json'))}, 'utf8')), 'merge', who);
      const added = await g.add('need', { org: '奉贤某公司', title: '崩溃前写入', description: 'written just before SIGKILL' }, who);
      await g.edit('capability', 'C-0001', { region: '临港' }, who);
      await g.setStatus('need', 'N-0002', 'closed', who);
      process.stdout.write('WROTE ' + added.id + '\\n');
      setInterval(() => {}, 1000);
    `);
    const writer = start(script, [], { cwd: tmp.dir, env: { STORE_URL: url } });
    let id: string | undefined;
    try {
      [, id] = await writer.waitFor(/WROTE (\S+)\n/);
    } finally {
      writer.child.kill('SIGKILL');
    }
    const exit = await writer.exited;
    expect(exit.signal).toBe('SIGKILL');

    const backend = await openStore(url);
    try {
      const g = new Directory(backend, undefined, { pollMs: 0 }).guild('persist');
      const demo = parseDatasetText(demoText());
      expect(id).toBe(`N-${String(demo.needs.length + 1).padStart(4, '0')}`);
      expect(await g.get('need', id!)).toMatchObject({ title: '崩溃前写入', createdBy: 'writer', status: 'open' });
      expect((await g.get('capability', 'C-0001'))?.region).toBe('临港');
      expect((await g.get('need', 'N-0002'))?.status).toBe('closed');
      expect((await g.counts()).need).toEqual({ open: demo.needs.length, closed: 1, matched: 0 });
      expect((await g.auditLog(10)).map((r) => r.action)).toEqual(['close', 'edit', 'add', 'import']);
      // the counter survived too
      expect((await g.add('need', { org: 'o', title: 't', description: 'd' }, actor())).id).toBe(`N-${String(demo.needs.length + 2).padStart(4, '0')}`);
    } finally {
      await backend.close();
    }
  });

  it('close and reopen keeps entries, statuses, config and counters', async () => {
    const url = db.url;
    let backend = await openStore(url);
    let g = new Directory(backend, undefined, { pollMs: 0 }).guild('r');
    await g.importDataset(smallDataset(), 'merge', actor());
    await g.setStatus('capability', 'C-0002', 'closed', actor());
    await g.addCuratorRole('42', actor());
    const before = await g.exportDataset({ includeClosed: true });
    await backend.close();
    backend = await openStore(url);
    try {
      g = new Directory(backend, undefined, { pollMs: 0 }).guild('r');
      expect(await g.exportDataset({ includeClosed: true })).toEqual(before);
      expect((await g.get('capability', 'C-0002'))?.status).toBe('closed');
      expect(await g.getConfig()).toEqual({ curatorRoles: ['42'] });
      expect((await g.add('capability', { org: 'o', title: 't', description: 'd' }, actor())).id).toBe('C-0003');
    } finally {
      await backend.close();
    }
  });

  it('a second connection sees writes of the first (readers reload on a new revision)', async () => {
    const url = db.url;
    const b1 = await openStore(url);
    const b2 = await openStore(url);
    try {
      const writer = new Directory(b1, undefined, { pollMs: 0 }).guild('two');
      const reader = new Directory(b2, undefined, { pollMs: 0 }).guild('two');
      expect(await reader.list('need')).toEqual([]);
      await writer.add('need', { org: 'o', title: 'seen?', description: 'd' }, actor());
      expect((await reader.list('need')).map((e) => e.title)).toEqual(['seen?']);
      await writer.remove('need', 'N-0001', actor());
      expect(await reader.list('need')).toEqual([]);
    } finally {
      await b1.close();
      await b2.close();
    }
  });
});

describe('openStore', () => {
  it('opens SQLite files (creating the folder, WAL) and memory:', async () => {
    const file = join(tmp.dir, 'deep', 'er', 'x.sqlite');
    const b = await openStore(`sqlite://${file}`);
    expect(b.description).toBe(`SQLite file ${file}`);
    await b.ping();
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(b.db);
    expect(mode.rows[0]?.journal_mode).toBe('wal');
    await b.close();
    const m = await openStore('memory:');
    expect(m.description).toMatch(/in-memory/);
    await new Directory(m, undefined, { pollMs: 0 }).guild('g').add('need', { org: 'o', title: 't', description: 'd' }, actor());
    await m.close();
    await expect(m.ping()).rejects.toThrow();
  });

  it('refuses unusable STORE_URLs with a message naming STORE_URL', async () => {
    await expect(openStore('sqlite://')).rejects.toThrow(/^STORE_URL: sqlite:\/\/ needs a file path/);
    await expect(openStore('ftp://host/x')).rejects.toThrow(/^STORE_URL: unsupported scheme "ftp:"/);
    await expect(openStore('var/liaison.sqlite')).rejects.toThrow(/^STORE_URL: unsupported scheme/);
    await expect(openStore('redis://localhost/x')).rejects.toThrow(/^STORE_URL: unsupported scheme "redis:" \(use sqlite:\/\/FILE, memory: or postgres:/);
  });

  it('an unreachable PostgreSQL is an error at start naming the problem', async () => {
    await expect(openStore(`postgres://nobody@localhost/x?host=${encodeURIComponent(join(tmp.dir, 'nosocket'))}`)).rejects.toThrow(/ENOENT|connect|No such file/);
  });
});

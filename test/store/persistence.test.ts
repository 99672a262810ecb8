import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDatasetText } from '../../src/domain/dataset.ts';
import { openBackend } from '../../src/store/backend.ts';
import { Directory } from '../../src/store/directory.ts';
import { ROOT, actor, demoText, smallDataset, sqliteUrl, start, tempDir } from '../support.ts';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => { tmp = tempDir(); });
afterEach(() => tmp.cleanup());

const src = (path: string) => pathToFileURL(join(ROOT, 'src', path)).href;

describe('persistence across a real process restart', () => {
  it('data a killed process reported as written is there for the next process', async () => {
    const url = sqliteUrl(tmp.dir);
    const script = join(tmp.dir, 'writer.mts');
    // The writer imports, adds, edits and closes through the store, says so, then idles until killed.
    writeFileSync(script, `
      import { openBackend } from ${JSON.stringify(src('store/backend.ts'))};
      import { Directory } from ${JSON.stringify(src('store/directory.ts'))};
      import { parseDatasetText } from ${JSON.stringify(src('domain/dataset.ts'))};
      import { readFileSync } from 'node:fs';
      const backend = await openBackend(process.env.STORE_URL!);
      const g = new Directory(backend.keyv).guild('persist');
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

    const backend = await openBackend(url);
    try {
      const g = new Directory(backend.keyv).guild('persist');
      const demo = parseDatasetText(demoText());
      expect(id).toBe(`N-${String(demo.needs.length + 1).padStart(4, '0')}`);
      expect(await g.get('need', id!)).toMatchObject({ title: '崩溃前写入', createdBy: 'writer', status: 'open' });
      expect((await g.get('capability', 'C-0001'))?.region).toBe('临港');
      expect((await g.get('need', 'N-0002'))?.status).toBe('closed');
      expect((await g.counts()).need).toEqual({ open: demo.needs.length, closed: 1 });
      expect((await g.auditLog(10)).map((r) => r.action)).toEqual(['close', 'edit', 'add', 'import']);
      // the counter survived too
      expect((await g.add('need', { org: 'o', title: 't', description: 'd' }, actor())).id).toBe(`N-${String(demo.needs.length + 2).padStart(4, '0')}`);
    } finally {
      await backend.close();
    }
  });

  it('a journal left by an interrupted import is rolled forward on the next open', async () => {
    const url = sqliteUrl(tmp.dir);
    let backend = await openBackend(url);
    const g = new Directory(backend.keyv).guild('j');
    await g.add('need', { org: 'o', title: 'before', description: 'd' }, actor());
    // Write a journal by hand, as importDataset does before it applies anything, and "crash".
    const at = '2025-05-05T05:05:05.000Z';
    const entry = { id: 'N-0077', org: 'Journal Org', title: 'from the journal', description: 'd', status: 'open', createdAt: at, updatedAt: at, createdBy: 'crashed' };
    const meta = await backend.keyv.get<{ rev: number; next: Record<string, number>; audit: number; ids: Record<string, string[]> }>('g:j:meta');
    expect(meta?.ids.need).toEqual(['N-0001']);
    const journalMeta = { ...meta!, rev: meta!.rev + 1, audit: meta!.audit + 1, next: { ...meta!.next, need: 78 }, ids: { need: ['N-0001', 'N-0077'], capability: [] } };
    await backend.keyv.set('g:j:journal', {
      sets: [['g:j:need:N-0077', entry], [`g:j:audit:${String(journalMeta.audit).padStart(9, '0')}`, { seq: journalMeta.audit, at, actor: { id: 'crashed', name: 'crashed' }, action: 'import', summary: 'merge: 1 added, 0 updated, 0 removed' }]],
      deletes: [],
      meta: journalMeta,
    });
    await backend.close();

    backend = await openBackend(url);
    try {
      const reopened = new Directory(backend.keyv).guild('j');
      expect((await reopened.list('need')).map((e) => e.id)).toEqual(['N-0001', 'N-0077']);
      expect(await reopened.get('need', 'N-0077')).toMatchObject({ title: 'from the journal' });
      expect(await backend.keyv.get('g:j:journal')).toBeUndefined();
      expect((await reopened.auditLog(1))[0]?.action).toBe('import');
      expect((await reopened.add('need', { org: 'o', title: 'after', description: 'd' }, actor())).id).toBe('N-0078');
    } finally {
      await backend.close();
    }
  });

  it('a stale journal (the store already moved past it) is dropped, not replayed', async () => {
    const url = sqliteUrl(tmp.dir);
    const backend = await openBackend(url);
    try {
      const g = new Directory(backend.keyv).guild('s');
      await g.importDataset(smallDataset(), 'merge', actor());
      await g.edit('need', 'N-0001', { title: 'edited after the import' }, actor());
      const meta = await backend.keyv.get<{ rev: number }>('g:s:meta');
      // A journal of an older revision, e.g. left behind when the process died between writing meta and deleting the journal.
      await backend.keyv.set('g:s:journal', { sets: [['g:s:need:N-0001', { ...smallDataset().needs[0], status: 'open', createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z', createdBy: 'old' }]], deletes: [], meta: { rev: meta!.rev - 1, next: { need: 1, capability: 1 }, audit: 0, ids: { need: [], capability: [] } } });
      const other = new Directory(backend.keyv).guild('s');
      expect((await other.get('need', 'N-0001'))?.title).toBe('edited after the import');
      expect(await other.list('need')).toHaveLength(3);
      expect(await backend.keyv.get('g:s:journal')).toBeUndefined();
    } finally {
      await backend.close();
    }
  });

  it('close and reopen keeps entries, statuses, config and counters', async () => {
    const url = sqliteUrl(tmp.dir);
    let backend = await openBackend(url);
    let g = new Directory(backend.keyv).guild('r');
    await g.importDataset(smallDataset(), 'merge', actor());
    await g.setStatus('capability', 'C-0002', 'closed', actor());
    await g.setConfig({ curatorRoles: ['42'] }, actor(), 'curator-role add 42');
    const before = await g.exportDataset({ includeClosed: true });
    await backend.close();
    backend = await openBackend(url);
    try {
      g = new Directory(backend.keyv).guild('r');
      expect(await g.exportDataset({ includeClosed: true })).toEqual(before);
      expect((await g.get('capability', 'C-0002'))?.status).toBe('closed');
      expect(await g.getConfig()).toEqual({ curatorRoles: ['42'] });
      expect((await g.add('capability', { org: 'o', title: 't', description: 'd' }, actor())).id).toBe('C-0003');
    } finally {
      await backend.close();
    }
  });

  it('a second connection sees writes of the first (readers reload on a new revision)', async () => {
    const url = sqliteUrl(tmp.dir);
    const b1 = await openBackend(url);
    const b2 = await openBackend(url);
    try {
      const writer = new Directory(b1.keyv).guild('two');
      const reader = new Directory(b2.keyv).guild('two');
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

describe('openBackend', () => {
  it('opens SQLite files (creating the folder) and memory:', async () => {
    const file = join(tmp.dir, 'deep', 'er', 'x.sqlite');
    const b = await openBackend(`sqlite://${file}`);
    expect(b.description).toBe(`SQLite file ${file}`);
    await b.keyv.set('k', { v: 1 });
    expect(await b.keyv.get('k')).toEqual({ v: 1 });
    await b.close();
    const m = await openBackend('memory:');
    expect(m.description).toMatch(/in-memory/);
    await m.keyv.set('k', 1);
    expect(await m.keyv.get('k')).toBe(1);
    await m.close();
  });

  it('refuses unusable STORE_URLs with a message naming STORE_URL', async () => {
    await expect(openBackend('sqlite://')).rejects.toThrow(/^STORE_URL: sqlite:\/\/ needs a file path/);
    await expect(openBackend('ftp://host/x')).rejects.toThrow(/^STORE_URL: unsupported scheme "ftp:"/);
    await expect(openBackend('var/liaison.sqlite')).rejects.toThrow(/^STORE_URL: unsupported scheme/);
    await expect(openBackend('mongodb://localhost/x')).rejects.toThrow(/^STORE_URL: "mongodb:" needs the package @keyv\/mongo; install it with npm install @keyv\/mongo/);
  });
});

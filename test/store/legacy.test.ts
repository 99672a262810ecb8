// Migration from 0.1: test/fixtures/v0.1-store.sqlite was written by 0.1's keyv store (see
// make-v0.1-store.ts): two guilds, needs and capabilities, a closed need, a removed need (the
// counter is ahead of the ids), an edit, audit records, a curator role and a watch.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { createAttachmentFetcher } from '../../src/interactions/attachments.ts';
import { createLogger } from '../../src/log.ts';
import { openStore } from '../../src/store/db.ts';
import { Directory, type GuildDirectory } from '../../src/store/directory.ts';
import { hasLegacyTable, migrateLegacy, migrateOnStart } from '../../src/store/legacy.ts';
import { CLI, ROOT, actor, run, tempDir } from '../support.ts';
import { ENGINES } from './engines.ts';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'v0.1-store.sqlite');
const G1 = '111111111111111111';
const G2 = '222222222222222222';

let tmp: ReturnType<typeof tempDir>;
let copy: string;
beforeEach(() => {
  tmp = tempDir();
  copy = join(tmp.dir, 'old.sqlite');
  copyFileSync(FIXTURE, copy);
});
afterEach(() => tmp.cleanup());

/** Everything the fixture holds, as the migrated store must show it. */
async function expectMigrated(g1: GuildDirectory, g2: GuildDirectory) {
  expect((await g1.list('need', { status: 'all' })).map((e) => [e.id, e.status])).toEqual([['N-0001', 'open'], ['N-0002', 'open'], ['N-0003', 'closed']]);
  expect((await g1.list('capability', { status: 'all' })).map((e) => e.id)).toEqual(['C-0001', 'C-0002']);
  expect(await g1.get('need', 'N-0002')).toMatchObject({
    org: 'Acme Pumps', description: 'Coating for seawater pumps, 10-year life', region: 'Ningbo',
    createdAt: '2026-01-05T09:02:00.000Z', updatedAt: '2026-01-05T09:06:00.000Z', createdBy: '1001', version: 1,
  });
  expect(await g1.get('capability', 'C-0001')).toMatchObject({ kind: 'key-lab', contact: 'lab@example.edu', title: '电解质与界面实验室' });
  expect(await g1.get('need', 'N-0004')).toBeUndefined();
  const audit = await g1.auditLog(50);
  expect(audit.map((r) => r.action)).toEqual(['config', 'remove', 'add', 'close', 'edit', 'add', 'add', 'add', 'add', 'add']);
  expect(audit[4]).toMatchObject({ actor: { id: '1002', name: 'bob' }, type: 'need', id: 'N-0002', at: '2026-01-05T09:06:00.000Z', changes: { description: ['Coating for seawater pumps', 'Coating for seawater pumps, 10-year life'] } });
  expect(audit[0]!.summary).toBe('curator-role add 2001');
  expect(await g1.getConfig()).toEqual({ curatorRoles: ['2001'] });
  expect(await g1.watches()).toEqual([{ user: '1002', type: 'need', id: 'N-0001', channel: '3001', locale: 'zh-CN', seen: ['C-0001'], createdAt: '2026-01-05T09:11:00.000Z' }]);
  expect((await g2.list('capability')).map((e) => e.title)).toEqual(['Other guild lab']);
  expect(await g2.list('need')).toEqual([]);
  // Counters: N-0004 was removed in 0.1, so the next need is N-0005, never N-0004 again.
  expect((await g1.add('need', { org: 'o', title: 'after migration', description: 'd' }, actor())).id).toBe('N-0005');
  expect((await g1.add('capability', { org: 'o', title: 'after migration', description: 'd' }, actor())).id).toBe('C-0003');
  expect((await g2.add('capability', { org: 'o', title: 'g2', description: 'd' }, actor())).id).toBe('C-0002');
  // and the migrated entries can be edited with versions
  expect((await g1.edit('need', 'N-0001', { region: '苏州' }, actor(), { version: 1 })).version).toBe(2);
}

describe('the 0.1 SQLite file is migrated on first start, in place', () => {
  it('keeps ids, statuses, counters, audit, roles and watches; says so; does it once', async () => {
    const lines: string[] = [];
    const config = parseConfig({ STORE_URL: `sqlite://${copy}`, LOG_LEVEL: 'info', DEMO_DATA: 'false' });
    let app = await createApp(config, createLogger('info', (l) => lines.push(l)), createAttachmentFetcher([], { allowFiles: true }));
    expect(lines.join('\n')).toMatch(/migrated the Liaison 0\.1 directory in .*old\.sqlite to the relational store: 2 guild\(s\), 6 entries, 11 audit records, 1 curator role\(s\), 1 watch\(es\)/);
    expect(hasLegacyTable(copy)).toBe(false);
    await expectMigrated(app.services.directory.guild(G1), app.services.directory.guild(G2));
    await app.close();
    lines.length = 0;
    app = await createApp(config, createLogger('info', (l) => lines.push(l)), createAttachmentFetcher([], { allowFiles: true }));
    expect(lines.join('\n')).not.toMatch(/migrated/);
    expect((await app.services.directory.guild(G1).list('need', { status: 'all' })).map((e) => e.id)).toEqual(['N-0001', 'N-0002', 'N-0003', 'N-0005']);
    await app.close();
  });

  it('a file that is not a 0.1 directory is not touched; the cli says there is nothing to migrate', async () => {
    const fresh = join(tmp.dir, 'new.sqlite');
    const s = await openStore(`sqlite://${fresh}`);
    await s.close();
    expect(hasLegacyTable(fresh)).toBe(false);
    expect(hasLegacyTable(join(tmp.dir, 'missing.sqlite'))).toBe(false);
    const r = await run(CLI, ['migrate', join(tmp.dir, 'new.sqlite')], { cwd: tmp.dir, env: { STORE_URL: `sqlite://${join(tmp.dir, 'target.sqlite')}` } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/new\.sqlite holds no Liaison 0\.1 directory/);
  });
});

describe.each(ENGINES)('npm run cli -- migrate into $name', (engine) => {
  it('copies the 0.1 file into the store in one go; the old table is kept, renamed', async () => {
    const db = await engine.fresh();
    try {
      const store = await openStore(db.url);
      const warned: string[] = [];
      // Before: the start-up message names the command that migrates the old file.
      await migrateOnStart(store, createLogger('warn', (l) => warned.push(l)), copy);
      expect(warned.join('\n')).toContain(`npm run cli -- migrate ${copy}`);
      await store.close();
      const r = await run(CLI, ['migrate', copy], { cwd: tmp.dir, env: { STORE_URL: db.url } });
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^Migrated .*old\.sqlite into .*: 2 guild\(s\), 6 entries, 11 audit records, 1 curator role\(s\), 1 watch\(es\)\.\n$/);
      expect(hasLegacyTable(copy)).toBe(false);
      const again = await openStore(db.url);
      const dir = new Directory(again, undefined, { pollMs: 0 });
      await expectMigrated(dir.guild(G1), dir.guild(G2));
      // a second migration of the same data into a guild that holds data leaves it alone
      copyFileSync(FIXTURE, copy);
      const report = await migrateLegacy(again, copy);
      expect(report.skipped.sort()).toEqual([G1, G2]);
      expect(report.entries).toBe(0);
      await dir.close();
      await again.close();
    } finally {
      await db.cleanup();
    }
  }, 60_000);
});

// cli backup / restore: every guild, with audit, config and watches, round-trips on both engines.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackup, parseBackup, restoreBackup, type BackupDoc } from '../../src/store/backup.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { Directory } from '../../src/store/directory.ts';
import { CLI, actor, run, smallDataset, tempDir } from '../support.ts';
import { ENGINES } from './engines.ts';
import { renewPosting } from '../../src/freshness/review.ts';
import { recordFeedback } from '../../src/feedback/store.ts';
import { setSetting, setTarget } from '../../src/office/settings.ts';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => { tmp = tempDir(); });
afterEach(() => tmp.cleanup());

/** Two guilds with everything a backup carries: closed and removed entries, edits, roles, watches. */
async function populate(store: Store) {
  const dir = new Directory(store, undefined, { pollMs: 0 });
  const a = dir.guild('guildA');
  await a.importDataset(smallDataset(), 'merge', actor('seed', 'Seed'));
  await a.setStatus('need', 'N-0002', 'closed', actor());
  await a.edit('capability', 'C-0001', { region: '临港', keywords: ['MOF'] }, actor('u2', 'Bob'));
  const extra = await a.add('need', { org: '某公司', title: '将被删除', description: 'd' }, actor());
  await a.remove('need', extra.id, actor());
  await a.addCuratorRole('555', actor());
  await a.addWatch({ user: 'u1', type: 'need', id: 'N-0001', channel: 'c1', locale: 'zh-CN', seen: ['C-0002'], createdAt: '2026-02-02T02:02:02.000Z' }, 20);
  await a.addWatch({ user: 'u2', type: 'need', id: 'N-0003', channel: 'c1', locale: 'en-US', seen: [], createdAt: '2026-02-02T02:02:03.000Z', delivery: 'digest' }, 20);
  // issue 11's office records: a renewal, a target, a vote, settings
  await renewPosting(a, 'need', 'N-0001', actor(), new Date('2026-03-01T00:00:00Z'));
  await setTarget(a, 'key-lab', 'national', 3, actor(), new Date());
  await setSetting(a, 'review-days', '90', actor(), new Date());
  await recordFeedback(a, { needId: 'N-0001', capabilityId: 'C-0001', vote: 'down', reason: 'wrong-field' }, actor('100000000000000001', 'Ann'), new Date(), ['t:故障']);
  await dir.guild('guildB').add('capability', { org: 'B', title: 'only in B', description: 'd' }, actor());
  await dir.close();
}

/** A backup minus what legitimately differs after a restore: when it was made, audit sequence numbers and the restore's own record. */
function comparable(b: Pick<BackupDoc, 'guilds'>) {
  return b.guilds.map((g) => ({ ...g, audit: g.audit.filter((r) => r.action !== 'restore').map(({ seq: _s, ...r }) => r) }));
}

describe.each(ENGINES)('backup and restore on $name', (engine) => {
  it('round-trips every guild: entries with status and versions, counters, audit, roles, watches', async () => {
    const [src, dst] = [await engine.fresh(), await engine.fresh()];
    try {
      let store = await openStore(src.url);
      await populate(store);
      const backup = await createBackup(store);
      await store.close();
      expect(backup.guilds.map((g) => g.guild)).toEqual(['guildA', 'guildB']);
      const a = backup.guilds[0]!;
      expect(a.counters).toEqual({ need: 5, capability: 3 });
      expect(a.entries.need['N-0002']).toMatchObject({ status: 'closed', version: 2 });
      expect(a.dataset.needs.map((n) => n.id)).toEqual(['N-0001', 'N-0002', 'N-0003']);
      expect(a.watches.map((w) => w.delivery)).toEqual([undefined, 'digest']);
      expect(a.office).toMatchObject({
        targets: [{ kind: 'key-lab', level: 'national', count: 3 }],
        settings: { 'review-days': '90' },
        feedback: [{ entryId: 'N-0001', partnerId: 'C-0001', vote: 'down', reason: 'wrong-field', features: ['t:故障'] }],
      });
      expect(a.office!.reviews.map((r) => r.id)).toEqual(['N-0001']);
      const text = JSON.stringify(backup);

      store = await openStore(dst.url);
      const r = await restoreBackup(store, parseBackup(text), actor('admin', 'Admin'));
      expect(r).toEqual({ guilds: 2, entries: 6 });
      const again = await createBackup(store);
      expect(comparable(again)).toEqual(comparable(backup));
      const dir = new Directory(store, undefined, { pollMs: 0 });
      const g = dir.guild('guildA');
      expect((await g.auditLog(1))[0]).toMatchObject({ action: 'restore', actor: { name: 'Admin' } });
      // Removed ids stay retired after a restore; edits go on from the restored versions.
      expect((await g.add('need', { org: 'o', title: 'next', description: 'd' }, actor())).id).toBe('N-0005');
      expect((await g.edit('capability', 'C-0001', { region: '浦东' }, actor(), { version: 2 })).version).toBe(3);
      await dir.close();
      await store.close();
    } finally {
      await src.cleanup();
      await dst.cleanup();
    }
  });

  it('restore over a guild makes it equal to the backup and never moves its counters back', async () => {
    const db = await engine.fresh();
    try {
      const store = await openStore(db.url);
      await populate(store);
      const backup = parseBackup(JSON.stringify(await createBackup(store)));
      const dir = new Directory(store, undefined, { pollMs: 0 });
      const a = dir.guild('guildA');
      await a.list('need');
      const events: string[] = [];
      a.subscribe((e) => events.push(e.kind));
      for (let i = 0; i < 3; i++) await a.add('need', { org: 'o', title: `later ${i}`, description: 'd' }, actor());
      await a.removeCuratorRole('555', actor());
      await restoreBackup(store, backup, actor());
      await a.refresh();
      expect(events.at(-1)).toBe('reset');
      expect((await a.list('need', { status: 'all' })).map((e) => e.id)).toEqual(['N-0001', 'N-0002', 'N-0003']);
      expect(await a.getConfig()).toEqual({ curatorRoles: ['555'] });
      expect((await a.add('need', { org: 'o', title: 'after restore', description: 'd' }, actor())).id).toBe('N-0008');
      await dir.close();
      await store.close();
    } finally {
      await db.cleanup();
    }
  });
});

describe('npm run cli -- backup / restore', () => {
  it('backup --out then restore into another store; a broken file restores nothing and says why', async () => {
    const from = `sqlite://${join(tmp.dir, 'a.sqlite')}`;
    const to = `sqlite://${join(tmp.dir, 'b.sqlite')}`;
    const store = await openStore(from);
    await populate(store);
    await store.close();
    const file = join(tmp.dir, 'backup.json');
    const b = await run(CLI, ['backup', '--out', file], { cwd: tmp.dir, env: { STORE_URL: from } });
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toBe(`Wrote ${file}\n`);
    const broken = join(tmp.dir, 'broken.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { guilds: { entries: { need: Record<string, unknown> } }[] };
    delete doc.guilds[0]!.entries.need['N-0001'];
    writeFileSync(broken, JSON.stringify(doc));
    const bad = await run(CLI, ['restore', broken], { cwd: tmp.dir, env: { STORE_URL: to } });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/broken\.json: guild guildA: need N-0001 has no entry in "entries"; nothing was restored/);
    const r = await run(CLI, ['restore', file], { cwd: tmp.dir, env: { STORE_URL: to } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Restored 2 guild\(s\), 6 entries, from the backup of \d{4}-\d\d-\d\dT/);
    const check = await openStore(to);
    expect(comparable(await createBackup(check))).toEqual(comparable(parseBackup(readFileSync(file, 'utf8'))));
    await check.close();
    const notJson = join(tmp.dir, 'x.json');
    writeFileSync(notJson, '{"format":"something else"}');
    const wrong = await run(CLI, ['restore', notJson], { cwd: tmp.dir, env: { STORE_URL: to } });
    expect(wrong.stderr).toMatch(/not a Liaison backup \(format "liaison-backup", version 1\): format/);
  }, 60_000);
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetError, parseDatasetText, type Dataset } from '../../src/domain/dataset.ts';
import type { EntryFields } from '../../src/domain/entry.ts';
import { UserError } from '../../src/domain/errors.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { Directory, formatId, type ChangeEvent } from '../../src/store/directory.ts';
import { actor, demoText, smallDataset } from '../support.ts';
import { ENGINES } from './engines.ts';

const fields = (title: string, extra: Partial<EntryFields> = {}): EntryFields => ({ org: 'Org', title, description: `About ${title}`, ...extra });

async function expectUserError(p: Promise<unknown>, key: string) {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(UserError);
  expect((err as UserError).key).toBe(key);
  return err as UserError;
}

describe.each(ENGINES)('directory on $name', (engine) => {
let db: Awaited<ReturnType<typeof engine.fresh>>;
let stores: { store: Store; directory: Directory }[];

/** Opens the test's store (again): each call is a separate connection, like another process. */
async function open(now?: () => Date) {
  const store = await openStore(db.url);
  const directory = new Directory(store, now, { pollMs: 0 });
  stores.push({ store, directory });
  return { store, directory };
}

beforeEach(async () => {
  db = await engine.fresh();
  stores = [];
});
afterEach(async () => {
  for (const s of stores) {
    await s.directory.close();
    await s.store.close().catch(() => {});
  }
  await db.cleanup();
});

describe('ids', () => {
  it('formatId pads to four digits and grows past them', () => {
    expect(formatId('need', 1)).toBe('N-0001');
    expect(formatId('capability', 42)).toBe('C-0042');
    expect(formatId('need', 12345)).toBe('N-12345');
  });

  it('allocates ids in sequence, per type', async () => {
    const g = (await open()).directory.guild('g1');
    expect((await g.add('need', fields('a'), actor())).id).toBe('N-0001');
    expect((await g.add('need', fields('b'), actor())).id).toBe('N-0002');
    expect((await g.add('capability', fields('c'), actor())).id).toBe('C-0001');
  });

  it('never reuses an id after removal, even after a reopen', async () => {
    const g = (await open()).directory.guild('g1');
    for (const t of ['a', 'b', 'c']) await g.add('need', fields(t), actor());
    await g.remove('need', 'N-0003', actor());
    expect((await g.add('need', fields('d'), actor())).id).toBe('N-0004');
    for (const e of await g.list('need', { status: 'all' })) await g.remove('need', e.id, actor());
    expect(await g.list('need', { status: 'all' })).toEqual([]);
    const g2 = (await open()).directory.guild('g1');
    expect((await g2.add('need', fields('e'), actor())).id).toBe('N-0005');
  });

  it('imported ids in our scheme move the counter; other ids do not', async () => {
    const g = (await open()).directory.guild('g1');
    await g.importDataset({
      version: 1,
      needs: [{ id: 'N-0042', org: 'o', title: 't', description: 'd' }, { id: 'ACME-7', org: 'o', title: 't', description: 'd' }],
      capabilities: [{ id: 'C-0007', org: 'o', title: 't', description: 'd' }, { id: 'lab.99', org: 'o', title: 't', description: 'd' }],
    }, 'merge', actor());
    expect((await g.add('need', fields('next'), actor())).id).toBe('N-0043');
    expect((await g.add('capability', fields('next'), actor())).id).toBe('C-0008');
    // a lower imported id leaves the counter where it is
    await g.importDataset({ version: 1, needs: [{ id: 'N-0002', org: 'o', title: 't', description: 'd' }], capabilities: [] }, 'merge', actor());
    expect((await g.add('need', fields('after'), actor())).id).toBe('N-0044');
  });
});

describe('per-guild isolation', () => {
  it('nothing of guild A is visible or changeable from guild B; ids are allocated per guild', async () => {
    const { directory } = await open();
    const a = directory.guild('guildA');
    const b = directory.guild('guildB');
    await a.importDataset(smallDataset(), 'merge', actor());
    await a.add('need', fields('only in A'), actor());
    await a.addCuratorRole('111', actor());

    expect(await b.list('need', { status: 'all' })).toEqual([]);
    expect(await b.get('need', 'N-0001')).toBeUndefined();
    expect(await b.counts()).toEqual({ need: { open: 0, closed: 0, matched: 0 }, capability: { open: 0, closed: 0, matched: 0 } });
    expect(await b.auditLog()).toEqual([]);
    expect(await b.exportDataset({ includeClosed: true })).toEqual({ version: 1, needs: [], capabilities: [] });
    expect(await b.getConfig()).toEqual({ curatorRoles: [] });

    await expectUserError(b.edit('need', 'N-0001', { title: 'hijacked' }, actor()), 'error.needNotFound');
    await expectUserError(b.remove('need', 'N-0001', actor()), 'error.needNotFound');
    await expectUserError(b.setStatus('capability', 'C-0001', 'closed', actor()), 'error.capabilityNotFound');
    // B's first add gets B's first id, even though A has N-0001..N-0004
    expect((await b.add('need', fields('B first'), actor())).id).toBe('N-0001');
    // a replace import in B leaves A alone
    await b.importDataset({ version: 1, needs: [], capabilities: [] }, 'replace', actor());

    const aAgain = (await open()).directory.guild('guildA');
    expect((await aAgain.get('need', 'N-0001'))?.title).toBe('配电网故障快速定位');
    expect((await aAgain.counts()).need.open).toBe(4);
    expect(await aAgain.getConfig()).toEqual({ curatorRoles: ['111'] });
  });

  it('rejects guild ids that could reach into another key space', async () => {
    const { directory } = await open();
    for (const bad of ['', 'a:b', 'g:x', 'a b', 'x'.repeat(33), '../etc']) expect(() => directory.guild(bad), bad).toThrow(/invalid guild id/);
    expect(directory.guild('123456789012345678').guildId).toBe('123456789012345678');
    expect(directory.guild('local')).toBe(directory.guild('local'));
  });
});

describe('concurrency', () => {
  it('100 concurrent adds in one guild: 100 entries, distinct ids, none lost', async () => {
    const { directory } = await open();
    const g = directory.guild('busy');
    const added = await Promise.all(Array.from({ length: 100 }, (_, i) => g.add('need', fields(`entry ${i}`), actor(`u${i}`))));
    const ids = added.map((e) => e.id);
    expect(new Set(ids).size).toBe(100);
    expect(new Set(added.map((e) => e.title)).size).toBe(100);
    expect((await g.list('need')).length).toBe(100);
    // and all of them are in the file, read through a second connection
    const fresh = (await open()).directory.guild('busy');
    const stored = await fresh.list('need');
    expect(stored.map((e) => e.id).sort()).toEqual([...ids].sort());
    expect((await fresh.auditLog(200)).filter((r) => r.action === 'add')).toHaveLength(100);
  });

  it('concurrent edits of one entry do not lose updates', async () => {
    const g = (await open()).directory.guild('busy');
    const e = await g.add('need', fields('base'), actor());
    await Promise.all([
      g.edit('need', e.id, { title: 'new title' }, actor('u1')),
      g.edit('need', e.id, { region: '奉贤区' }, actor('u2')),
      g.edit('need', e.id, { contact: '王工' }, actor('u3')),
      g.edit('need', e.id, { keywords: ['行波'] }, actor('u4')),
      g.edit('need', e.id, { sectors: ['power-grid'] }, actor('u5')),
      g.setStatus('need', e.id, 'closed', actor('u6')),
    ]);
    const after = (await (await open()).directory.guild('busy').get('need', e.id))!;
    expect(after).toMatchObject({ title: 'new title', region: '奉贤区', contact: '王工', keywords: ['行波'], sectors: ['power-grid'], status: 'closed', description: 'About base' });
    // (several connections on PostgreSQL: the six commit in any order)
    expect((await g.auditLog()).map((r) => r.action).sort()).toEqual(['add', 'close', 'edit', 'edit', 'edit', 'edit', 'edit']);
  });

  it('concurrent adds in different guilds stay in their guilds', async () => {
    const { directory } = await open();
    await Promise.all(Array.from({ length: 30 }, (_, i) => directory.guild(`g${i % 3}`).add('capability', fields(`c${i}`), actor())));
    for (const gid of ['g0', 'g1', 'g2']) {
      const list = await directory.guild(gid).list('capability');
      expect(list.map((e) => e.id)).toEqual(Array.from({ length: 10 }, (_, i) => formatId('capability', i + 1)));
    }
  });
});

describe('writes and the audit log', () => {
  it('records who, when and what changed for every write, newest first', async () => {
    let clock = Date.parse('2025-03-01T08:00:00.000Z');
    const g = (await open(() => new Date((clock += 60_000)))).directory.guild('audited');
    const alice = actor('alice-id', 'Alice');
    const bob = actor('bob-id', 'Bob');
    const e = await g.add('need', fields('first', { region: '奉贤区' }), alice);
    expect(e).toMatchObject({ status: 'open', createdBy: 'alice-id', createdAt: '2025-03-01T08:01:00.000Z' });
    await g.edit('need', e.id, { title: 'second', region: undefined }, bob);
    await g.setStatus('need', e.id, 'closed', bob);
    await g.setStatus('need', e.id, 'open', alice);
    await g.remove('need', e.id, alice);
    await g.importDataset(smallDataset(), 'merge', bob);
    await g.addCuratorRole('1', alice);

    const log = await (await open()).directory.guild('audited').auditLog(50);
    expect(log.map((r) => [r.action, r.actor.name])).toEqual([
      ['config', 'Alice'], ['import', 'Bob'], ['remove', 'Alice'], ['reopen', 'Alice'],
      ['close', 'Bob'], ['edit', 'Bob'], ['add', 'Alice'],
    ]);
    expect(log.map((r) => r.seq)).toEqual([...log.map((r) => r.seq)].sort((a, b) => b - a));
    const byAction = Object.fromEntries(log.map((r) => [r.action, r]));
    expect(byAction.add).toMatchObject({ at: '2025-03-01T08:01:00.000Z', actor: alice, type: 'need', id: 'N-0001' });
    expect(byAction.add!.changes?.title?.[1]).toBe('first');
    expect(byAction.edit!.at).toBe('2025-03-01T08:02:00.000Z');
    expect(byAction.edit!.changes?.title).toEqual(['first', 'second']);
    expect(byAction.edit!.changes?.region?.[0]).toBe('奉贤区');
    expect(Object.keys(byAction.edit!.changes ?? {}).sort()).toEqual(['region', 'title']);
    expect(byAction.close!.changes).toEqual({ status: ['open', 'closed'] });
    expect(byAction.reopen!.changes).toEqual({ status: ['closed', 'open'] });
    expect(byAction.remove!.changes?.title?.[0]).toBe('second');
    expect(byAction.import!.summary).toBe('merge: 5 added, 0 updated, 0 removed');
    expect(byAction.config!.summary).toBe('curator-role add 1');
    expect(await g.auditLog(2)).toHaveLength(2);
  });

  it('an edit that changes nothing writes nothing; a bad id writes nothing', async () => {
    const g = (await open()).directory.guild('g');
    const e = await g.add('need', fields('same'), actor());
    expect(await g.edit('need', e.id, { title: 'same' }, actor())).toEqual(e);
    await expectUserError(g.edit('need', 'N-0999', { title: 'x' }, actor()), 'error.needNotFound');
    await expectUserError(g.require('capability', 'C-0001'), 'error.capabilityNotFound');
    expect((await g.auditLog()).map((r) => r.action)).toEqual(['add']);
  });

  it('close hides an entry from open lists and exports; reopen brings it back; repeats are refused', async () => {
    const g = (await open()).directory.guild('g');
    await g.importDataset(smallDataset(), 'merge', actor());
    await g.setStatus('need', 'N-0002', 'closed', actor());
    expect((await g.list('need')).map((e) => e.id)).toEqual(['N-0001', 'N-0003']);
    expect((await g.list('need', { status: 'closed' })).map((e) => e.id)).toEqual(['N-0002']);
    expect((await g.exportDataset()).needs.map((e) => e.id)).toEqual(['N-0001', 'N-0003']);
    expect((await g.exportDataset({ includeClosed: true })).needs).toHaveLength(3);
    expect((await g.counts()).need).toEqual({ open: 2, closed: 1, matched: 0 });
    await expectUserError(g.setStatus('need', 'N-0002', 'closed', actor()), 'error.alreadyClosed');
    await g.setStatus('need', 'N-0002', 'open', actor());
    await expectUserError(g.setStatus('need', 'N-0002', 'open', actor()), 'error.alreadyOpen');
    expect((await g.list('need')).map((e) => e.id)).toEqual(['N-0001', 'N-0002', 'N-0003']);
  });

  it('tells subscribers about changes', async () => {
    const g = (await open()).directory.guild('g');
    const events: ChangeEvent['kind'][] = [];
    const stop = g.subscribe((e) => events.push(e.kind));
    const e = await g.add('need', fields('x'), actor());
    await g.remove('need', e.id, actor());
    await g.importDataset(smallDataset(), 'merge', actor());
    stop();
    await g.add('need', fields('y'), actor());
    // a small import is followed entry by entry (a large one is one reset)
    expect(events).toEqual(['upsert', 'remove', 'upsert', 'upsert', 'upsert', 'upsert', 'upsert']);
  });
});

describe('import', () => {
  it('import → export round-trips data/demo.json to equal data', async () => {
    const demo = parseDatasetText(demoText());
    const g = (await open()).directory.guild('demo');
    const r = await g.importDataset(demo, 'merge', actor());
    expect(r.added).toHaveLength(demo.needs.length + demo.capabilities.length);
    expect(await (await open()).directory.guild('demo').exportDataset()).toEqual(demo);
  });

  it('merge adds and updates by id, keeps the rest and their status', async () => {
    const g = (await open()).directory.guild('g');
    await g.importDataset(smallDataset(), 'merge', actor());
    await g.setStatus('need', 'N-0001', 'closed', actor());
    const extra = await g.add('need', fields('kept'), actor());
    const r = await g.importDataset({
      version: 1,
      needs: [{ id: 'N-0001', org: 'o', title: 'updated', description: 'd' }, { id: 'N-0100', org: 'o', title: 'new', description: 'd' }],
      capabilities: [],
    }, 'merge', actor('importer'));
    expect(r).toEqual({ mode: 'merge', added: ['N-0100'], updated: ['N-0001'], removed: [] });
    const all = await g.list('need', { status: 'all' });
    expect(all.map((e) => e.id)).toEqual(['N-0001', 'N-0002', 'N-0003', extra.id, 'N-0100']);
    const n1 = all[0]!;
    expect(n1).toMatchObject({ title: 'updated', status: 'closed', createdBy: 'u-1' });
    expect(n1).not.toHaveProperty('sectors'); // the file's version of the entry replaces the old one
    expect((await g.list('capability')).length).toBe(2);
  });

  it('replace makes the directory equal to the file and reports what it removed', async () => {
    const g = (await open()).directory.guild('g');
    await g.importDataset(smallDataset(), 'merge', actor());
    await g.setStatus('capability', 'C-0001', 'closed', actor());
    const d = smallDataset();
    const r = await g.importDataset({ version: 1, needs: d.needs.slice(1), capabilities: d.capabilities }, 'replace', actor());
    expect(r.removed).toEqual(['N-0001']);
    expect(r.updated).toEqual(['N-0002', 'N-0003', 'C-0001', 'C-0002']);
    expect(await g.get('need', 'N-0001')).toBeUndefined();
    expect((await g.get('capability', 'C-0001'))?.status).toBe('open');
    const reread = (await open()).directory.guild('g');
    expect(await reread.exportDataset({ includeClosed: true })).toEqual({ version: 1, needs: d.needs.slice(1), capabilities: d.capabilities });
    // the removed id is not handed out again
    expect((await reread.add('need', fields('new'), actor())).id).toBe('N-0004');
  });

  it('a bad entry makes parsing fail before anything is written', async () => {
    const g = (await open()).directory.guild('g');
    await g.importDataset(smallDataset(), 'merge', actor());
    const before = await g.exportDataset({ includeClosed: true });
    const bad = smallDataset() as unknown as { needs: Record<string, unknown>[] };
    bad.needs.push({ id: 'N-0050', org: 'o', title: 't', description: 'd' });
    bad.needs[1]!.sectors = ['fuel-cell'];
    await expect(async () => g.importDataset(parseDatasetText(JSON.stringify(bad)), 'replace', actor())).rejects.toThrow(DatasetError);
    const reread = (await open()).directory.guild('g');
    expect(await reread.exportDataset({ includeClosed: true })).toEqual(before);
    expect(await reread.get('need', 'N-0050')).toBeUndefined();
    expect((await reread.auditLog()).length).toBe(1);
  });

});

describe('store failures', () => {
  it('a failed import changes nothing and the next write succeeds at once', async () => {
    const { directory } = await open();
    const g = directory.guild('g');
    await g.importDataset(smallDataset(), 'merge', actor());
    const before = await g.exportDataset({ includeClosed: true });
    // An entry that cannot be written, after two batches already were: the transaction rolls back.
    const needs = Array.from({ length: 1200 }, (_, i) => ({ id: `X-${i}`, org: 'o', title: `t${i}`, description: 'd' as unknown }));
    needs[1100]!.description = 1n; // JSON cannot hold it
    await expect(g.importDataset({ version: 1, needs, capabilities: [] } as Dataset, 'replace', actor())).rejects.toThrow(/BigInt/);
    expect(await g.exportDataset({ includeClosed: true })).toEqual(before);
    const reread = (await open()).directory.guild('g');
    expect(await reread.exportDataset({ includeClosed: true })).toEqual(before);
    expect((await reread.auditLog()).map((r) => r.action)).toEqual(['import']);
    expect((await reread.add('need', fields('n'), actor())).id).toBe('N-0004');
  });

  it('a closed store fails loudly', async () => {
    const { store, directory } = await open();
    const g = directory.guild('g');
    await g.add('need', fields('x'), actor());
    await store.close();
    await expect(directory.guild('other').list('need')).rejects.toThrow();
    await expect(g.add('need', fields('y'), actor())).rejects.toThrow();
  });
});
});

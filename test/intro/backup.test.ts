// Contacts, submissions and introductions survive a backup and restore (into another store).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import { Directory } from '../../src/store/directory.ts';
import { createBackup, parseBackup, restoreBackup } from '../../src/store/backup.ts';
import { People } from '../../src/intro/records.ts';
import { sqliteUrl, tempDir } from '../support.ts';
import { ADMIN, FIRM, GUILD, LAB, harness, type Harness } from './harness.ts';
import { RecordingOutbox } from './outbox.ts';

let h: Harness;
beforeAll(async () => {
  h = await harness();
  h.app.services.intros.setOutbox(new RecordingOutbox(), { sweepMs: 0 });
});
afterAll(async () => h?.close());

it('a backup holds the people records, and a restore brings them back exactly; an older backup leaves them alone', async () => {
  await h.cmd('/config office-channel channel:<#700000000000000001>');
  await h.cmd('/submit need title:"备份测试需求" org:"某公司" description:"一段描述"', { user: FIRM });
  await h.press('review:ok:1');
  await h.cmd(`/contact add id:C-0002 user:<@${LAB}>`);
  await h.cmd('/contact claim id:C-0003', { user: FIRM });
  const p = new People(h.app.services.directory.guild(GUILD));
  const needId = (await p.submission(1))!.entryId!;
  await h.press(`intro:req:${needId}:C-0002`, { user: FIRM });
  await h.press(`intro:yes:${GUILD}:1`, { user: LAB, dm: true });
  const snapshot = async (people: People) => ({
    contacts: [...(await people.contacts('need', needId)), ...(await people.contacts('capability', 'C-0002')), ...(await people.contacts('capability', 'C-0003'))],
    submissions: await people.submissions(),
    intros: await people.intros(),
    members: await people.members(1),
  });
  const before = await snapshot(p);
  expect(before.members.sort()).toEqual([FIRM, LAB].sort());

  const backup = parseBackup(JSON.stringify(await createBackup(h.app.store)));
  const tmp = tempDir();
  const other = await openStore(sqliteUrl(tmp.dir));
  try {
    await restoreBackup(other, backup, { id: ADMIN, name: 'admin' });
    const dir = new Directory(other, undefined, { pollMs: 0 });
    expect(await snapshot(new People(dir.guild(GUILD)))).toEqual(before);
    // A backup from before issue 11 (no people block) leaves the records as they are.
    const old = { ...backup, guilds: backup.guilds.map(({ people: _p, ...g }) => g) };
    await restoreBackup(other, old, { id: ADMIN, name: 'admin' });
    expect(await snapshot(new People(dir.guild(GUILD)))).toEqual(before);
    await dir.close();
  } finally {
    await other.close();
    tmp.cleanup();
  }
});

// Office settings, entry contacts and the match page's action card, through the dispatcher.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/index.ts';
import { People } from '../../src/intro/records.ts';
import { ADMIN, FIRM, GUILD, LAB, STRANGER, customIds, dataOf, harness, textOf, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => h?.close());

const people = () => new People(h.app.services.directory.guild(GUILD));

describe('/config office-channel and broker-role', () => {
  it('an admin sets them; getConfig carries them; the audit records it', async () => {
    const r = await h.cmd('/config office-channel channel:<#700000000000000001>');
    expect(dataOf(r).content).toContain('<#700000000000000001>');
    await h.cmd('/config broker-role role:<@&700000000000000002>');
    const config = await h.app.services.directory.guild(GUILD).getConfig();
    expect(config).toMatchObject({ officeChannel: '700000000000000001', brokerRole: '700000000000000002' });
    const shown = await h.cmd('/config office-channel');
    expect(dataOf(shown).content).toBe(translate('en-US', 'config.officeIs', { value: '<#700000000000000001>' }));
    expect((await h.app.services.directory.guild(GUILD).auditLog(1))[0]?.summary).toBe('broker-role 700000000000000002');
  });

  it('a member without Manage Server cannot change them, and nothing changes', async () => {
    const r = await h.cmd('/config office-channel channel:<#700000000000000009>', { user: STRANGER });
    expect(dataOf(r).content).toBe(`⚠️ ${translate('en-US', 'error.adminOnly')}`);
    expect((await h.app.services.directory.guild(GUILD).getConfig()).officeChannel).toBe('700000000000000001');
  });
});

describe('contacts', () => {
  it('a curator sets an owner with the owner option on add, in the same transaction as the entry', async () => {
    const r = await h.cmd(`/need add title:"测试需求" org:"某公司" description:"需要一种低温焊接工艺" owner:<@${FIRM}>`);
    const id = /N-\d{4}/.exec(dataOf(r).content ?? '')?.[0];
    expect(id).toBeDefined();
    expect((await people().contacts('need', id!)).map((c) => [c.userId, c.confirmedBy])).toEqual([[FIRM, ADMIN]]);
  });

  it('a member claims; only a curator confirms; the claim shows as unconfirmed meanwhile', async () => {
    expect(dataOf(await h.cmd('/contact claim id:C-0002', { user: LAB })).content).toBe(translate('en-US', 'contact.claimed', { id: 'C-0002' }));
    expect(await people().isContact('capability', 'C-0002', LAB)).toBe(false);
    const denied = await h.cmd(`/contact confirm id:C-0002 user:<@${LAB}>`, { user: STRANGER });
    expect(dataOf(denied).content).toBe(`⚠️ ${translate('en-US', 'error.notCurator')}`);
    expect(await people().isContact('capability', 'C-0002', LAB)).toBe(false);
    const list = await h.cmd('/contact list');
    expect(textOf(list)).toContain(`C-0002 · <@${LAB}> — ${translate('en-US', 'contact.unconfirmed')}`);
    await h.cmd(`/contact confirm id:C-0002 user:<@${LAB}>`);
    expect(await people().isContact('capability', 'C-0002', LAB)).toBe(true);
  });

  it('contacts are hidden from other members (no contact details before consent), shown to the entry\'s own contact', async () => {
    const hidden = await h.cmd('/contact list id:C-0002', { user: STRANGER });
    expect(dataOf(hidden).content).toBe(`⚠️ ${translate('en-US', 'error.contactsHidden')}`);
    expect(textOf(hidden)).not.toContain(LAB);
    const own = await h.cmd('/contact list id:C-0002', { user: LAB });
    expect(textOf(own)).toContain(`<@${LAB}>`);
  });

  it('an entry card shows its contact details to curators and its contacts only', async () => {
    const entry = (await h.app.services.directory.guild(GUILD).list('need')).find((e) => e.contact)!;
    expect(textOf(await h.cmd(`/need show id:${entry.id}`, { user: STRANGER }))).not.toContain(entry.contact!);
    expect(textOf(await h.cmd(`/need show id:${entry.id}`))).toContain(entry.contact!);
    await h.cmd(`/contact add id:${entry.id} user:<@${STRANGER}>`);
    expect(textOf(await h.cmd(`/need show id:${entry.id}`, { user: STRANGER }))).toContain(entry.contact!);
    await h.cmd(`/contact remove id:${entry.id} user:<@${STRANGER}>`);
  });

  it('confirming someone who never claimed is refused; removing works for curators only', async () => {
    expect(dataOf(await h.cmd(`/contact confirm id:N-0001 user:<@${STRANGER}>`)).content).toContain('⚠️');
    expect(dataOf(await h.cmd(`/contact remove id:C-0002 user:<@${LAB}>`, { user: STRANGER })).content).toBe(`⚠️ ${translate('en-US', 'error.notCurator')}`);
    expect(await people().isContact('capability', 'C-0002', LAB)).toBe(true);
  });
});

describe('action card', () => {
  it('match pages of an entry carry one "Act on a suggestion…" select; choosing opens the pair card', async () => {
    const page = await h.cmd('/match need id:N-0002');
    expect(customIds(page)).toContain('match:act');
    const sel = (dataOf(page).components as { components: { custom_id: string; options?: { value: string }[] }[] }[])
      .flatMap((r) => r.components).find((c) => c.custom_id === 'match:act')!;
    expect(sel.options?.[0]?.value).toMatch(/^N-0002\|C-\d{4}$/);
    const card = await h.press('match:act', { user: STRANGER }, [sel.options![0]!.value]);
    expect(customIds(card)[0]).toBe(`intro:req:N-0002:${sel.options![0]!.value.split('|')[1]}`);
    expect(dataOf(card).flags).toBe(64);
  });

  it('text queries have no pair select; a forged pair value is refused', async () => {
    expect(customIds(await h.cmd('/match text query:燃料电池'))).not.toContain('match:act');
    expect(dataOf(await h.press('match:act', {}, ['nonsense'])).content).toContain('⚠️');
  });
});

describe('the edit form\'s owner box (curators)', () => {
  /** Opens /need edit's form; its custom id and the values it shows. */
  const form = async (id: string, who = {}) => {
    const r = await h.cmd(`/need edit id:${id}`, who);
    expect(r.body.type).toBe(9);
    const data = (r.body as { data: { custom_id: string; components: { components: { custom_id: string; value?: string }[] }[] } }).data;
    return { customId: data.custom_id, values: Object.fromEntries(data.components.flatMap((row) => row.components).map((c) => [c.custom_id, c.value ?? ''])) };
  };

  it('shows the owner, sets a new one (audited as a contact change) and keeps the keywords the form no longer holds', async () => {
    const dir = h.app.services.directory.guild(GUILD);
    const before = await dir.require('need', 'N-0003');
    const f = await form('N-0003');
    expect(Object.keys(f.values)).toEqual(['title', 'org', 'description', 'sectors', 'owner']);
    expect(f.values.owner).toBe('');
    const r = await h.modal(f.customId, { ...f.values, owner: `<@${LAB}>` });
    expect(textOf(r)).toContain(translate('en-US', 'contact.set', { user: `<@${LAB}>`, id: 'N-0003' }));
    expect(await people().owner('need', 'N-0003')).toBe(LAB);
    expect((await dir.auditLog(1))[0]).toMatchObject({ action: 'contact', id: 'N-0003', summary: `contact ${LAB}` });
    expect((await dir.require('need', 'N-0003')).keywords).toEqual(before.keywords);
    const again = await form('N-0003');
    expect(again.values.owner).toBe(`<@${LAB}>`);
    expect(again.customId).toBe(`need:edit:N-0003:${before.version}:${LAB}`);
    // A bare id works too, with a field change in the same save.
    const both = await h.modal(again.customId, { ...again.values, title: `${before.title}（更新）`, owner: FIRM });
    expect(textOf(both)).toContain(translate('en-US', 'contact.set', { user: `<@${FIRM}>`, id: 'N-0003' }));
    expect((await people().contacts('need', 'N-0003', { confirmedOnly: true })).map((c) => c.userId)).toEqual([LAB, FIRM]);
  });

  it('refuses an owner that is not a Discord user, and a form opened before someone else changed the owner; nothing changes', async () => {
    const dir = h.app.services.directory.guild(GUILD);
    const f = await form('N-0004');
    const before = await dir.require('need', 'N-0004');
    const bad = await h.modal(f.customId, { ...f.values, title: 'changed', owner: '@wang' });
    expect(textOf(bad)).toContain(translate('en-US', 'error.invalidOwner', { value: '@wang' }));
    expect(await dir.require('need', 'N-0004')).toEqual(before);
    await h.cmd(`/contact add id:N-0004 user:<@${FIRM}>`);
    const stale = await h.modal(f.customId, { ...f.values, title: 'changed', owner: `<@${LAB}>` });
    expect(textOf(stale)).toContain(translate('en-US', 'error.staleOwner', { id: 'N-0004', user: `<@${FIRM}>` }));
    expect(await dir.require('need', 'N-0004')).toEqual(before);
    expect(await people().contacts('need', 'N-0004', { confirmedOnly: true })).toHaveLength(1);
  });

  it('is for curators: a member cannot open the form or save it', async () => {
    const f = await form('N-0005');
    expect(textOf(await h.cmd('/need edit id:N-0005', { user: STRANGER }))).toContain('⚠️');
    expect(textOf(await h.modal(f.customId, { ...f.values, owner: `<@${STRANGER}>` }, { user: STRANGER }))).toContain('⚠️');
    expect(await people().owner('need', 'N-0005')).toBeUndefined();
  });
});

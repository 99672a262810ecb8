// Submissions, review and introductions through the dispatcher with the real store, each behaviour
// with its denial: who may approve, see a submission, answer or move an introduction, see contacts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/index.ts';
import { INTRO_LIMITS, People } from '../../src/intro/records.ts';
import { ADMIN, FIRM, GUILD, LAB, STRANGER, customIds, dataOf, harness, textOf, type Harness } from './harness.ts';
import { RecordingOutbox, idsOf, textOfPost } from './outbox.ts';

const OFFICE = '700000000000000001';
const BROKERS = '700000000000000002';
const en = (k: Parameters<typeof translate>[1], v?: Parameters<typeof translate>[2]) => translate('en-US', k, v);
const denied = (k: Parameters<typeof translate>[1], v?: Parameters<typeof translate>[2]) => `⚠️ ${en(k, v)}`;

let h: Harness;
let box: RecordingOutbox;
let now = new Date('2026-12-01T02:00:00Z');
const dir = () => h.app.services.directory.guild(GUILD);
const people = () => new People(dir());

beforeAll(async () => {
  h = await harness({ now: () => now });
  box = new RecordingOutbox();
  h.app.services.intros.setOutbox(box, { sweepMs: 0 });
  await h.cmd(`/config office-channel channel:<#${OFFICE}>`);
  await h.cmd(`/config broker-role role:<@&${BROKERS}>`);
});
afterAll(async () => h?.close());

let needId = '';

describe('submit and review', () => {
  it('a member submits; the draft is neither listed nor matched; only they see it in /submit mine', async () => {
    const r = await h.cmd('/submit need title:"镁合金压铸件气孔缺陷分析" org:"某压铸有限公司" description:"压铸件内部气孔导致气密性不合格，需要工艺优化" sectors:new-materials', { user: FIRM });
    expect(dataOf(r).content).toContain('S-0001');
    expect((await dir().list('need')).some((e) => e.title.startsWith('镁合金压铸件气孔'))).toBe(false);
    expect(textOf(await h.cmd('/search query:镁合金压铸件气孔'))).not.toContain('镁合金压铸件气孔缺陷分析');
    expect(textOf(await h.cmd('/submit mine', { user: FIRM }))).toContain('S-0001');
    expect(textOf(await h.cmd('/submit mine', { user: STRANGER }))).not.toContain('S-0001');
    expect(box.postsIn(OFFICE).at(-1)?.content).toContain('S-0001');
  });

  it('a member cannot open the review queue or press its buttons; nothing changes', async () => {
    expect(dataOf(await h.cmd('/review', { user: STRANGER })).content).toBe(denied('error.notCurator'));
    expect(dataOf(await h.cmd('/review id:S-0001', { user: STRANGER })).content).toBe(denied('error.notCurator'));
    expect(dataOf(await h.press('review:ok:1', { user: STRANGER })).content).toBe(denied('error.notCurator'));
    expect(dataOf(await h.press('review:ok:1', { user: FIRM })).content).toBe(denied('error.notCurator'));
    expect((await people().submission(1))?.status).toBe('pending');
  });

  it('a curator sees it, approves it: the entry is in the directory, the submitter its contact and told by DM', async () => {
    const queue = await h.cmd('/review');
    expect(textOf(queue)).toContain('S-0001');
    expect(customIds(queue)).toEqual(['review:ok:1', 'review:edit:1', 'review:no:1']);
    const r = await h.press('review:ok:1');
    const s = await people().submission(1);
    expect(s?.status).toBe('approved');
    needId = s!.entryId!;
    expect((await dir().get('need', needId))?.title).toBe('镁合金压铸件气孔缺陷分析');
    expect(await people().isContact('need', needId, FIRM)).toBe(true);
    expect(box.dmsTo(FIRM).at(-1)?.content).toContain(needId);
    expect(dataOf(r).content).toContain(en('told.dm'));
    // Approving twice: refused, and no second entry.
    expect(dataOf(await h.press('review:ok:1')).content).toContain('⚠️');
    expect((await dir().list('need')).filter((e) => e.title === '镁合金压铸件气孔缺陷分析')).toHaveLength(1);
  });

  it('a rejection with a reason reaches a submitter whose DMs are closed through the office channel', async () => {
    await h.cmd('/submit capability title:"测试能力" org:"某大学" description:"一项测试能力"', { user: STRANGER });
    box.closed.add(STRANGER);
    expect((await h.press('review:no:2')).body.type).toBe(9); // a modal asking for the reason
    const r = await h.modal('review:reason:2', { reason: '请补充设备清单' });
    expect(dataOf(r).content).toContain(en('told.office'));
    const ping = box.postsIn(OFFICE).at(-1)!;
    expect(ping.content).toContain(`<@${STRANGER}>`);
    expect(ping.allowed_mentions).toEqual({ parse: [], users: [STRANGER], roles: [] });
    expect(textOf(await h.cmd('/submit mine', { user: STRANGER }))).toContain('请补充设备清单');
    // The fall-back is in the audit (system actor), naming the person and the channel.
    const audit = (await dir().auditLog(5)).find((a) => a.action === 'notify');
    expect(audit?.summary).toContain(`submission S-0002 rejected: DM to ${STRANGER}`);
    expect(audit?.summary).toContain(OFFICE);
    box.closed.delete(STRANGER);
  });
});

describe('introductions', () => {
  const CAP = 'C-0003';

  it('only a contact of one side may request; the other side needs a contact', async () => {
    expect(dataOf(await h.press(`intro:req:${needId}:${CAP}`, { user: STRANGER })).content).toBe(denied('error.introNotContact', { need: needId, capability: CAP }));
    expect(dataOf(await h.press(`intro:req:${needId}:${CAP}`, { user: FIRM })).content).toBe(denied('error.introNoContact', { id: CAP }));
    await h.cmd(`/contact add id:${CAP} user:<@${LAB}>`);
    expect(await people().intros()).toEqual([]);
  });

  it('a request asks the other side by DM with Accept / Decline, and shows nobody\'s contact details', async () => {
    const r = await h.press(`intro:req:${needId}:${CAP}`, { user: FIRM });
    expect(dataOf(r).content).toContain('I-0001');
    const ask = box.dmsTo(LAB).at(-1)!;
    expect(idsOf(ask)).toEqual([`intro:yes:${GUILD}:1`, `intro:no:${GUILD}:1`]);
    const text = textOfPost(ask);
    expect(text).not.toContain(FIRM);
    const cap = await dir().get('capability', CAP);
    if (cap?.contact) expect(text).not.toContain(cap.contact);
    // The same pair again: refused while the first is open.
    expect(dataOf(await h.press(`intro:req:${needId}:${CAP}`, { user: FIRM })).content).toContain('I-0001');
  });

  it('nobody but the asked side answers: not the requester, not a stranger', async () => {
    expect(dataOf(await h.press(`intro:yes:${GUILD}:1`, { user: STRANGER, dm: true })).content).toBe(denied('error.introNotYours', { id: 'I-0001' }));
    expect(dataOf(await h.press(`intro:yes:${GUILD}:1`, { user: FIRM, dm: true })).content).toBe(denied('error.introNotYours', { id: 'I-0001' }));
    expect((await people().intro(1))?.stage).toBe('requested');
    expect(box.threads).toHaveLength(0);
  });

  it('accepting from the DM opens a private thread with exactly the two contacts and the broker role, and a brief with contact details', async () => {
    const r = await h.press(`intro:yes:${GUILD}:1`, { user: LAB, dm: true });
    expect(dataOf(r).content).toContain('I-0001');
    expect(box.threads).toHaveLength(1);
    const thread = box.threads[0]!;
    expect(thread.channel).toBe(OFFICE);
    expect(thread.members.sort()).toEqual([FIRM, LAB].sort());
    expect(await people().members(1)).toEqual(expect.arrayContaining([FIRM, LAB]));
    const brief = box.postsIn(thread.id)[0]!;
    expect(brief.content).toContain(`<@&${BROKERS}>`);
    expect(brief.allowed_mentions).toEqual({ parse: [], users: [FIRM, LAB], roles: [BROKERS] });
    expect(textOfPost(brief)).toContain(`<@${FIRM}>`);
    expect(textOfPost(brief)).toContain(`<@${LAB}>`);
    expect(idsOf(brief)).toEqual(['intro:stage:1:in-talks', 'intro:stage:1:agreement', 'intro:stage:1:closed']);
    expect((await people().intro(1))?.threadId).toBe(thread.id);
  });

  it('stage buttons: a stranger cannot press them; the contacts can; closing asks for a reason', async () => {
    expect(dataOf(await h.press('intro:stage:1:in-talks', { user: STRANGER })).content).toBe(denied('error.introNotYours', { id: 'I-0001' }));
    expect((await people().intro(1))?.stage).toBe('accepted');
    const talks = await h.press('intro:stage:1:in-talks', { user: LAB });
    expect(customIds(talks)).toEqual(['intro:stage:1:agreement', 'intro:stage:1:closed']);
    expect(customIds(await h.press('intro:stage:1:closed', { user: FIRM }))).toEqual(['intro:close:1']);
    expect((await people().intro(1))?.stage).toBe('in-talks');
    // An old button for a move no longer possible is refused.
    expect(dataOf(await h.press('intro:stage:1:in-talks', { user: LAB })).content).toContain('⚠️');
    await h.press('intro:stage:1:agreement', { user: FIRM });
    expect((await people().intro(1))?.history.map((x) => x.stage)).toEqual(['requested', 'accepted', 'in-talks', 'agreement']);
  });

  it('/intro list: mine for members, all for curators only', async () => {
    expect(textOf(await h.cmd('/intro list', { user: FIRM }))).toContain('I-0001');
    expect(textOf(await h.cmd('/intro list', { user: STRANGER }))).not.toContain('I-0001');
    expect(dataOf(await h.cmd('/intro list scope:all', { user: STRANGER })).content).toBe(denied('error.notCurator'));
    expect(textOf(await h.cmd('/intro list scope:all'))).toContain('I-0001');
  });

  it('decline with a reason; the requester is told; DMs closed → a ping in the office channel and an ephemeral prompt', async () => {
    await h.cmd(`/contact add id:C-0004 user:<@${STRANGER}>`);
    box.closed.add(STRANGER);
    const r = await h.press(`intro:req:${needId}:C-0004`, { user: FIRM });
    expect(dataOf(r).content).toContain(en('intro.askedOffice', { count: 1 }));
    const ping = box.postsIn(OFFICE).at(-1)!;
    expect(ping.allowed_mentions).toEqual({ parse: [], users: [STRANGER], roles: [] });
    expect(idsOf(ping)).toEqual(['intro:pending']);
    expect(dataOf(await h.press('intro:pending', { user: LAB })).content).toBe(en('intro.noPending'));
    const prompt = await h.press('intro:pending', { user: STRANGER });
    expect(dataOf(prompt).flags).toBe(64);
    expect(customIds(prompt)).toEqual([`intro:yes:${GUILD}:2`, `intro:no:${GUILD}:2`]);
    expect(customIds(await h.press(`intro:no:${GUILD}:2`, { user: STRANGER }))).toEqual([`intro:why:${GUILD}:2`]);
    const done = await h.press(`intro:why:${GUILD}:2`, { user: STRANGER }, ['no-capacity']);
    expect(dataOf(done).content).toContain(en('intro.declined', { id: 'I-0002' }));
    const intro = await people().intro(2);
    expect(intro?.stage).toBe('declined');
    expect(intro?.history.at(-1)?.reason).toBe('no-capacity');
    expect(box.dmsTo(FIRM).at(-1)?.content).toContain('I-0002');
    box.closed.delete(STRANGER);
  });

  it('rate limit: a member with too many open requests is refused, nothing is created', async () => {
    const caps = ['C-0005', 'C-0006', 'C-0007', 'C-0008', 'C-0009', 'C-0010'];
    for (const c of caps) await h.cmd(`/contact add id:${c} user:<@${LAB}>`);
    for (const c of caps.slice(0, INTRO_LIMITS.openPerMember)) expect(dataOf(await h.press(`intro:req:${needId}:${c}`, { user: FIRM })).content).toContain('✅');
    const before = (await people().intros()).length;
    expect(dataOf(await h.press(`intro:req:${needId}:C-0010`, { user: FIRM })).content).toBe(denied('error.introTooMany', { max: INTRO_LIMITS.openPerMember }));
    expect((await people().intros()).length).toBe(before);
  });

  it('reminders: a stage still after 14 days gets one reminder, in its thread or to the asked side', async () => {
    await h.press(`intro:yes:${GUILD}:3`, { user: LAB, dm: true }); // I-0003 accepted → thread
    const thread = box.threads.at(-1)!;
    const before = box.postsIn(thread.id).length;
    now = new Date(now.getTime() + 13 * 86_400_000);
    expect(await h.app.services.intros.sweep()).toBe(0);
    now = new Date(now.getTime() + 2 * 86_400_000);
    box.closed.add(LAB); // the asked side's DMs are closed: its reminder goes to the office channel
    const sent = await h.app.services.intros.sweep();
    box.closed.delete(LAB);
    expect(sent).toBeGreaterThanOrEqual(2);
    expect(box.postsIn(thread.id).length).toBe(before + 1);
    expect(box.postsIn(thread.id).at(-1)?.content).toContain('I-0003');
    expect(box.dmsTo(LAB).some((m) => m.content?.includes('I-0004'))).toBe(false);
    const ping = box.postsIn(OFFICE).find((m) => m.content?.includes('I-0004'))!;
    expect(ping.content).toContain(`<@${LAB}>`);
    expect(ping.allowed_mentions?.users).toEqual([LAB]);
    expect(idsOf(ping)).toEqual(['intro:pending']); // answers privately, not Accept / Decline in public
    expect(await h.app.services.intros.sweep()).toBe(0);
  });
});

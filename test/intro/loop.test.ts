// The whole collaboration loop through the real discord.js client against the fake Discord:
// submit → approve → match → request introduction → accept (from a DM) → private thread with exactly
// the two contacts and the broker role → stages → agreement → the report counts it. The fake checks
// every body the bot sends against Discord's OpenAPI schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApplicationCommandOptionType, ChannelType, ComponentType, InteractionResponseType,
  type APIActionRowComponent, type APIComponentInMessageActionRow, type APIStringSelectComponent,
} from 'discord-api-types/v10';
import { startGateway, type GatewayHandle } from '../../src/discord/gateway.ts';
import { translate } from '../../src/i18n/index.ts';
import { People } from '../../src/intro/records.ts';
import { computeFigures } from '../../src/report/compute.ts';
import { button, chatInput, stringSelect } from '../fake-discord/server.ts';
import { expectCleanRun, setup, type Env } from '../discord/helpers.ts';

const FIRM = { id: '1100000000000000402', username: 'firm-contact' };
const LAB = { id: '1100000000000000401', username: 'lab-contact' };
const STRANGER = { id: '1100000000000000403', username: 'stranger' };
const BROKERS = '1100000000000000501';
const ADMIN = { permissions: '32' }; // Manage Server

type Rows = APIActionRowComponent<APIComponentInMessageActionRow>[];
const componentsOf = (d: unknown): Rows => ((d as { components?: Rows } | undefined)?.components ?? []);
const idsOf = (d: unknown) => componentsOf(d).flatMap((r) => r.components).map((c) => ('custom_id' in c ? c.custom_id : ''));

let env: Env;
let gateway: GatewayHandle;

beforeAll(async () => {
  env = await setup({
    fake: {
      users: [FIRM, LAB, STRANGER],
      guilds: [{ roles: [{ id: BROKERS, name: 'Brokers', mentionable: true }] }],
    },
  });
  gateway = await startGateway(env.app, env.config, env.log);
  await env.app.services.matcher.forGuild(env.app.services.directory.guild(env.fake.guildId));
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await env?.cleanup();
});

/** The bot's answer; when a loaded machine made it defer, the message it delivered afterwards. */
async function answer(init: Parameters<Env['fake']['dispatchInteraction']>[0]): Promise<{ type: number; data?: Record<string, unknown> & { content?: string } }> {
  const h = await env.fake.dispatchInteraction(init);
  const r = await h.response();
  if (r.type !== InteractionResponseType.DeferredChannelMessageWithSource && r.type !== InteractionResponseType.DeferredMessageUpdate) return r as never;
  const late = await Promise.race([h.original().then((m) => (h.edits.at(-1) ?? m)), h.followup(0)]);
  return { type: r.type === InteractionResponseType.DeferredMessageUpdate ? InteractionResponseType.UpdateMessage : InteractionResponseType.ChannelMessageWithSource, data: late as never };
}

describe('the collaboration loop, end to end', () => {
  it('submit → approve → match → request → accept → thread → stages → agreement → report', async () => {
    const { fake } = env;
    const guild = fake.guildId;
    // The office: where threads open, and who brokers them.
    await answer(chatInput('config', { subcommand: 'office-channel', options: { channel: { type: ApplicationCommandOptionType.Channel, value: fake.channelId } }, ...ADMIN }));
    await answer(chatInput('config', { subcommand: 'broker-role', options: { role: { type: ApplicationCommandOptionType.Role, value: BROKERS } }, ...ADMIN }));

    // 1. A member submits a need; it waits in the queue, not in the directory.
    const submitted = await answer(chatInput('submit', {
      subcommand: 'need', user: FIRM,
      options: { title: '开关柜局部放电在线监测', org: '某输配电设备有限公司', description: '40.5kV 开关柜夜间有吱吱放电声，需要局部放电在线监测与绝缘故障诊断方案', sectors: 'power-grid' },
    }));
    expect(submitted.data?.content).toContain('S-0001');

    // 2. A non-curator cannot approve it; a curator can, and the submitter is told by DM.
    const refused = await answer(button('review:ok:1', { user: STRANGER, permissions: '0' }));
    expect(refused.data?.content).toBe(`⚠️ ${translate('en-US', 'error.notCurator')}`);
    const queue = await answer(chatInput('review', ADMIN));
    expect(idsOf(queue.data)).toEqual(['review:ok:1', 'review:edit:1', 'review:no:1']);
    const approved = await answer(button('review:ok:1', ADMIN));
    expect(approved.type).toBe(InteractionResponseType.UpdateMessage);
    const people = new People(env.app.services.directory.guild(guild));
    const needId = (await people.submission(1))!.entryId!;
    expect(fake.dmsTo(FIRM.id).at(-1)?.content).toContain(needId);

    // 3. The lab's contact is set by a curator; the firm matches its need and opens the action card.
    await answer(chatInput('contact', { subcommand: 'add', options: { id: 'C-0002', user: { type: ApplicationCommandOptionType.User, value: LAB.id } }, ...ADMIN }));
    const page = await answer(chatInput('match', { subcommand: 'need', options: { id: needId }, user: FIRM, permissions: '0' }));
    const act = componentsOf(page.data).flatMap((r) => r.components).find((c): c is APIStringSelectComponent => c.type === ComponentType.StringSelect && c.custom_id === 'match:act')!;
    const pair = act.options.find((o) => o.value.endsWith('|C-0002'))!.value;
    const card = await answer(stringSelect('match:act', [pair], { user: FIRM, permissions: '0' }));
    expect(idsOf(card.data)[0]).toBe(`intro:req:${needId}:C-0002`);

    // 4. Request: the lab's contact gets a DM with Accept / Decline and no contact details.
    const requested = await answer(button(`intro:req:${needId}:C-0002`, { user: FIRM, permissions: '0' }));
    expect(requested.data?.content).toContain('I-0001');
    const ask = fake.dmsTo(LAB.id).at(-1)!;
    expect(idsOf(ask)).toEqual([`intro:yes:${guild}:1`, `intro:no:${guild}:1`]);
    expect(JSON.stringify(ask)).not.toContain(FIRM.id);

    // 5. A stranger cannot accept for the lab; the lab's contact accepts from the DM.
    const notYours = await answer(button(`intro:yes:${guild}:1`, { user: STRANGER, guildId: null }));
    expect(notYours.data?.content).toContain('⚠️');
    expect(fake.threads).toHaveLength(0);
    const accepted = await answer(button(`intro:yes:${guild}:1`, { user: LAB, guildId: null }));
    expect(accepted.type).toBe(InteractionResponseType.UpdateMessage);

    // 6. A private thread in the office channel with exactly the bot and the two contacts; brokers mentioned.
    expect(fake.threads).toHaveLength(1);
    const thread = fake.threads[0]!;
    expect(thread.channel.type).toBe(ChannelType.PrivateThread);
    expect(thread.channel.parent_id).toBe(fake.channelId);
    expect(thread.channel.thread_metadata?.invitable).toBe(false);
    expect(fake.threadMembers(thread.channel.id).sort()).toEqual([fake.bot.id, FIRM.id, LAB.id].sort());
    expect([...thread.mentionedRoles]).toEqual([BROKERS]);
    const brief = fake.messagesIn(thread.channel.id)[0]!;
    expect(JSON.stringify(brief.embeds)).toContain(`<@${FIRM.id}>`);
    expect(idsOf(brief)).toEqual(['intro:stage:1:in-talks', 'intro:stage:1:agreement', 'intro:stage:1:closed']);

    // 7. Stages: a stranger's press is refused; the contacts move it to agreement.
    const strangerPress = await answer(button('intro:stage:1:in-talks', { user: STRANGER, permissions: '0', channelId: thread.channel.id }));
    expect(strangerPress.data?.content).toContain('⚠️');
    const talks = await answer(button('intro:stage:1:in-talks', { user: LAB, permissions: '0', channelId: thread.channel.id }));
    expect(idsOf(talks.data)).toEqual(['intro:stage:1:agreement', 'intro:stage:1:closed']);
    await answer(button('intro:stage:1:agreement', { user: FIRM, permissions: '0', channelId: thread.channel.id }));

    // 8. The report counts the agreement.
    const dir = env.app.services.directory.guild(guild);
    const entries = [...(await dir.list('need', { status: 'all' })).map((e) => ({ ...e, type: 'need' as const })), ...(await dir.list('capability', { status: 'all' })).map((e) => ({ ...e, type: 'capability' as const }))];
    const today = new Date().toISOString().slice(0, 10);
    const figures = computeFigures({
      period: { from: today, to: today },
      entries: entries.map((e) => ({ id: e.id, type: e.type, sectors: e.sectors ?? [], status: e.status, createdAt: e.createdAt })),
      introductions: await people.reportIntroductions(),
      carriers: [],
      targets: [],
    });
    expect(figures.introductions).toMatchObject({ requested: 1, accepted: 1, 'in-talks': 1, agreement: 1 });

    expectCleanRun(env);
  }, 120_000);

  it('DMs closed (Discord 50007): the ask becomes a ping in the office channel, answered privately', async () => {
    const { fake } = env;
    const guild = fake.guildId;
    const people = new People(env.app.services.directory.guild(guild));
    await answer(chatInput('contact', { subcommand: 'add', options: { id: 'C-0037', user: { type: ApplicationCommandOptionType.User, value: STRANGER.id } }, ...ADMIN }));
    fake.closeDms(STRANGER.id);
    const needId = (await people.submission(1))!.entryId!;
    const requested = await answer(button(`intro:req:${needId}:C-0037`, { user: FIRM, permissions: '0' }));
    expect(requested.data?.content).toContain(translate('en-US', 'intro.askedOffice', { count: 1 }));
    expect(fake.dmsTo(STRANGER.id)).toEqual([]);
    const ping = fake.messagesIn(fake.channelId).at(-1)!;
    expect(ping.content).toContain(`<@${STRANGER.id}>`);
    expect(ping.allowed_mentions).toEqual({ parse: [], users: [STRANGER.id], roles: [] });
    expect(idsOf(ping)).toEqual(['intro:pending']);
    const prompt = await answer(button('intro:pending', { user: STRANGER, permissions: '0' }));
    expect(idsOf(prompt.data)).toEqual([`intro:yes:${guild}:2`, `intro:no:${guild}:2`]);
    const why = await answer(button(`intro:no:${guild}:2`, { user: STRANGER, permissions: '0' }));
    expect(idsOf(why.data)).toEqual([`intro:why:${guild}:2`]);
    await answer(stringSelect(`intro:why:${guild}:2`, ['location'], { user: STRANGER, permissions: '0' }));
    expect((await people.intro(2))?.stage).toBe('declined');
    expect(fake.dmsTo(FIRM.id).at(-1)?.content).toContain('I-0002');
    expectCleanRun(env);
  }, 120_000);
});

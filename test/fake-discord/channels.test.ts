// DMs, private threads, messages with components and file uploads, through the real discord.js client.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  Routes,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import type { Interaction, TextChannel } from 'discord.js';
import { MessageFlags } from 'discord.js';
import { button, chatInput, FakeDiscord } from './server.ts';
import type { FakeDiscordOptions } from './server.ts';
import { checkResponse } from './schema.ts';

const LAB = { id: '1100000000000000401', username: 'lab-contact' };
const FIRM = { id: '1100000000000000402', username: 'firm-contact' };
const BROKER_ROLE = '1100000000000000501';

async function connect(fake: FakeDiscord) {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(fake.token);
  await ready;
  return client;
}

/** A fake plus a logged-in client, torn down after the block. */
function setup(options: FakeDiscordOptions = {}) {
  const env = {} as { fake: FakeDiscord; client: Client; channel: TextChannel };
  beforeAll(async () => {
    env.fake = await FakeDiscord.start({ users: [LAB, FIRM], guilds: [{ roles: [{ id: BROKER_ROLE, name: 'Broker' }] }], ...options });
    env.client = await connect(env.fake);
    env.channel = env.client.channels.cache.get(env.fake.channelId) as TextChannel;
  });
  afterEach(() => env.fake.clearLogs());
  afterAll(async () => {
    await env.client?.destroy();
    await env.fake?.close();
  });
  return env;
}

/** What discord.js threw, as Discord's status, code and (for 50035) the nested errors. */
const apiError = (e: unknown) =>
  e instanceof DiscordAPIError
    ? { status: e.status, code: e.code, errors: (e.rawError as { errors?: unknown }).errors }
    : e;

describe('DMs', () => {
  const env = setup();

  it('opens one DM channel per user and records what was sent to whom', async () => {
    const sent = await env.client.users.send(LAB.id, { content: '有企业希望与您对接' });
    await env.client.users.send(LAB.id, { content: 'second' });
    expect(sent.channel.type).toBe(ChannelType.DM);
    expect(env.fake.dmsTo(LAB.id).map((m) => m.content)).toEqual(['有企业希望与您对接', 'second']);
    expect(env.fake.dmChannel(LAB.id)?.id).toBe(sent.channelId);
    expect(env.fake.dmsTo(FIRM.id)).toEqual([]);
    expect(env.fake.requests.filter((r) => r.path === '/users/@me/channels')).toHaveLength(1); // discord.js caches the channel
    expect(env.fake.schemaErrors).toEqual([]);
  });

  it('refuses a DM to a user whose DMs are closed with 50007, and records nothing', async () => {
    env.fake.closeDms(FIRM.id);
    const error = await env.client.users.send(FIRM.id, { content: 'hello' }).catch(apiError);
    expect(error).toMatchObject({ status: 403, code: 50007 });
    expect(env.fake.dmsTo(FIRM.id)).toEqual([]);
    env.fake.closeDms(FIRM.id, false);
    await env.client.users.send(FIRM.id, { content: 'open again' });
    expect(env.fake.dmsTo(FIRM.id).map((m) => m.content)).toEqual(['open again']);
  });

  it('refuses a DM to an unknown user with 10013', async () => {
    const error = await env.client.users.createDM('1100000000000000999').catch(apiError);
    expect(error).toMatchObject({ status: 404, code: 10013 });
  });

  it('rejects a DM body that violates the schema with the 50035 shape', async () => {
    const dm = await env.client.users.createDM(LAB.id);
    const body = { embeds: [{ title: 'x'.repeat(257) }] };
    const error = await env.client.rest.post(Routes.channelMessages(dm.id), { body }).catch(apiError);
    expect(error).toMatchObject({ status: 400, code: 50035, errors: { embeds: { 0: { title: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } });
    expect(env.fake.dmsTo(LAB.id)).toEqual([]);
    expect(env.fake.schemaErrors[0]?.path).toBe(`/channels/${dm.id}/messages`);
    const long = await dm.send({ content: 'x'.repeat(2001) }).catch(apiError);
    expect(long).toMatchObject({ status: 400, code: 50035, errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } });
  });
});

describe('private threads', () => {
  const env = setup();

  it('creates a private thread with exactly the members added, and posts into it', async () => {
    const thread = await env.channel.threads.create({
      name: '对接：燃料电池 × 某实验室', type: ChannelType.PrivateThread, invitable: false, autoArchiveDuration: ThreadAutoArchiveDuration.OneWeek,
    });
    await thread.members.add(LAB.id);
    await thread.members.add(FIRM.id);
    await thread.members.add(FIRM.id); // idempotent, as on Discord
    await thread.send({ content: `<@&${BROKER_ROLE}> 新的对接`, allowedMentions: { roles: [BROKER_ROLE] } });

    expect(thread.type).toBe(ChannelType.PrivateThread);
    expect(thread.parentId).toBe(env.fake.channelId);
    const [recorded] = env.fake.threads;
    expect(recorded?.channel).toMatchObject({ id: thread.id, type: 12, name: '对接：燃料电池 × 某实验室', thread_metadata: { invitable: false, auto_archive_duration: 10080 } });
    expect(env.fake.threadMembers(thread.id)).toEqual([env.fake.applicationId, LAB.id, FIRM.id]);
    expect([...(recorded?.mentionedRoles ?? [])]).toEqual([BROKER_ROLE]);
    expect(env.fake.messagesIn(thread.id).map((m) => m.content)).toEqual([`<@&${BROKER_ROLE}> 新的对接`]);
    expect(env.client.channels.cache.get(thread.id)?.isThread()).toBe(true);
    expect(env.fake.schemaErrors).toEqual([]);
  });

  it('refuses to add a member to a channel that is not a thread (50024)', async () => {
    const error = await env.client.rest.put(Routes.threadMembers(env.fake.channelId, LAB.id)).catch(apiError);
    expect(error).toMatchObject({ status: 400, code: 50024 });
  });

  it('does not record a role mention the request did not allow', async () => {
    const thread = await env.channel.threads.create({ name: 'quiet', type: ChannelType.PrivateThread });
    await thread.send({ content: `<@&${BROKER_ROLE}>`, allowedMentions: { parse: [] } });
    expect(env.fake.threads.find((t) => t.channel.id === thread.id)?.mentionedRoles.size).toBe(0);
  });

  it('rejects a thread name over 100 characters with the 50035 shape', async () => {
    const error = await env.channel.threads.create({ name: 'x'.repeat(101), type: ChannelType.PrivateThread }).catch(apiError);
    expect(error).toMatchObject({ status: 400, code: 50035, errors: { name: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } });
  });

  it('keeps GET thread-members behind the GUILD_MEMBERS intent (50001 without it)', async () => {
    const thread = await env.channel.threads.create({ name: 'members', type: ChannelType.PrivateThread });
    const error = await thread.members.fetch().catch(apiError);
    expect(error).toMatchObject({ status: 403, code: 50001 });
  });
});

describe('buttons pressed inside a DM or a thread', () => {
  const env = setup();

  it('reach discord.js with the DM or the thread as their channel', async () => {
    const seen: unknown[] = [];
    env.client.on(Events.InteractionCreate, (i) => {
      if (!i.isButton()) return;
      seen.push({ id: i.customId, channel: i.channelId, type: i.channel?.type, guild: i.inGuild(), user: i.user.id });
      void i.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
    });
    const dm = await env.client.users.createDM(LAB.id);
    const thread = await env.channel.threads.create({ name: 'stages', type: ChannelType.PrivateThread });
    await (await env.fake.dispatchInteraction(button('intro:accept:I-0001', { guildId: null, channelId: dm.id, user: LAB }))).response();
    await (await env.fake.dispatchInteraction(button('intro:stage:I-0001:in-talks', { channelId: thread.id, user: FIRM }))).response();
    expect(seen).toEqual([
      { id: 'intro:accept:I-0001', channel: dm.id, type: ChannelType.DM, guild: false, user: LAB.id },
      { id: 'intro:stage:I-0001:in-talks', channel: thread.id, type: ChannelType.PrivateThread, guild: true, user: FIRM.id },
    ]);
  });
});

describe('private threads with the GUILD_MEMBERS intent', () => {
  const env = setup({ guildMembersIntent: true });

  it('lists the thread members', async () => {
    const thread = await env.channel.threads.create({ name: 'listed', type: ChannelType.PrivateThread });
    await thread.members.add(LAB.id);
    const members = await thread.members.fetch();
    expect([...members.keys()].sort()).toEqual([env.fake.applicationId, LAB.id].sort());
  });
});

describe('a bot without Create Private Threads', () => {
  const env = setup({ guilds: [{ botPermissions: '0' }] });

  it('is refused with 50013 and no thread exists', async () => {
    const error = await env.channel.threads.create({ name: 'nope', type: ChannelType.PrivateThread }).catch(apiError);
    expect(error).toMatchObject({ status: 403, code: 50013 });
    expect(env.fake.threads).toEqual([]);
  });
});

describe('channel messages with components and files', () => {
  const env = setup({ uploadLimitBytes: 4096 });

  it('records buttons on a channel message', async () => {
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('intro:accept:7').setLabel('接受').setStyle(ButtonStyle.Success),
      new ButtonBuilder().setCustomId('intro:decline:7').setLabel('婉拒').setStyle(ButtonStyle.Secondary),
    );
    const msg = await env.channel.send({ content: '对接请求', components: [row] });
    expect(msg.components).toHaveLength(1);
    const [posted] = env.fake.messagesIn(env.fake.channelId);
    expect(posted?.components).toMatchObject([{ type: 1, components: [{ custom_id: 'intro:accept:7' }, { custom_id: 'intro:decline:7' }] }]);
  });

  it('rejects a button label over 80 characters with the 50035 shape', async () => {
    const body = { components: [{ type: 1, components: [{ type: 2, style: 1, custom_id: 'x', label: 'y'.repeat(81) }] }] };
    const error = await env.client.rest.post(Routes.channelMessages(env.fake.channelId), { body }).catch(apiError);
    expect(error).toMatchObject({ status: 400, code: 50035 });
    expect(JSON.stringify((error as { errors: unknown }).errors)).toContain('"label":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH"');
    expect(env.fake.channelMessages).toEqual([]);
  });

  it('uploads a file with a channel message and serves it back', async () => {
    const csv = '\uFEFFsector,needs\n新能源,3\n';
    const msg = await env.channel.send({ content: 'report', files: [new AttachmentBuilder(Buffer.from(csv), { name: 'report.csv' })] });
    const att = msg.attachments.first();
    expect(att?.name).toBe('report.csv');
    expect(Buffer.from(await (await fetch(att?.url ?? '')).arrayBuffer()).toString('utf8')).toBe(csv);
    expect(env.fake.requests.find((r) => r.method === 'POST')?.files[0]?.name).toBe('report.csv');
  });

  it('refuses an upload over the limit with 413 / 40005', async () => {
    const big = new AttachmentBuilder(Buffer.alloc(5000), { name: 'chart.png' });
    const error = await env.channel.send({ files: [big] }).catch(apiError);
    expect(error).toMatchObject({ status: 413, code: 40005 });
    expect(env.fake.channelMessages).toEqual([]);
  });

  it('takes files on interaction follow-ups, and refuses them over the limit', async () => {
    const results: unknown[] = [];
    const handler = async (i: Interaction) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      await i.editReply({ content: 'report ready' });
      results.push(await i.followUp({ files: [new AttachmentBuilder(Buffer.from('a,b\n1,2\n'), { name: 'figures.csv' })] }).then((m) => m.attachments.first()?.name));
      results.push(await i.followUp({ files: [new AttachmentBuilder(Buffer.alloc(5000), { name: 'big.png' })] }).catch(apiError));
    };
    env.client.on(Events.InteractionCreate, (i) => void handler(i));
    const h = await env.fake.dispatchInteraction(chatInput('report'));
    await expect.poll(() => results.length, { timeout: 10_000 }).toBe(2);
    expect(results[0]).toBe('figures.csv');
    expect(results[1]).toMatchObject({ status: 413, code: 40005 });
    expect((await h.followup(0)).attachments[0]?.filename).toBe('figures.csv');
    expect(h.followups).toHaveLength(1);
  });
});

describe('guild roles, members and channels over REST (what the HTTP transport reads for /config office-channel)', () => {
  const env = setup({ guilds: [{ roles: [{ id: BROKER_ROLE, name: 'Broker' }], channelOverwrites: [{ id: '1100000000000000100', type: 0, allow: '0', deny: '34359738368' }] }] });

  it('serves them as Discord documents them (OpenAPI response schemas)', async () => {
    const roles = (await env.client.rest.get(Routes.guildRoles(env.fake.guildId))) as unknown[];
    expect(roles.length).toBe(3);
    for (const r of roles) expect(checkResponse('role', r)).toEqual([]);
    const member = await env.client.rest.get(Routes.guildMember(env.fake.guildId, env.fake.bot.id));
    expect(checkResponse('member', member)).toEqual([]);
    const channel = (await env.client.rest.get(Routes.channel(env.fake.channelId))) as { permission_overwrites: unknown[] };
    expect(checkResponse('channel', channel)).toEqual([]);
    expect(channel.permission_overwrites).toHaveLength(1);
  });

  it('answers an unknown guild or member as Discord does', async () => {
    await expect(env.client.rest.get(Routes.guildRoles('1100000000000009999'))).rejects.toSatisfy((e) => (apiError(e) as { code?: number }).code === 10004);
    await expect(env.client.rest.get(Routes.guildMember(env.fake.guildId, LAB.id))).rejects.toSatisfy((e) => (apiError(e) as { code?: number }).code === 10007);
  });
});

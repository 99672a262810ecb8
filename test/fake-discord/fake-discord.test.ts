import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  AttachmentBuilder,
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  ModalBuilder,
  Routes,
  SlashCommandBuilder,
  TextInputBuilder,
  TextInputStyle,
  LabelBuilder,
  Locale,
} from 'discord.js';
import type { Interaction } from 'discord.js';
import { autocomplete, button, chatInput, FakeDiscord, modalSubmit, stringSelect } from './server.ts';
import { validateCallbackBody, validateCommandsPut, validateWebhookEdit } from './schema.ts';

type Handler = (interaction: Interaction) => Promise<unknown>;

/** A logged-in discord.js client whose interaction handler each test swaps in. */
async function connect(fake: FakeDiscord, token = fake.token) {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
  const state: { handler: Handler; errors: unknown[] } = { handler: async () => undefined, errors: [] };
  client.on(Events.InteractionCreate, (i) => void state.handler(i).catch((e: unknown) => state.errors.push(e)));
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(token);
  await ready;
  return { client, state };
}

const apiError = (e: unknown) => (e instanceof DiscordAPIError ? { status: e.status, code: e.code } : e);
const REVIEWER_ROLE = '1100000000000000500';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('fake Discord with a real discord.js client', () => {
  let fake: FakeDiscord;
  let client: Client;
  let state: { handler: Handler; errors: unknown[] };

  beforeAll(async () => {
    fake = await FakeDiscord.start({ guilds: [{ roles: [{ id: REVIEWER_ROLE, name: 'Reviewer' }] }] });
    ({ client, state } = await connect(fake));
  });
  afterEach(() => {
    state.handler = async () => undefined;
    state.errors.length = 0;
    fake.clearLogs();
  });
  afterAll(async () => {
    await client?.destroy();
    await fake?.close();
  });

  it('logs in, reaches ready and caches the configured guild', () => {
    expect(client.user?.id).toBe(fake.applicationId);
    expect(client.application?.id).toBe(fake.applicationId);
    const guild = client.guilds.cache.get(fake.guildId);
    expect(guild?.name).toBe('Liaison Test Server');
    expect(guild?.channels.cache.get(fake.channelId)?.type).toBe(ChannelType.GuildText);
    expect(guild?.members.me?.id).toBe(fake.applicationId);
    expect(fake.gatewayReceived.some((p) => p.op === 2)).toBe(true);
  });

  it('delivers a chat-input interaction and records the reply', async () => {
    state.handler = async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: `pong ${i.options.getString('text')} ${i.locale}` });
    };
    const h = await fake.dispatchInteraction(chatInput('ping', { options: { text: 'hi' }, locale: Locale.ChineseCN }));
    const res = await h.response();
    expect(res).toMatchObject({ type: 4, data: { content: 'pong hi zh-CN' } });
    expect(h.originalMessage?.content).toBe('pong hi zh-CN');
    expect(fake.schemaErrors).toEqual([]);
    expect(state.errors).toEqual([]);
  });

  it('passes subcommands, groups, permissions and attachment options through to discord.js', async () => {
    const file = fake.addAttachment('需求.csv', 'title,sector\nbattery,energy\n');
    let seen: unknown;
    state.handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      const att = i.options.getAttachment('file', true);
      const text = await (await fetch(att.url)).text();
      seen = {
        group: i.options.getSubcommandGroup(),
        sub: i.options.getSubcommand(),
        n: i.options.getInteger('n'),
        manage: i.memberPermissions?.has('ManageGuild'),
        reviewer: i.inCachedGuild() && i.member.roles.cache.has(REVIEWER_ROLE),
        text,
        contentType: att.contentType,
      };
      await i.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
    };
    const h = await fake.dispatchInteraction(chatInput('directory', {
      group: 'admin', subcommand: 'import', options: { file, n: 3 }, permissions: '32', roles: [REVIEWER_ROLE],
    }));
    expect((await h.response()).data).toMatchObject({ content: 'ok', flags: 64 });
    expect(seen).toEqual({ group: 'admin', sub: 'import', n: 3, manage: true, reviewer: true, text: 'title,sector\nbattery,energy\n', contentType: 'text/csv; charset=utf-8' });
    expect(state.errors).toEqual([]);
  });

  it('treats a deferred reply followed by editReply (with a file) as the original-message edit', async () => {
    state.handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      await sleep(30);
      await i.editReply({ content: 'done', files: [new AttachmentBuilder(Buffer.from('report body'), { name: 'report.txt' })] });
      await i.followUp({ content: 'and one more thing' });
    };
    const h = await fake.dispatchInteraction(chatInput('report'));
    expect((await h.response()).type).toBe(5);
    const original = await h.original();
    expect(original.content).toBe('done');
    expect(original.attachments[0]?.filename).toBe('report.txt');
    expect(await (await fetch(original.attachments[0]?.url ?? '')).text()).toBe('report body');
    expect(h.edits).toHaveLength(1);
    expect((await h.followup(0)).content).toBe('and one more thing');
    const edit = fake.requests.find((r) => r.method === 'PATCH');
    expect(edit?.files[0]?.data.toString()).toBe('report body');
    expect(fake.schemaErrors).toEqual([]);
  });

  it('refuses a second callback with 40060', async () => {
    let second: unknown;
    state.handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply({ content: 'first' });
      second = await i.client.rest
        .post(Routes.interactionCallback(i.id, i.token), { body: { type: 4, data: { content: 'again' } }, auth: false })
        .catch(apiError);
    };
    const h = await fake.dispatchInteraction(chatInput('twice'));
    await h.response();
    await expect.poll(() => second).toEqual({ status: 400, code: 40060 });
    expect(h.refused[0]?.status).toBe(400);
  });

  it('retries a 429 from rateLimitNext and then succeeds', async () => {
    fake.rateLimitNext('POST /interactions/', 0.2);
    state.handler = async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: 'after rate limit' });
    };
    const h = await fake.dispatchInteraction(chatInput('busy'));
    expect((await h.response()).data).toMatchObject({ content: 'after rate limit' });
    const calls = fake.requests.filter((r) => r.path.startsWith('/interactions/'));
    expect(calls.map((r) => r.status)).toEqual([429, 204]);
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(150);
    expect(state.errors).toEqual([]);
  });

  it('rejects and records a callback body that breaks the schema', async () => {
    let error: unknown;
    state.handler = async (i) => {
      error = await i.client.rest
        .post(Routes.interactionCallback(i.id, i.token), { body: { type: 4, data: { content: 'x'.repeat(2001) } }, auth: false })
        .catch(apiError);
    };
    const h = await fake.dispatchInteraction(chatInput('long'));
    await expect.poll(() => error).toEqual({ status: 400, code: 50035 });
    expect(fake.schemaErrors).toHaveLength(1);
    expect(fake.schemaErrors[0]?.errors[0]).toContain('data.content');
    await expect(h.response(50)).rejects.toThrow(/50035/);
  });

  it('refuses webhook routes before the interaction is acknowledged', async () => {
    let error: unknown;
    state.handler = async (i) => {
      error = await i.client.rest
        .patch(Routes.webhookMessage(i.applicationId, i.token), { body: { content: 'too early' }, auth: false })
        .catch(apiError);
    };
    await fake.dispatchInteraction(chatInput('early'));
    await expect.poll(() => error).toEqual({ status: 404, code: 10015 });
  });

  it('handles autocomplete, buttons and modal submits', async () => {
    state.handler = async (i) => {
      if (i.isAutocomplete()) await i.respond([{ name: `${i.options.getFocused()}-1`, value: 'a' }]);
      else if (i.isButton()) {
        await i.showModal(new ModalBuilder().setCustomId(`modal:${i.customId}`).setTitle('Describe the need')
          .addLabelComponents(new LabelBuilder().setLabel('Title').setTextInputComponent(new TextInputBuilder().setCustomId('title').setStyle(TextInputStyle.Short))));
      } else if (i.isModalSubmit()) await i.reply({ content: `got ${i.fields.getTextInputValue('title')}` });
    };
    const ac = await fake.dispatchInteraction(autocomplete('match', 'sector', { options: { sector: 'ener' } }));
    expect((await ac.response()).data).toEqual({ choices: [{ name: 'ener-1', value: 'a' }] });
    const b = await fake.dispatchInteraction(button('new-need'));
    expect(await b.response()).toMatchObject({ type: 9, data: { custom_id: 'modal:new-need' } });
    const m = await fake.dispatchInteraction(modalSubmit('modal:new-need', { title: 'Solid-state battery' }));
    expect((await m.response()).data).toMatchObject({ content: 'got Solid-state battery' });
    expect(fake.schemaErrors).toEqual([]);
    expect(state.errors).toEqual([]);
  });

  it('supports withResponse, fetchReply, follow-ups, update, deferUpdate and DM interactions', async () => {
    const seen: unknown[] = [];
    state.handler = async (i) => {
      if (i.isChatInputCommand() && !i.inGuild()) await i.reply({ content: `dm from ${i.user.id}` });
      else if (i.isChatInputCommand()) {
        const res = await i.reply({ content: 'first', withResponse: true });
        seen.push(res.resource?.message?.content, (await i.fetchReply()).content);
        const fu = await i.followUp({ content: 'secret', flags: MessageFlags.Ephemeral });
        seen.push(fu.flags.has(MessageFlags.Ephemeral));
      } else if (i.isButton()) await i.update({ content: `pressed ${i.customId}`, components: [] });
      else if (i.isStringSelectMenu()) {
        await i.deferUpdate();
        await i.editReply({ content: `picked ${i.values.join(',')}` });
      }
    };
    const cmd = await fake.dispatchInteraction(chatInput('multi'));
    expect((await cmd.followup(0)).flags).toBe(MessageFlags.Ephemeral);
    await expect.poll(() => seen).toEqual(['first', 'first', true]);
    const dm = await fake.dispatchInteraction(chatInput('hello', { guildId: null }));
    expect((await dm.response()).data).toMatchObject({ content: 'dm from 1100000000000000300' });
    const press = await fake.dispatchInteraction(button('approve:7'));
    expect(await press.original()).toMatchObject({ content: 'pressed approve:7', components: [] });
    const pick = await fake.dispatchInteraction(stringSelect('sector', ['energy', 'bio']));
    expect((await pick.response()).type).toBe(6);
    expect((await pick.original()).content).toBe('picked energy,bio');
    expect(fake.schemaErrors).toEqual([]);
    expect(state.errors).toEqual([]);
  });

  it('accepts command registration from discord.js and uses the ids in interactions', async () => {
    const cmd = new SlashCommandBuilder().setName('match').setDescription('Match needs with labs')
      .setNameLocalizations({ 'zh-CN': '匹配' }).setDefaultMemberPermissions(32)
      .addStringOption((o) => o.setName('sector').setDescription('Sector').setAutocomplete(true));
    const registered = await client.application!.commands.set([cmd], fake.guildId);
    expect(fake.schemaErrors).toEqual([]);
    expect(fake.guildCommands.get(fake.guildId)?.[0]?.default_member_permissions).toBe('32');
    let commandId: string | undefined;
    state.handler = async (i) => {
      if (i.isChatInputCommand()) {
        commandId = i.commandId;
        await i.reply({ content: 'ok' });
      }
    };
    await (await fake.dispatchInteraction(chatInput('match'))).response();
    expect(commandId).toBe(registered.first()?.id);
  });

  it('answers unknown routes with 404 and bot routes without auth with 401', async () => {
    const unknown = await fetch(`${fake.apiBase}/v10/nope`, { headers: { Authorization: `Bot ${fake.token}` } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: '404: Not Found', code: 0 });
    expect((await fetch(`${fake.apiBase}/v10/users/@me`)).status).toBe(401);
  });

  it('lets the client RESUME after the gateway drops', async () => {
    const resumed = new Promise<void>((resolve) => client.once(Events.ShardResume, () => resolve()));
    fake.disconnectGateway(4000);
    await resumed;
    state.handler = async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: 'still here' });
    };
    expect((await (await fake.dispatchInteraction(chatInput('ping'))).response()).data).toMatchObject({ content: 'still here' });
    expect(fake.gatewayReceived.some((p) => p.op === 6)).toBe(true);
  });
});

describe('interaction deadline', () => {
  it('refuses a reply after the deadline with 10062', async () => {
    const fake = await FakeDiscord.start({ interactionDeadlineMs: 300 });
    const { client, state } = await connect(fake);
    try {
      let error: unknown;
      state.handler = async (i) => {
        if (!i.isChatInputCommand()) return;
        await sleep(400);
        error = await i.reply({ content: 'too late' }).catch(apiError);
      };
      const h = await fake.dispatchInteraction(chatInput('slow'));
      await expect(h.response()).rejects.toThrow(/No interaction response/);
      await expect.poll(() => error).toEqual({ status: 404, code: 10062 });
    } finally {
      await client.destroy();
      await fake.close();
    }
  });
});

describe('authentication', () => {
  it('fails login with a bad token', async () => {
    const fake = await FakeDiscord.start();
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
    try {
      await expect(client.login('not-the-token')).rejects.toThrow(/invalid token/i);
    } finally {
      await client.destroy();
      await fake.close();
    }
  });

  it('closes the gateway with 4004 on IDENTIFY with a bad token', async () => {
    const fake = await FakeDiscord.start();
    try {
      const ws = new WebSocket(`${fake.gatewayUrl}/?v=10&encoding=json`);
      ws.on('message', (raw) => {
        if (JSON.parse(String(raw)).op === 10) ws.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: {} } }));
      });
      const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
      expect(code).toBe(4004);
    } finally {
      await fake.close();
    }
  });
});

describe('schema helpers', () => {
  it('accepts valid bodies and reports invalid ones', () => {
    expect(validateCallbackBody({ type: 4, data: { content: 'hi' } })).toEqual([]);
    expect(validateCallbackBody({ type: 4, data: { content: 'x'.repeat(2001) } })).toHaveLength(1);
    expect(validateCallbackBody({ type: 2 })[0]).toMatch(/^type:/);
    expect(validateWebhookEdit({ content: 'edited', embeds: [{ title: 't' }] })).toEqual([]);
    expect(validateWebhookEdit({ embeds: [{ title: 5 }] })[0]).toMatch(/^embeds\.0\.title/);
    expect(validateCommandsPut([{ name: 'ok', description: 'fine', default_member_permissions: '32' }])).toEqual([]);
    expect(validateCommandsPut([{ name: 'Bad Name', description: 'x' }])[0]).toMatch(/INVALID_NAME/);
  });
});

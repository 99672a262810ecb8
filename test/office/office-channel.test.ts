// /config office-channel checks, through each transport's own view of Discord (discord.js's cache under
// the gateway, REST under the HTTP endpoint), that the bot can open and post in private threads there,
// and warns (but saves) when the broker role would not see them. Two servers in the fake Discord: one
// where the bot has what it needs, one whose office channel denies @everyone thread rights.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationCommandOptionType, InteractionResponseType, PermissionFlagsBits, type APIInteraction } from 'discord-api-types/v10';
import { startGateway, type GatewayHandle } from '../../src/discord/gateway.ts';
import { startHttp, type HttpHandle } from '../../src/discord/http.ts';
import { translate } from '../../src/i18n/index.ts';
import { buildInteraction, chatInput, type InteractionInit } from '../fake-discord/server.ts';
import { DEFAULT_CHANNEL_ID, DEFAULT_GUILD_ID } from '../fake-discord/fixtures.ts';
import { setup, type Env } from '../discord/helpers.ts';
import { signer } from '../discord/signing.ts';

const BROKERS = '1100000000000000501'; // no Manage Threads
const MODERATORS = '1100000000000000502'; // Manage Threads
const HIDDEN = '1100000000000000503'; // Manage Threads, but the office channel denies it View Channel
const LOCKED_GUILD = '1100000000000000600';
const LOCKED_CHANNEL = '1100000000000000601';
const ADMIN = { permissions: '32' }; // Manage Server
const en = (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate('en-US', k, v);

const fakeGuilds = {
  guilds: [
    {
      roles: [
        { id: BROKERS, name: 'Brokers' },
        { id: MODERATORS, name: 'Moderators', permissions: String(PermissionFlagsBits.ManageThreads) },
        { id: HIDDEN, name: 'Hidden', permissions: String(PermissionFlagsBits.ManageThreads) },
      ],
      channelOverwrites: [{ id: HIDDEN, type: 0 as const, allow: '0', deny: String(PermissionFlagsBits.ViewChannel) }],
    },
    {
      id: LOCKED_GUILD, channelId: LOCKED_CHANNEL,
      // @everyone denied thread rights in the channel: the bot's role has them server-wide, the overwrite wins.
      channelOverwrites: [{ id: LOCKED_GUILD, type: 0 as const, allow: '0', deny: String(PermissionFlagsBits.CreatePrivateThreads | PermissionFlagsBits.SendMessagesInThreads) }],
    },
  ],
};

const channelOpt = (id: string) => ({ channel: { type: ApplicationCommandOptionType.Channel, value: id } });
const roleOpt = (id: string) => ({ role: { type: ApplicationCommandOptionType.Role, value: id } });

/** The same checks for either transport; `ask` sends one interaction and returns the reply's text. */
function officeChecks(ask: (init: InteractionInit) => Promise<string>, env: () => Env) {
  it('saves a channel where the bot has View Channel, Send Messages, Create Private Threads and Send Messages in Threads', async () => {
    const text = await ask(chatInput('config', { subcommand: 'office-channel', options: channelOpt(DEFAULT_CHANNEL_ID), ...ADMIN }));
    expect(text).toBe(en('config.officeSet', { channel: `<#${DEFAULT_CHANNEL_ID}>` }));
    expect((await env().app.services.directory.guild(DEFAULT_GUILD_ID).getConfig()).officeChannel).toBe(DEFAULT_CHANNEL_ID);
  });

  it('warns, but saves, a broker role without Manage Threads there; a role with it gets no warning', async () => {
    const weak = await ask(chatInput('config', { subcommand: 'broker-role', options: roleOpt(BROKERS), ...ADMIN }));
    expect(weak).toBe(`${en('config.brokerSet', { role: `<@&${BROKERS}>` })}\n⚠️ ${en('config.brokerCannotSee', { role: `<@&${BROKERS}>`, channel: `<#${DEFAULT_CHANNEL_ID}>`, missing: 'Manage Threads' })}`);
    expect((await env().app.services.directory.guild(DEFAULT_GUILD_ID).getConfig()).brokerRole).toBe(BROKERS);
    const strong = await ask(chatInput('config', { subcommand: 'broker-role', options: roleOpt(MODERATORS), ...ADMIN }));
    expect(strong).toBe(en('config.brokerSet', { role: `<@&${MODERATORS}>` }));
    // A role overwrite on the channel wins over what @everyone may do there.
    const hidden = await ask(chatInput('config', { subcommand: 'broker-role', options: roleOpt(HIDDEN), ...ADMIN }));
    expect(hidden).toBe(`${en('config.brokerSet', { role: `<@&${HIDDEN}>` })}\n⚠️ ${en('config.brokerCannotSee', { role: `<@&${HIDDEN}>`, channel: `<#${DEFAULT_CHANNEL_ID}>`, missing: 'View Channel' })}`);
  });

  it('refuses a channel where the bot lacks thread rights, naming them, and keeps the setting as it was', async () => {
    const text = await ask(chatInput('config', { subcommand: 'office-channel', options: channelOpt(LOCKED_CHANNEL), guildId: LOCKED_GUILD, ...ADMIN }));
    expect(text).toBe(`⚠️ ${en('error.officeBotPerms', { channel: `<#${LOCKED_CHANNEL}>`, missing: 'Create Private Threads, Send Messages in Threads' })}`);
    expect((await env().app.services.directory.guild(LOCKED_GUILD).getConfig()).officeChannel).toBeUndefined();
  });

}

describe('office channel permissions under the gateway (discord.js cache)', () => {
  let env: Env;
  let gateway: GatewayHandle;
  beforeAll(async () => {
    env = await setup({ fake: fakeGuilds });
    gateway = await startGateway(env.app, env.config, env.log);
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await env?.cleanup();
  });
  officeChecks(async (init) => {
    const h = await env.fake.dispatchInteraction(init);
    const r = await h.response();
    const data = r.type === InteractionResponseType.DeferredChannelMessageWithSource ? await h.original() : r.data;
    return String((data as { content?: string } | undefined)?.content ?? '');
  }, () => env);
  it('asked the fake Discord nothing for it (the cache knows), and sent nothing the schemas refuse', () => {
    expect(env.fake.requests.filter((r) => r.path.startsWith('/guilds/'))).toEqual([]);
    expect(env.fake.schemaErrors).toEqual([]);
  });
});

describe('office channel permissions under the HTTP endpoint (REST)', () => {
  const keys = signer();
  let env: Env;
  let http: HttpHandle;
  beforeAll(async () => {
    env = await setup({ fake: fakeGuilds, env: { DISCORD_PUBLIC_KEY: keys.hex } });
    http = await startHttp(env.app, env.config, env.log, { port: 0 });
  }, 60_000);
  afterAll(async () => {
    await http?.stop();
    await env?.cleanup();
  });
  const post = async (init: InteractionInit): Promise<string> => {
    const guild = env.fake.guilds.find((g) => g.id === (init.guildId ?? DEFAULT_GUILD_ID));
    const interaction: APIInteraction = buildInteraction(init, { applicationId: env.fake.applicationId, bot: env.fake.bot, guild, findCommand: () => undefined });
    const body = JSON.stringify(interaction);
    const res = await fetch(`http://127.0.0.1:${http.port}/interactions`, { method: 'POST', headers: keys.headers(body), body });
    const reply = (await res.json()) as { data?: { content?: string } };
    return reply.data?.content ?? '';
  };
  officeChecks(post, () => env);
  // Under the gateway a channel picked in the command is always one discord.js has cached (Discord only
  // resolves the server's own channels); REST can be asked about any id.
  it('refuses a channel the bot does not know on this server', async () => {
    const text = await post(chatInput('config', { subcommand: 'office-channel', options: channelOpt(LOCKED_CHANNEL), ...ADMIN }));
    expect(text).toBe(`⚠️ ${en('error.officeUnknown', { channel: `<#${LOCKED_CHANNEL}>` })}`);
    expect((await env.app.services.directory.guild(DEFAULT_GUILD_ID).getConfig()).officeChannel).toBe(DEFAULT_CHANNEL_ID);
  });

  it('read the channel, the roles and the bot member over REST, with the bot token', () => {
    const paths = env.fake.requests.filter((r) => r.method === 'GET').map((r) => r.path);
    expect(paths).toContain(`/guilds/${DEFAULT_GUILD_ID}/roles`);
    expect(paths).toContain(`/guilds/${DEFAULT_GUILD_ID}/members/${env.fake.bot.id}`);
    expect(paths).toContain(`/channels/${LOCKED_CHANNEL}`);
    expect(env.fake.schemaErrors).toEqual([]);
  });
});

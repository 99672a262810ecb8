// The gateway transport end to end: a real discord.js Client logs in to the fake Discord, receives
// INTERACTION_CREATE, and answers through REST. Every body the bot sends is checked against
// Discord's schema by the fake.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ComponentType, InteractionResponseType, Locale, MessageFlags,
  type APIActionRowComponent, type APIApplicationCommandOptionChoice, type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow, type APIEmbed, type APIMessage,
} from 'discord-api-types/v10';
import { parseDatasetText } from '../../src/domain/dataset.ts';
import { startGateway, type GatewayHandle } from '../../src/discord/gateway.ts';
import { en } from '../../src/i18n/en.ts';
import { zhCN } from '../../src/i18n/zh-CN.ts';
import { DISCORD_LIMITS } from '../../src/interactions/limits.ts';
import { autocomplete, button, chatInput, modalSubmit, type CallbackRecord } from '../fake-discord/server.ts';
import { DEMO_TEXT, expectCleanRun, messageBodies, setup, slowable, type Env } from './helpers.ts';

/** Small enough to keep the suite quick, large enough that a normal command never hits it. */
const DEFER_AFTER_MS = 800;
const SLOW_MS = 1100;
const CURATOR = '32'; // Manage Server
const OTHER_USER = { id: '1100000000000000999', username: 'someone-else' };

const embedsOf = (d: Record<string, unknown> | undefined): APIEmbed[] => (d?.embeds as APIEmbed[] | undefined) ?? [];
const embedsOfMessage = (m: APIMessage): APIEmbed[] => m.embeds;
function buttonsOf(components: unknown): APIButtonComponentWithCustomId[] {
  return ((components as APIActionRowComponent<APIComponentInMessageActionRow>[] | undefined) ?? [])
    .flatMap((r) => r.components)
    .filter((c): c is APIButtonComponentWithCustomId => c.type === ComponentType.Button && 'custom_id' in c);
}
const nextButton = (components: unknown) => buttonsOf(components).find((b) => b.label === en['label.next']);

describe('gateway transport (discord.js against the fake Discord)', () => {
  let env: Env;
  let gateway: GatewayHandle;
  let hook: ReturnType<typeof slowable>;
  let stopped = false;

  beforeAll(async () => {
    env = await setup();
    hook = slowable(env.app);
    gateway = await startGateway(env.app, env.config, env.log, { deferAfterMs: DEFER_AFTER_MS, dispatch: (i) => hook.dispatch(i) });
    // The gateway builds the index in the background at start; wait for it so a loaded machine cannot turn a reply into a deferral.
    await env.app.services.matcher.forGuild(env.app.services.directory.guild(env.fake.guildId));
  });

  afterEach(() => {
    hook.delayMs = 0;
    expectCleanRun(env, () => {
      for (const { path, body } of messageBodies(env.fake)) expect({ path, allowed_mentions: body.allowed_mentions }).toEqual({ path, allowed_mentions: { parse: [] } });
    });
  });

  afterAll(async () => {
    if (gateway && !stopped) await gateway.stop();
    await env?.cleanup();
  });

  it('logs in with the Guilds intent only and sees the guild', () => {
    expect(gateway.client.user?.id).toBe(env.fake.applicationId);
    expect(gateway.client.guilds.cache.has(env.fake.guildId)).toBe(true);
    const identify = env.fake.gatewayReceived.find((p) => p.op === 2)?.d as { intents: number } | undefined;
    expect(identify?.intents).toBe(1); // GatewayIntentBits.Guilds
  });

  it('/help answers with the command list', async () => {
    const h = await env.fake.dispatchInteraction(chatInput('help'));
    const r = await h.response();
    expect(r.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    const [embed] = embedsOf(r.data);
    expect(embed?.title).toBe(en['help.title']);
    expect(embed?.fields?.map((f) => f.value).join('\n')).toContain('/search');
    expect(r.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(messageBodies(env.fake)).toHaveLength(1);
  });

  it('/search query:燃料电池 lists matching entries', async () => {
    const h = await env.fake.dispatchInteraction(chatInput('search', { options: { query: '燃料电池' } }));
    const r = await h.response();
    expect(r.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    const [embed] = embedsOf(r.data);
    expect(embed?.title).toContain('燃料电池');
    expect(embed?.description).toMatch(/\*\*[NC]-\d{4}\*\*/);
    const msg = await h.original();
    expect(msg.embeds[0]?.title).toBe(embed?.title);
  });

  it('/need show: autocomplete on id (≤ 25 choices, names ≤ 100), then the chosen entry', async () => {
    const all = await (await env.fake.dispatchInteraction(autocomplete('need', 'id', { subcommand: 'show' }))).response();
    expect(all.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    const allChoices = (all.data?.choices ?? []) as APIApplicationCommandOptionChoice<string>[];
    expect(allChoices.length).toBeLessThanOrEqual(DISCORD_LIMITS.autocompleteChoices);

    const typed = await (await env.fake.dispatchInteraction(autocomplete('need', 'id', { subcommand: 'show', options: { id: '故障定位' } }))).response();
    const list = (typed.data?.choices ?? []) as APIApplicationCommandOptionChoice<string>[];
    expect(list.length).toBeGreaterThan(0);
    expect(list.length).toBeLessThanOrEqual(DISCORD_LIMITS.autocompleteChoices);
    for (const c of [...list, ...allChoices]) {
      expect(c.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.choiceName);
      expect(String(c.value).length).toBeLessThanOrEqual(DISCORD_LIMITS.choiceValue);
    }
    const id = list[0]!.value;

    const shown = await (await env.fake.dispatchInteraction(chatInput('need', { subcommand: 'show', options: { id } }))).response();
    expect(shown.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(embedsOf(shown.data)[0]?.title).toContain(id);
  });

  // N-0003 has more than one page of partners on the demo data (8).
  it('/match need id:N-0003 pages with ▶; another user pressing it gets an ephemeral note', async () => {
    const h = await env.fake.dispatchInteraction(chatInput('match', { subcommand: 'need', options: { id: 'N-0003' } }));
    const r = await h.response();
    expect(r.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(embedsOf(r.data)[0]?.footer?.text).toMatch(/^Page 1\/\d+/);
    const next = nextButton(r.data?.components);
    expect(next?.disabled).toBe(false);
    const msg = await h.original();

    const page2 = await (await env.fake.dispatchInteraction(button(next!.custom_id, { message: msg }))).response();
    expect(page2.type).toBe(InteractionResponseType.UpdateMessage);
    expect(embedsOf(page2.data)[0]?.footer?.text).toMatch(/^Page 2\/\d+/);
    expect(buttonsOf(page2.data?.components).find((b) => b.label === en['label.prev'])?.disabled).toBe(false);

    const other = await (await env.fake.dispatchInteraction(button(next!.custom_id, { message: msg, user: OTHER_USER }))).response();
    expect(other.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(other.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(other.data?.content).toBe(en['page.notYours']);
  });

  it('/need add with no options opens a modal; submitting it adds the entry', async () => {
    const h = await env.fake.dispatchInteraction(chatInput('need', { subcommand: 'add', permissions: CURATOR }));
    const r = await h.response();
    expect(r.type).toBe(InteractionResponseType.Modal);
    expect(r.data?.custom_id).toBe('need:add');

    const title = '氢燃料电池电堆低温冷启动';
    const submit = await env.fake.dispatchInteraction(modalSubmit('need:add', {
      title, org: '临港氢能示范企业', description: '需要在零下30度实现电堆冷启动，寻求膜电极与热管理方面的合作。',
      sectors: 'fuel-cells', keywords: '冷启动, 膜电极',
    }, { permissions: CURATOR }));
    const added = await submit.response();
    expect(added.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(added.data?.content).toContain(title);
    const stored = (await env.app.services.directory.guild(env.fake.guildId).list('need', { status: 'all' })).find((e) => e.title === title);
    expect(stored?.sectors).toEqual(['fuel-cells']);
    expect(stored?.keywords).toEqual(['冷启动', '膜电极']);
  });

  it('/import with an attachment from the CDN imports the entries', async () => {
    const demo = parseDatasetText(DEMO_TEXT);
    const extra = {
      version: 1,
      needs: [{ ...demo.needs[0]!, id: 'N-0901', title: 'Imported need over the gateway' }],
      capabilities: [{ ...demo.capabilities[0]!, id: 'C-0901', title: 'Imported capability over the gateway' }],
    };
    const file = env.fake.addAttachment('more.json', JSON.stringify(extra));
    const r = await (await env.fake.dispatchInteraction(chatInput('import', { options: { file }, permissions: CURATOR }))).response();
    expect(r.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(r.data?.content).toContain(String(en['import.done']).replace('{mode}', 'merge').replace('{added}', '2').split(',')[0]);
    const dir = env.app.services.directory.guild(env.fake.guildId);
    expect((await dir.get('need', 'N-0901'))?.title).toBe('Imported need over the gateway');
    expect((await dir.get('capability', 'C-0901'))?.title).toBe('Imported capability over the gateway');
    // The bot downloaded the file from the fake's CDN.
    expect(env.fake.requests.some((q) => q.method === 'GET' && q.path.endsWith('/more.json') && q.status === 200)).toBe(true);
  });

  it('/export answers with a JSON file', async () => {
    const h = await env.fake.dispatchInteraction(chatInput('export'));
    const r: CallbackRecord = await h.response();
    expect(r.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(r.files).toHaveLength(1);
    const dataset = JSON.parse(r.files[0]!.data.toString('utf8')) as { version: number; needs: { id: string }[]; capabilities: unknown[] };
    expect(dataset.version).toBe(1);
    const counts = await env.app.services.directory.guild(env.fake.guildId).counts();
    expect(dataset.needs).toHaveLength(counts.need.open);
    expect(dataset.capabilities).toHaveLength(counts.capability.open);
    const msg = await h.original();
    expect(msg.attachments[0]?.filename).toMatch(/^liaison-.*\.json$/);
  });

  it('/watch: a new matching lab is announced in the channel, pinging only the watcher', async () => {
    const watcher = { id: '100000000000000077', username: 'engineer', global_name: 'Engineer', discriminator: '0', avatar: null };
    const w = await (await env.fake.dispatchInteraction(chatInput('watch', { subcommand: 'need', options: { id: 'N-0009' }, user: watcher }))).response();
    expect(w.data?.content).toContain('N-0009');
    const add = await env.fake.dispatchInteraction(chatInput('capability', {
      subcommand: 'add', permissions: CURATOR,
      options: { title: 'Schizochytrium DHA oil extraction', org: 'Test Lab', description: 'Lipid extraction from microalgae biomass: enzymatic cell disruption, solvent-free oil recovery, DHA algal oil refining, 500 L pilot.' },
    }));
    await add.response();
    await expect.poll(() => env.fake.channelMessages.length, { timeout: 8000 }).toBe(1);
    const msg = env.fake.channelMessages[0]! as unknown as { channel_id: string; content: string; allowed_mentions: unknown };
    expect(msg.channel_id).toBe(env.fake.channelId);
    expect(msg.content).toContain(`<@${watcher.id}>`);
    expect(msg.allowed_mentions).toEqual({ parse: [], users: [watcher.id] });
  });

  it('denies a member without Manage Server or a curator role, and changes nothing', async () => {
    const dir = env.app.services.directory.guild(env.fake.guildId);
    const before = await dir.counts();
    const audit = (await dir.auditLog(100)).length;

    const r = await (await env.fake.dispatchInteraction(chatInput('need', { subcommand: 'remove', options: { id: 'N-0002' }, permissions: '0' }))).response();
    expect(r.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(r.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(r.data?.content).toContain(en['error.notCurator']);

    const file = env.fake.addAttachment('evil.json', JSON.stringify({ version: 1, needs: [], capabilities: [] }));
    const imp = await (await env.fake.dispatchInteraction(chatInput('import', { options: { file, mode: 'replace' }, permissions: '0' }))).response();
    expect(imp.data?.content).toContain(en['error.notCurator']);

    expect(await dir.get('need', 'N-0002')).toBeDefined();
    expect(await dir.counts()).toEqual(before);
    expect((await dir.auditLog(100)).length).toBe(audit);
  });

  it('answers a zh-CN user in Chinese', async () => {
    const r = await (await env.fake.dispatchInteraction(chatInput('help', { locale: Locale.ChineseCN }))).response();
    const [embed] = embedsOf(r.data);
    expect(embed?.title).toBe(zhCN['help.title']);
    expect(embed?.description).toBe(zhCN['help.intro']);
    expect(embed?.fields?.[0]?.name).toBe(zhCN['help.commands']);

    const denied = await (await env.fake.dispatchInteraction(chatInput('need', { subcommand: 'remove', options: { id: 'N-0002' }, permissions: '0', locale: Locale.ChineseCN }))).response();
    expect(denied.data?.content).toContain(zhCN['error.notCurator']);
  });

  it('a slow command is deferred, then its original response is edited', async () => {
    hook.delayMs = SLOW_MS;
    const h = await env.fake.dispatchInteraction(chatInput('search', { options: { query: 'machine vision' } }));
    const r = await h.response();
    expect(r.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(r.at - h.dispatchedAt).toBeGreaterThanOrEqual(DEFER_AFTER_MS - 50);
    expect(r.at - h.dispatchedAt).toBeLessThan(DISCORD_LIMITS.replyDeadlineMs);
    const msg = await h.original();
    expect(embedsOfMessage(msg)[0]?.title).toContain('machine vision');
    expect(h.edits).toHaveLength(1);
    expect(env.fake.requests.some((q) => q.method === 'PATCH' && q.path.endsWith('/messages/@original') && q.status === 200)).toBe(true);
  });

  it('a slow page turn is a deferred update, then an edit of the message', async () => {
    const h = await env.fake.dispatchInteraction(chatInput('match', { subcommand: 'need', options: { id: 'N-0003' } }));
    const msg = await h.original();
    const next = nextButton(msg.components);
    hook.delayMs = SLOW_MS;
    const press = await env.fake.dispatchInteraction(button(next!.custom_id, { message: msg }));
    expect((await press.response()).type).toBe(InteractionResponseType.DeferredMessageUpdate);
    const edited = await press.original();
    expect(edited.id).toBe(msg.id);
    expect(embedsOfMessage(edited)[0]?.footer?.text).toMatch(/^Page 2\//);
  });

  it('a slow button that answers with a new message gets it as a follow-up', async () => {
    hook.delayMs = SLOW_MS;
    const press = await env.fake.dispatchInteraction(button('need:match:N-0001'));
    expect((await press.response()).type).toBe(InteractionResponseType.DeferredMessageUpdate);
    const followup = await press.followup(0);
    expect(embedsOfMessage(followup)[0]?.title).toContain('N-0001');
    expect(press.edits).toHaveLength(0);
  });

  it('keeps serving after the gateway connection drops (RESUME)', async () => {
    env.fake.disconnectGateway(4000);
    const r = await (await env.fake.dispatchInteraction(chatInput('help'))).response();
    expect(r.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(env.fake.gatewayReceived.some((p) => p.op === 6)).toBe(true); // RESUME
  });

  it('stop() waits for interactions in flight before destroying the client', async () => {
    hook.delayMs = SLOW_MS;
    const h = await env.fake.dispatchInteraction(chatInput('search', { options: { query: '电池' } }));
    expect((await h.response()).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(gateway.inFlight()).toBe(1);
    await gateway.stop();
    stopped = true;
    expect(h.edits).toHaveLength(1);
    expect(gateway.inFlight()).toBe(0);
  });
});

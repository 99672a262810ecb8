// The dispatcher with the real app wiring (commands, store on a temp SQLite file, matcher).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ComponentType, InteractionResponseType, InteractionType, MessageFlags,
  type APIChatInputApplicationCommandInteraction, type APIInteraction, type APIInteractionResponse,
  type APIMessageComponentInteraction, type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { parseCommandLine } from '../../src/discord/console-parse.ts';
import { UserError } from '../../src/domain/errors.ts';
import { translate, type Locale, type MessageKey, type Vars } from '../../src/i18n/index.ts';
import { createAttachmentFetcher } from '../../src/interactions/attachments.ts';
import type { CommandModule } from '../../src/interactions/command.ts';
import { Dispatcher } from '../../src/interactions/dispatcher.ts';
import { PERMISSIONS } from '../../src/interactions/limits.ts';
import { message, type Reply } from '../../src/interactions/reply.ts';
import { createLogger } from '../../src/log.ts';
import { actor, smallDataset, sqliteUrl, tempDir } from '../support.ts';

const GUILD = '900000000000000001';
const OTHER_GUILD = '900000000000000002';
const ADMIN = '100000000000000001';
const MEMBER = '100000000000000002';
const CURATOR_ROLE = '800000000000000001';

let tmp: ReturnType<typeof tempDir>;
let app: App;
let logLines: string[];
let defs: RESTPostAPIChatInputApplicationCommandsJSONBody[];
let seq = 0;

interface Who { user?: string; locale?: Locale; permissions?: string; roles?: string[]; guild?: string | null }

/** A chat-input interaction as Discord sends it, from a console-style line. */
function command(line: string, who: Who = {}): APIChatInputApplicationCommandInteraction {
  const i = parseCommandLine(line, defs, { id: who.user ?? ADMIN, name: 'someone', locale: who.locale ?? 'en-US', guildId: who.guild ?? GUILD }, ++seq);
  if (who.permissions !== undefined || who.roles) i.member = { ...i.member!, permissions: who.permissions ?? i.member!.permissions, roles: who.roles ?? [] };
  if (who.guild === null) {
    const { guild_id: _g, member, ...dm } = i;
    return { ...dm, user: member!.user } as unknown as APIChatInputApplicationCommandInteraction;
  }
  return i;
}

const seen: APIInteractionResponse[] = [];
async function send(i: APIInteraction, dispatcher: Dispatcher = app.dispatcher): Promise<Reply> {
  const reply = await dispatcher.dispatch(i);
  seen.push(reply.body);
  return reply;
}

function dataOf(reply: Reply) {
  const b = reply.body;
  if (b.type !== InteractionResponseType.ChannelMessageWithSource && b.type !== InteractionResponseType.UpdateMessage) throw new Error(`not a message: type ${b.type}`);
  return b.data!;
}

function expectEphemeral(reply: Reply, locale: Locale, key: MessageKey, vars?: Vars) {
  const d = dataOf(reply);
  expect(reply.body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
  expect(d.flags).toBe(MessageFlags.Ephemeral);
  expect(d.content?.startsWith(`⚠️ ${translate(locale, key, vars)}`), d.content).toBe(true);
}

const snapshot = async (guild = GUILD) => {
  const dir = app.services.directory.guild(guild);
  return { data: await dir.exportDataset({ includeClosed: true }), audit: await dir.auditLog(100), config: await dir.getConfig() };
};

beforeAll(async () => {
  tmp = tempDir();
  logLines = [];
  const config = parseConfig({ STORE_URL: sqliteUrl(tmp.dir), LOG_LEVEL: 'error' });
  app = await createApp(config, createLogger('error', (l) => logLines.push(l)), createAttachmentFetcher([], { allowFiles: true }));
  defs = app.dispatcher.commands.map((c) => c.data.toJSON());
  await app.services.directory.guild(GUILD).importDataset(smallDataset(), 'merge', actor('seed', 'seed'));
});
afterAll(async () => {
  await app?.close();
  tmp.cleanup();
});

describe('user errors', () => {
  it('become an ephemeral message with the translated text', async () => {
    expectEphemeral(await send(command('/need show id:N-9999')), 'en-US', 'error.needNotFound', { id: 'N-9999' });
    expectEphemeral(await send(command('/capability close id:C-0404')), 'en-US', 'error.capabilityNotFound', { id: 'C-0404' });
    expectEphemeral(await send(command('/search query:!!!')), 'en-US', 'error.queryNoTerms', { query: '!!!' });
  });

  it('zh-CN gets the Chinese text', async () => {
    const r = await send(command('/need show id:N-9999', { locale: 'zh-CN' }));
    expectEphemeral(r, 'zh-CN', 'error.needNotFound', { id: 'N-9999' });
    expect(dataOf(r).content).toMatch(/\p{Script=Han}/u);
  });

  it('carry validation details naming the field', async () => {
    const keywords = Array.from({ length: 31 }, (_, i) => `k${i}`).join(', ');
    const r = await send(command(`/need add title:t org:o description:d keywords:${keywords}`));
    expectEphemeral(r, 'en-US', 'error.invalidEntry');
    expect(dataOf(r).content).toContain('\n• Keywords: has more than 30 items');
    expect(dataOf(r).content).not.toContain('`');
    expect((await app.services.directory.guild(GUILD).list('need')).map((e) => e.title)).not.toContain('t');
  });

  it('/import of a broken file names the entry and field, and imports nothing; a good file imports', async () => {
    const broken = smallDataset() as unknown as { needs: Record<string, unknown>[] };
    broken.needs[2]!.sectors = ['fuel-cell'];
    broken.needs.push({ id: 'N-0099', org: 'o', title: 'new', description: 'd' });
    const brokenFile = join(tmp.dir, 'broken-import.json');
    writeFileSync(brokenFile, JSON.stringify(broken));
    const before = await snapshot();
    const r = await send(command(`/import file:${brokenFile} mode:replace`));
    expectEphemeral(r, 'en-US', 'error.importInvalid', { count: 1, doc: 'docs/interchange-format.md' });
    expect(dataOf(r).content).not.toContain('```');
    expect(dataOf(r).content).toContain('needs[2] (N-0003).sectors[0]: unknown sector "fuel-cell" — did you mean "fuel-cells"?');
    expect(await snapshot()).toEqual(before);

    const goodFile = join(tmp.dir, 'good-import.json');
    writeFileSync(goodFile, JSON.stringify({ version: 1, needs: [{ id: 'N-0099', org: 'o', title: 'imported', description: 'd' }], capabilities: [] }));
    const ok = await send(command(`/import file:${goodFile}`, { locale: 'zh-CN' }));
    expect(dataOf(ok).content).toBe(`✅ ${translate('zh-CN', 'import.done', { mode: translate('zh-CN', 'import.mode.merge'), added: 1, updated: 0, unchanged: 0, removed: 0 })}`);
    expect((await app.services.directory.guild(GUILD).get('need', 'N-0099'))?.title).toBe('imported');
    await app.services.directory.guild(GUILD).remove('need', 'N-0099', actor());
  });

  it('/import refuses a file with more entries than one import takes, and imports nothing', async () => {
    const file = join(tmp.dir, 'many-import.json');
    writeFileSync(file, JSON.stringify(smallDataset()));
    const count = smallDataset().needs.length + smallDataset().capabilities.length;
    const before = await snapshot();
    const max = app.services.config.IMPORT_MAX_ENTRIES;
    app.services.config.IMPORT_MAX_ENTRIES = count - 1;
    try {
      expectEphemeral(await send(command(`/import file:${file}`)), 'en-US', 'error.importTooMany', { count, max: count - 1 });
    } finally {
      app.services.config.IMPORT_MAX_ENTRIES = max;
    }
    expect(await snapshot()).toEqual(before);
  });

  it('outside a server, and for unknown commands', async () => {
    expectEphemeral(await send(command('/help', { guild: null })), 'en-US', 'error.guildOnly');
    const unknown = { ...command('/help'), data: { ...command('/help').data, name: 'nonexistent' } };
    expectEphemeral(await send(unknown), 'en-US', 'error.unknownCommand', { name: 'nonexistent' });
  });
});

describe('unexpected errors', () => {
  const boom: CommandModule = {
    data: { name: 'boom', toJSON: () => ({ name: 'boom', description: 'fails' }) },
    execute: async () => { throw new Error('kaboom: secret detail'); },
  };

  it('are logged with a ref and answered generically with that ref', async () => {
    const dispatcher = new Dispatcher([...app.dispatcher.commands, boom], app.services);
    const i = { ...command('/help'), data: { ...command('/help').data, name: 'boom' } };
    logLines.length = 0;
    for (const locale of ['en-US', 'zh-CN'] as const) {
      const r = await send({ ...i, locale } as APIInteraction, dispatcher);
      const content = dataOf(r).content ?? '';
      const ref = /([0-9a-f]{8})/.exec(content)?.[1];
      expect(ref, content).toBeDefined();
      expectEphemeral(r, locale, 'error.internal', { ref: ref! });
      expect(content).not.toContain('kaboom');
      const line = logLines.find((l) => l.includes(ref!));
      expect(line, logLines.join('\n')).toBeDefined();
      expect(line).toMatch(/ ERROR interaction failed /);
      const ctx = JSON.parse(line!.slice(line!.indexOf('{'))) as { ref: string; command: string; guild: string; user: string; err: { message: string; stack: string } };
      expect(ctx).toMatchObject({ ref, command: 'boom', guild: GUILD, user: ADMIN });
      expect(ctx.err.message).toBe('kaboom: secret detail');
      expect(ctx.err.stack).toContain('dispatcher.test.ts');
    }
    expect(logLines).toHaveLength(2);
  });

  it('a user error thrown by a command is not logged as a failure', async () => {
    const polite: CommandModule = { ...boom, execute: async () => { throw new UserError('error.roleMissing'); } };
    const dispatcher = new Dispatcher([polite], app.services);
    logLines.length = 0;
    expectEphemeral(await send({ ...command('/help'), data: { ...command('/help').data, name: 'boom' } }, dispatcher), 'en-US', 'error.roleMissing');
    expect(logLines).toEqual([]);
  });

  it('a store that went away is an internal error, not a crash', async () => {
    const other = tempDir();
    try {
      const lines: string[] = [];
      const broken = await createApp(parseConfig({ STORE_URL: sqliteUrl(other.dir) }), createLogger('error', (l) => lines.push(l)), createAttachmentFetcher([]));
      await broken.close();
      const r = await broken.dispatcher.dispatch(command('/need list'));
      const ref = /([0-9a-f]{8})/.exec(dataOf(r).content ?? '')?.[1];
      expectEphemeral(r, 'en-US', 'error.internal', { ref: ref! });
      expect(lines.some((l) => l.includes(ref!))).toBe(true);
    } finally {
      other.cleanup();
    }
  });
});

describe('permissions', () => {
  const member: Who = { user: MEMBER, permissions: '0', roles: [] };

  it('a member without Manage Server or a curator role changes nothing', async () => {
    const importFile = join(tmp.dir, 'import.json');
    writeFileSync(importFile, JSON.stringify({ version: 1, needs: [], capabilities: [] }));
    const before = await snapshot();
    const denied: [string, MessageKey][] = [
      ['/need add title:t org:o description:d', 'error.notCurator'],
      ['/need edit id:N-0001 title:hijacked', 'error.notCurator'],
      ['/need remove id:N-0001', 'error.notCurator'],
      ['/need close id:N-0001', 'error.notCurator'],
      ['/capability reopen id:C-0001', 'error.notCurator'],
      [`/import file:${importFile} mode:replace`, 'error.notCurator'],
      ['/audit', 'error.notCurator'],
      [`/config curator-role add role:${CURATOR_ROLE}`, 'error.adminOnly'],
    ];
    for (const [line, key] of denied) expectEphemeral(await send(command(line, member)), 'en-US', key);
    expect(await snapshot()).toEqual(before);
    // reading is open to everyone
    expect(dataOf(await send(command('/need show id:N-0001', member))).flags).toBeUndefined();
  });

  it('Manage Server alone is enough; a curator role is enough for the directory but not to appoint curators', async () => {
    const manager: Who = { user: MEMBER, permissions: String(PERMISSIONS.manageGuild), roles: [] };
    const curator: Who = { user: MEMBER, permissions: '0', roles: [CURATOR_ROLE] };
    expectEphemeral(await send(command('/need close id:N-0003', curator)), 'en-US', 'error.notCurator');
    const added = await send(command(`/config curator-role add role:${CURATOR_ROLE}`, manager));
    expect(dataOf(added).content).toBe(translate('en-US', 'config.added', { role: `<@&${CURATOR_ROLE}>` }));
    const closed = await send(command('/need close id:N-0003', curator));
    expect(dataOf(closed).content).toContain(translate('en-US', 'entry.closed', { id: 'N-0003', title: smallDataset().needs[2]!.title }));
    expect((await app.services.directory.guild(GUILD).get('need', 'N-0003'))?.status).toBe('closed');
    const before = await snapshot();
    expectEphemeral(await send(command('/config curator-role remove role:999', curator)), 'en-US', 'error.adminOnly');
    expect(await snapshot()).toEqual(before);
    // the role counts in this guild only
    expectEphemeral(await send(command('/need add title:t org:o description:d', { ...curator, guild: OTHER_GUILD })), 'en-US', 'error.notCurator');
    expect((await snapshot(OTHER_GUILD)).data.needs).toEqual([]);
  });

  it('only the person who asked can turn the pages of a list', async () => {
    const dir = app.services.directory.guild(GUILD);
    for (let i = 0; i < 12; i++) await dir.add('capability', { org: 'Org', title: `Lab ${i}`, description: 'd' }, actor());
    const list = await send(command('/capability list'));
    const rows = (dataOf(list).components ?? []) as { components: { type: number; custom_id?: string; disabled?: boolean }[] }[];
    const next = rows[0]?.components.find((c) => c.type === ComponentType.Button && c.custom_id && !c.disabled);
    expect(next?.custom_id).toMatch(/^capability:page:/);
    const press = (user: string): APIMessageComponentInteraction => ({
      ...command('/help', { user }), type: InteractionType.MessageComponent,
      message: { id: '1', channel_id: '0', content: '', embeds: [], components: dataOf(list).components },
      data: { custom_id: next!.custom_id, component_type: ComponentType.Button },
    } as unknown as APIMessageComponentInteraction);
    const mine = await send(press(ADMIN));
    expect(mine.body.type).toBe(InteractionResponseType.UpdateMessage);
    expect(dataOf(mine).embeds?.[0]?.footer?.text).toContain(translate('en-US', 'label.page', { page: 2, pages: 2, count: 14 }).split(' · ')[0]!);
    const theirs = await send(press(MEMBER));
    expect(dataOf(theirs)).toMatchObject({ content: translate('en-US', 'page.notYours'), flags: MessageFlags.Ephemeral });
  });
});

describe('every message', () => {
  it('goes out with allowed_mentions {parse: []}', async () => {
    await send(command('/sectors'));
    await send(command('/stats', { locale: 'zh-CN' }));
    await send(command('/help'));
    await send(command('/search query:燃料电池'));
    await send(command('/match need id:N-0001'));
    await send(command('/export'));
    await send(command('/need add title:@everyone look org:<@&1> description:ping @here'));
    const messages = seen.filter((b) => b.type === InteractionResponseType.ChannelMessageWithSource || b.type === InteractionResponseType.UpdateMessage);
    expect(messages.length).toBeGreaterThan(20);
    for (const b of messages) expect((b as { data: { allowed_mentions?: unknown } }).data.allowed_mentions).toEqual({ parse: [] });
    expect(message({ content: 'x' }).body).toMatchObject({ data: { allowed_mentions: { parse: [] } } });
  });

  it('answers a ping with a pong', async () => {
    expect((await app.dispatcher.dispatch({ type: InteractionType.Ping } as APIInteraction)).body).toEqual({ type: InteractionResponseType.Pong });
  });
});

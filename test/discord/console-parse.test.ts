// The console's line parser and renderer, in process (the end-to-end run is console.test.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ApplicationCommandOptionType as T, InteractionResponseType, InteractionType, type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleInputError, parseCommandLine, splitOptions, type ConsoleUser } from '../../src/discord/console-parse.ts';
import { renderResponse } from '../../src/discord/console-render.ts';
import { loadCommands } from '../../src/interactions/loader.ts';
import { PERMISSIONS } from '../../src/interactions/limits.ts';
import { button, message, modal, row } from '../../src/interactions/reply.ts';
import { tempDir } from '../support.ts';

const user: ConsoleUser = { id: '100000000000000001', name: 'me', locale: 'en-US', guildId: 'local' };
let defs: RESTPostAPIChatInputApplicationCommandsJSONBody[];
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  defs = (await loadCommands()).map((c) => c.data.toJSON());
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

const parse = (line: string) => parseCommandLine(line, defs, user, 1);
const parseError = (line: string) => {
  try { parse(line); } catch (err) { expect(err).toBeInstanceOf(ConsoleInputError); return (err as Error).message; }
  throw new Error(`expected "${line}" to be rejected`);
};

describe('splitOptions', () => {
  it('splits unquoted values at the next option name and honours quotes of several kinds', () => {
    expect(splitOptions('title:配电网 故障 定位 org:Acme Ltd', ['title', 'org'])).toEqual([['title', '配电网 故障 定位'], ['org', 'Acme Ltd']]);
    expect(splitOptions('title:"has org: inside" org:x', ['title', 'org'])).toEqual([['title', 'has org: inside'], ['org', 'x']]);
    expect(splitOptions('title:「引号」 org:“弯引号”', ['title', 'org'])).toEqual([['title', '引号'], ['org', '弯引号']]);
    expect(splitOptions('', ['a'])).toEqual([]);
  });
  it('rejects unknown options, loose words and unclosed quotes', () => {
    expect(() => splitOptions('colour:red', ['title'])).toThrow('unknown option "colour" (options: title)');
    expect(() => splitOptions('hello', ['title'])).toThrow('unexpected "hello": write options as name:value');
    expect(() => splitOptions('title:"open', ['title'])).toThrow('option title: the quote is not closed');
  });
});

describe('parseCommandLine', () => {
  it('builds the chat-input interaction Discord would send, with subcommands and typed options', () => {
    const i = parse('/match need id:N-0001 top:5 sector:fuel-cells');
    expect(i.type).toBe(InteractionType.ApplicationCommand);
    expect(i.guild_id).toBe('local');
    expect(i.locale).toBe('en-US');
    expect(BigInt(i.member!.permissions) & PERMISSIONS.administrator).toBe(PERMISSIONS.administrator);
    expect(i.data.name).toBe('match');
    expect(i.data.options).toEqual([{ name: 'need', type: T.Subcommand, options: [
      { name: 'id', type: T.String, value: 'N-0001' },
      { name: 'top', type: T.Integer, value: 5 },
      { name: 'sector', type: T.String, value: 'fuel-cells' },
    ] }]);
    // choices match by value or by either language's name
    const byName = parse('/search query:x type:Capabilities');
    expect(byName.data.options?.find((o) => o.name === 'type')).toMatchObject({ value: 'capability' });
    const group = parse('/config curator-role list');
    expect(group.data.options).toEqual([{ name: 'curator-role', type: T.SubcommandGroup, options: [{ name: 'list', type: T.Subcommand, options: [] }] }]);
    expect(parse('/export include-closed:yes').data.options).toEqual([{ name: 'include-closed', type: T.Boolean, value: true }]);
  });

  it('turns a file path into an attachment with a file: URL', () => {
    const file = join(tmp.dir, 'data.json');
    writeFileSync(file, '{}');
    const i = parse(`/import file:${file} mode:replace`);
    const id = i.data.options?.find((o) => o.name === 'file') as { value: string };
    expect(i.data.resolved?.attachments?.[id.value]).toMatchObject({ filename: 'data.json', size: 2, url: `file://${file}` });
    expect(parseError(`/import file:${join(tmp.dir, 'missing.json')}`)).toContain('no such file');
  });

  it('rejects what Discord would not send', () => {
    expect(parseError('need show id:N-1')).toBe('commands start with "/", e.g. /help');
    expect(parseError('/nope')).toMatch(/^unknown command \/nope \(commands: /);
    expect(parseError('/need')).toMatch(/^\/need needs a subcommand: show \| list \| add/);
    expect(parseError('/need frob')).toMatch(/^\/need needs a subcommand/);
    expect(parseError('/need show')).toBe('/need show: missing required option id:…');
    expect(parseError('/need show id:N-1 id:N-2')).toBe('option id given twice');
    expect(parseError('/match need id:N-1 top:many')).toBe('option top: "many" is not a whole number');
    expect(parseError('/match need id:N-1 top:0')).toBe('option top: must be at least 1');
    expect(parseError('/match need id:N-1 top:26')).toBe('option top: must be at most 25');
    expect(parseError('/need list status:deleted')).toBe('option status: "deleted" is not one of open, closed, all');
    expect(parseError('/export include-closed:perhaps')).toBe('option include-closed: "perhaps" is not true or false');
    expect(parseError(`/need show id:${'x'.repeat(65)}`)).toBe('option id: longer than 64 characters');
  });
});

describe('renderResponse', () => {
  it('shows content, embeds, numbered buttons and the ephemeral note', () => {
    const reply = message({
      content: 'hello **bold**',
      embeds: [{ title: 'Title', description: 'line 1\nline 2', fields: [{ name: 'A', value: 'x', inline: true }, { name: 'B', value: 'y\nz' }], footer: { text: 'foot' } }],
      components: [row(button('c:1', 'Prev', { disabled: true }), button('c:2', 'Next'))],
      ephemeral: true,
    });
    const { text, buttons } = renderResponse(reply.body, [{ name: 'f.json' }]);
    expect(text.split('\n')).toEqual([
      '(only you can see this)', 'hello bold', '━━ Title ━━', '  line 1', '  line 2', '  A: x', '  ▸ B', '      y', '      z', '  — foot',
      '  [Prev] [2: Next]   (type !N to press button N)', '  📎 f.json',
    ]);
    expect(buttons).toEqual([{ customId: 'c:1', label: 'Prev', disabled: true }, { customId: 'c:2', label: 'Next', disabled: false }]);
  });
  it('explains that forms need options in the console', () => {
    const { text } = renderResponse(modal('need:add', 'New need', [{ id: 'title', label: 'Title', required: true }]).body);
    expect(text).toContain('Form: New need');
    expect(text).toContain('title (required): Title');
    expect(renderResponse({ type: InteractionResponseType.Pong }).text).toBe('(response type 1)');
  });
});

// The console's line parser and renderer, in process (the end-to-end run is console.test.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ApplicationCommandOptionType as T, InteractionResponseType, InteractionType, type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleInputError, parseCommandLine, splitOptions, type ConsoleUser } from '../../src/discord/console-parse.ts';
import { renderResponse } from '../../src/discord/console-render.ts';
import { translate } from '../../src/i18n/index.ts';
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
  try { parse(line); } catch (err) { expect(err).toBeInstanceOf(ConsoleInputError); return translate('en-US', (err as ConsoleInputError).key, (err as ConsoleInputError).vars); }
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
    const split = (text: string, names: string[]) => {
      try { splitOptions(text, names); } catch (err) { return translate('en-US', (err as ConsoleInputError).key, (err as ConsoleInputError).vars); }
      return 'accepted';
    };
    expect(split('colour:red', ['title'])).toBe('Unknown option “colour”. Options: title');
    expect(split('hello', ['title'])).toBe('Unexpected “hello”: write options as name:value. Options: title');
    expect(split('title:"open', ['title'])).toBe('Option title: the quote is not closed.');
  });
  it('refuses a misspelt option name inside a value instead of saving it as text, with a did-you-mean', () => {
    const names = ['title', 'org', 'description', 'sectors', 'keywords'];
    expect(() => splitOptions('description:测试文本 sectorz:fuel-cells', names)).toThrow(ConsoleInputError);
    try { splitOptions('description:测试文本 sectorz:fuel-cells', names); } catch (err) {
      expect((err as ConsoleInputError).key).toBe('parse.unknownOptionHint');
      expect((err as ConsoleInputError).vars).toMatchObject({ name: 'sectorz', guess: 'sectors' });
    }
    try { splitOptions('ID:N-0001', ['id']); } catch (err) { expect((err as ConsoleInputError).vars).toMatchObject({ name: 'ID', guess: 'id' }); }
    // text that merely holds a colon is still text; quotes keep anything
    expect(splitOptions('description:Tel: 021-1234 https://x.cn org:Acme', names)).toEqual([['description', 'Tel: 021-1234 https://x.cn'], ['org', 'Acme']]);
    expect(splitOptions('description:"sectorz: as text"', names)).toEqual([['description', 'sectorz: as text']]);
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
    expect(parseError(`/import file:${join(tmp.dir, 'missing.json')}`)).toContain('there is no file');
    expect(parseError(`/import file:${tmp.dir}`)).toBe(`Option file: ${tmp.dir} is a folder; give a .json file.`);
  });

  it('rejects what Discord would not send', () => {
    expect(parseError('need show id:N-1')).toBe('Commands start with “/”, e.g. /help.');
    expect(parseError('/nope')).toMatch(/^Unknown command \/nope\. Commands: /);
    expect(parseError('/serch query:x')).toBe('Unknown command /serch. Did you mean /search?');
    expect(parseError('/need')).toMatch(/^\/need needs one of: show \| list \| add/);
    expect(parseError('/need shwo')).toMatch(/^\/need has no “shwo”\. Did you mean “show”\?/);
    expect(parseError('/need show')).toBe('/need show: missing required option id:…');
    expect(parseError('/need show id:N-1 id:N-2')).toBe('Option id is given twice.');
    expect(parseError('/need edit id:N-0041 titel:"x"')).toMatch(/^Unknown option “titel”: did you mean “title”\?/);
    expect(parseError('/search query:燃料电池 qurey:x')).toMatch(/^Unknown option “qurey”: did you mean “query”\?/);
    expect(parseError('/match need id:N-1 top:many')).toBe('Option top: “many” is not a whole number.');
    expect(parseError('/match need id:N-1 top:0')).toBe('Option top: must be at least 1.');
    expect(parseError('/match need id:N-1 top:26')).toBe('Option top: must be at most 25.');
    expect(parseError('/need list status:deleted')).toBe('Option status: “deleted” is not one of open, closed, matched, all.');
    expect(parseError('/export include-closed:perhaps')).toBe('Option include-closed: “perhaps” is not true or false.');
    expect(parseError(`/need show id:${'x'.repeat(65)}`)).toBe('Option id: longer than 64 characters.');
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
  it('prints a field with a blank name (a continuation) without a heading, and keeps a named one', () => {
    const reply = message({ embeds: [{ fields: [{ name: 'Commands', value: '/a' }, { name: '\u200b', value: '/b' }] }] });
    expect(renderResponse(reply.body).text.split('\n')).toEqual(['  ▸ Commands', '      /a', '      /b']);
  });
  it('shows a form\'s fields', () => {
    const { text } = renderResponse(modal('need:add', 'New need', [{ id: 'title', label: 'Title', required: true }]).body);
    expect(text).toContain('Form: New need');
    expect(text).toContain('title (required): Title');
    expect(renderResponse({ type: InteractionResponseType.Pong }).text).toBe('(1)');
  });
  it('speaks Chinese with full-width colons, reads mentions of known users as names, numbers menu options as shown', () => {
    const reply = message({
      content: '<@100000000000000001>',
      embeds: [{ fields: [{ name: '单位', value: 'x', inline: true }] }],
      components: [row({ type: 3, custom_id: 'match:open', placeholder: '查看', options: [{ label: '6. C-0008 · 标题', value: 'capability:C-0008' }] } as never)],
      ephemeral: true,
    });
    const { text, selects } = renderResponse(reply.body, [], { locale: 'zh-CN', names: { '100000000000000001': 'root' } });
    expect(text.split('\n')).toEqual(['（仅你可见）', '@root', '  单位：x', '  ▾ 查看   （输入 !pick N 打开第 N 条结果）', '      6) C-0008 · 标题']);
    expect(selects[0]!.options[0]).toMatchObject({ n: 6, value: 'capability:C-0008' });
  });
});

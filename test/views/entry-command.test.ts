// What curators and members see around entries: duplicate warnings, best partners on save,
// and the menu that opens any result as a card.
import {
  ComponentType, InteractionResponseType, InteractionType, MessageFlags,
  type APIInteraction, type APIMessageComponentInteraction, type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/discord/console-parse.ts';
import { translate } from '../../src/i18n/index.ts';
import type { Reply } from '../../src/interactions/reply.ts';
import { similarEntries } from '../../src/views/entry-command.ts';
import type { App } from '../../src/app.ts';
import { demoApp } from '../support.ts';

const GUILD = '900000000000000011';
let app: App;
let defs: RESTPostAPIChatInputApplicationCommandsJSONBody[];
let seq = 0;

const user = { id: '100000000000000001', name: 'curator', locale: 'en-US', guildId: GUILD };
const run = (line: string) => app.dispatcher.dispatch(parseCommandLine(line, defs, user, ++seq));
function data(reply: Reply) {
  const b = reply.body;
  if (b.type !== InteractionResponseType.ChannelMessageWithSource && b.type !== InteractionResponseType.UpdateMessage) throw new Error(`type ${b.type}`);
  return b.data!;
}
function pick(customId: string, values: string[]): APIMessageComponentInteraction {
  const base = parseCommandLine('/help', defs, user, ++seq) as unknown as Record<string, unknown>;
  return { ...base, type: InteractionType.MessageComponent, message: { embeds: [], components: [] }, data: { custom_id: customId, component_type: ComponentType.StringSelect, values } } as unknown as APIMessageComponentInteraction;
}

let close: () => Promise<void>;
beforeAll(async () => {
  ({ app, defs, close } = await demoApp(GUILD));
});
afterAll(() => close());

describe('similarEntries', () => {
  const base = { org: '某公司', description: 'd' };
  const e = { id: 'N-9', title: '10kV配电网单相接地故障区段定位', ...base };
  it('flags a near copy of the title, never the entry itself', () => {
    const twin = { id: 'N-1', title: '10kV小电流接地配电网单相接地故障区段定位', org: '别的公司', description: 'd' };
    expect(similarEntries([e, twin], e).map((r) => r.id)).toEqual(['N-1']);
  });
  it('leaves different entries alone, unless alike and from the same organisation', () => {
    const other = { id: 'N-2', title: '锂电池热失控预警', ...base };
    const sameOrg = { id: 'N-3', title: '配电网单相接地故障定位装置', ...base };
    expect(similarEntries([other], e)).toEqual([]);
    expect(similarEntries([sameOrg], e).map((r) => r.id)).toEqual(['N-3']);
  });
});

describe('saving an entry', () => {
  it('shows the best partners right now, and warns of a likely duplicate', async () => {
    const d = data(await run('/need add title:"10kV配电网单相接地故障区段定位" org:"上海泓柘配电设备有限公司" description:"小电流接地系统单相接地故障定位准确率低，希望合作开发行波定位算法。"'));
    expect(d.content).toContain(translate('en-US', 'entry.similar', { list: '' }).split('{list}')[0]!.trim().slice(0, 20));
    expect(d.content).toContain('N-0001');
    const best = d.embeds![0]!.fields!.find((f) => f.name === translate('en-US', 'entry.topMatches'));
    expect(best?.value).toContain('C-0001');
  });
  it('gives no duplicate warning for a new topic', async () => {
    const d = data(await run('/need add title:"游艇甲板柚木替代材料耐候性" org:"某游艇公司" description:"寻找合成柚木甲板材料的紫外老化评价合作。"'));
    expect(d.content).not.toContain('⚠️');
  });
});

describe('the result menu', () => {
  it('lists the page\'s results and opens one as a private card', async () => {
    const d = data(await run('/search query:燃料电池'));
    const rows = d.components as unknown as { components: { type: number; options?: { value: string }[] }[] }[];
    const menu = rows.flatMap((r) => r.components).find((c) => c.type === ComponentType.StringSelect);
    expect(menu?.options?.length ?? 0).toBeGreaterThan(0);
    const value = menu!.options![0]!.value;
    const card = data(await app.dispatcher.dispatch(pick('search:open', [value]) as APIInteraction));
    expect(card.flags).toBe(MessageFlags.Ephemeral);
    expect(card.embeds![0]!.title).toContain(value.split(':')[1]!);
  });
  it('refuses a value that names no entry', async () => {
    const d = data(await app.dispatcher.dispatch(pick('match:open', ['need:N-9999']) as APIInteraction));
    expect(d.flags).toBe(MessageFlags.Ephemeral);
    expect(d.content).toContain(translate('en-US', 'error.needNotFound', { id: 'N-9999' }));
  });
});

describe('/export', () => {
  const file = (r: Reply) => JSON.parse(r.files![0]!.data.toString('utf8')) as { needs: { contact?: string }[]; capabilities: { contact?: string }[] };
  const contactsIn = (r: Reply) => [...file(r).needs, ...file(r).capabilities].filter((e) => e.contact).length;
  const member = { ...user, id: '100000000000000077', name: 'member', member: true };

  it('leaves contact fields out by default (cards hide them from non-curators); a curator may include them', async () => {
    const all = (await app.services.directory.guild(GUILD).exportDataset({ includeClosed: false }));
    expect([...all.needs, ...all.capabilities].filter((e) => e.contact).length).toBeGreaterThan(0);
    const plain = await run('/export');
    expect(contactsIn(plain)).toBe(0);
    expect(file(plain).needs).toHaveLength(all.needs.length);
    expect(data(plain).content).toContain(translate('en-US', 'export.contactsOmitted'));
    const full = await run('/export contacts:include');
    expect(file(full)).toEqual(JSON.parse(JSON.stringify(all)));
    expect(data(full).content).toContain(translate('en-US', 'export.contactsIncluded'));
    const asMember = await app.dispatcher.dispatch(parseCommandLine('/export', defs, member, ++seq));
    expect(contactsIn(asMember)).toBe(0);
  });

  it('contacts:include is refused to a member (nothing sent), and a value that is not a choice is refused', async () => {
    const denied = await app.dispatcher.dispatch(parseCommandLine('/export contacts:include', defs, { ...user, id: '100000000000000077', name: 'member', member: true }, ++seq));
    expect(denied.files ?? []).toEqual([]);
    expect(data(denied).content).toContain(translate('en-US', 'error.notCurator').slice(0, 30));
    const raw = parseCommandLine('/export', defs, user, ++seq) as unknown as { data: { options: unknown[] } };
    raw.data.options = [{ name: 'contacts', type: 3, value: 'everything' }];
    const bad = await app.dispatcher.dispatch(raw as unknown as APIInteraction);
    expect(bad.files ?? []).toEqual([]);
    expect(data(bad).content).toContain(translate('en-US', 'error.exportContacts', { value: 'everything' }));
  });

  it('sends the directory as a file within the upload limit', async () => {
    const reply = await run('/export');
    expect(reply.files?.[0]?.name).toMatch(/\.json$/);
    expect(JSON.parse(reply.files![0]!.data.toString('utf8'))).toMatchObject({ version: 1 });
  });
  it('says so, and sends nothing, when the file would exceed the server upload limit', async () => {
    const i = parseCommandLine('/export', defs, user, ++seq) as unknown as { attachment_size_limit: number };
    i.attachment_size_limit = 1000;
    const reply = await app.dispatcher.dispatch(i as unknown as APIInteraction);
    expect(reply.files ?? []).toEqual([]);
    expect(data(reply).flags).toBe(MessageFlags.Ephemeral);
    expect(data(reply).content).toContain(translate('en-US', 'error.exportTooLarge', { size: 'X', max: 1000 }).split('X')[0]!.slice(0, 30));
  });
});

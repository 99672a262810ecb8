// Naming an entry the way people do (any case, a bare number, part of the title), in Discord and the
// console alike; a wrong-type id names the right command; removing asks first and says how to undo.
import {
  ComponentType, InteractionResponseType, InteractionType, MessageFlags,
  type APIMessageComponentInteraction, type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { parseCommandLine } from '../../src/discord/console-parse.ts';
import { translate, type MessageKey, type Vars } from '../../src/i18n/index.ts';
import type { Reply } from '../../src/interactions/reply.ts';
import { demoApp } from '../support.ts';

const GUILD = '900000000000000021';
let app: App;
let defs: RESTPostAPIChatInputApplicationCommandsJSONBody[];
let close: () => Promise<void>;
let seq = 0;
const user = { id: '100000000000000001', name: 'curator', locale: 'en-US', guildId: GUILD };
const zhUser = { ...user, locale: 'zh-CN' };
const run = (line: string, who = user) => app.dispatcher.dispatch(parseCommandLine(line, defs, who, ++seq));
const en = (k: MessageKey, v?: Vars) => translate('en-US', k, v);
function data(reply: Reply) {
  const b = reply.body;
  if (b.type !== InteractionResponseType.ChannelMessageWithSource && b.type !== InteractionResponseType.UpdateMessage) throw new Error(`type ${b.type}`);
  return b.data!;
}
const title = (r: Reply) => data(r).embeds?.[0]?.title ?? '';
function press(customId: string, who = user): APIMessageComponentInteraction {
  const base = parseCommandLine('/help', defs, who, ++seq) as unknown as Record<string, unknown>;
  return { ...base, type: InteractionType.MessageComponent, message: { embeds: [], components: [] }, data: { custom_id: customId, component_type: ComponentType.Button } } as unknown as APIMessageComponentInteraction;
}
const buttons = (r: Reply) => (data(r).components ?? []).flatMap((row) => (row as { components: { custom_id: string; label: string }[] }).components);

beforeAll(async () => {
  ({ app, defs, close } = await demoApp(GUILD));
});
afterAll(() => close());

describe('finding an entry', () => {
  it('by id in any case, by bare number, by a unique part of the title', async () => {
    for (const id of ['N-0009', 'n-0009', '9', '0009', '微藻']) expect(title(await run(`/need show id:${id}`)), id).toContain('N-0009 · 微藻');
    expect(title(await run('/capability show id:c-0002'))).toContain('C-0002');
    expect(title(await run('/match need id:9'))).toContain('N-0009');
  });

  it('several matches: a short list to pick from, nothing opened', async () => {
    const r = await run('/need show id:电池');
    expect(data(r).flags).toBe(MessageFlags.Ephemeral);
    expect(data(r).content).toContain(en('error.ambiguous', { query: '电池' }));
    for (const id of ['N-0016', 'N-0023', 'N-0035']) expect(data(r).content).toContain(`• ${id} · `);
    expect(data(r).embeds ?? []).toEqual([]);
  });

  it('a capability id in a need command names the command to use, in either language', async () => {
    expect(data(await run('/need show id:C-0001')).content).toBe(`⚠️ ${en('error.wrongType', { id: 'C-0001', found: 'capability', wanted: 'need', command: '/capability show id:C-0001' })}`);
    expect(data(await run('/match need id:c-0001')).content).toContain('/match capability id:C-0001');
    expect(data(await run('/match capability id:N-0001', zhUser)).content).toBe('⚠️ N-0001 是需求，不是研发能力：请使用 /match need id:N-0001。');
  });

  it('nothing found: the message says how to find it', async () => {
    expect(data(await run('/need show id:N-9999')).content).toBe(`⚠️ ${en('error.needNotFound', { id: 'N-9999' })}`);
    expect(data(await run('/need show id:量子引力波')).content).toBe(`⚠️ ${en('error.needNotFound', { id: '量子引力波' })}`);
    expect(data(await run('/need show id:999')).content).toContain('There is no need with id 999');
  });
});

describe('removing asks first', () => {
  it('remove → a confirmation with buttons; nothing removed until confirmed; cancel keeps it', async () => {
    const dir = app.services.directory.guild(GUILD);
    const ask = await run('/need remove id:N-0002');
    expect(data(ask).content).toBe(`⚠️ ${en('entry.confirmRemove', { id: 'N-0002', title: (await dir.get('need', 'N-0002'))!.title })}`);
    const [yes, no] = buttons(ask);
    expect(yes!.label).toBe('Remove N-0002');
    expect(await dir.get('need', 'N-0002')).toBeDefined();
    const cancelled = await app.dispatcher.dispatch(press(no!.custom_id));
    expect(cancelled.body.type).toBe(InteractionResponseType.UpdateMessage);
    expect(data(cancelled).content).toBe(en('entry.removeCancelled', { id: 'N-0002' }));
    expect(await dir.get('need', 'N-0002')).toBeDefined();
  });

  it('only the person who asked can confirm; confirming removes and says how to undo', async () => {
    const dir = app.services.directory.guild(GUILD);
    const before = (await dir.get('need', 'N-0003'))!;
    const [yes] = buttons(await run('/need remove id:3'));
    const other = { ...user, id: '100000000000000002' };
    expect(data(await app.dispatcher.dispatch(press(yes!.custom_id, other))).content).toBe(en('confirm.notYours'));
    expect(await dir.get('need', 'N-0003')).toBeDefined();
    const done = await app.dispatcher.dispatch(press(yes!.custom_id));
    expect(data(done).content).toBe(`🗑️ ${en('entry.removed', { id: 'N-0003', title: before.title })}`);
    expect(data(done).components).toEqual([]);
    expect(await dir.get('need', 'N-0003')).toBeUndefined();
    // pressing again: the entry is gone, said plainly
    expect(data(await app.dispatcher.dispatch(press(yes!.custom_id))).content).toContain('There is no need with id N-0003');
  });
});

// Watches: new partners are announced once, in the watcher's language, pinging only the watcher.
import {
  InteractionResponseType, MessageFlags,
  type RESTPostAPIChannelMessageJSONBody, type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/discord/console-parse.ts';
import { MAX_WATCHES_PER_USER } from '../../src/domain/watch.ts';
import { translate } from '../../src/i18n/index.ts';
import type { Reply } from '../../src/interactions/reply.ts';
import type { App } from '../../src/app.ts';
import { demoApp } from '../support.ts';
import { recordFeedback } from '../../src/feedback/store.ts';

const GUILD = '900000000000000021';
let app: App;
let defs: RESTPostAPIChatInputApplicationCommandsJSONBody[];
let seq = 0;
let posted: { channel: string; body: RESTPostAPIChannelMessageJSONBody }[] = [];

const WATCHER = { id: '100000000000000031', name: 'engineer', locale: 'zh-CN', guildId: GUILD };
const CURATOR = { id: '100000000000000032', name: 'curator', locale: 'en-US', guildId: GUILD };
const run = (line: string, who = CURATOR) => app.dispatcher.dispatch(parseCommandLine(line, defs, who, ++seq));
const flush = () => app.services.watcher.flush(app.services.directory, [GUILD]);
function text(reply: Reply): string {
  const b = reply.body;
  if (b.type !== InteractionResponseType.ChannelMessageWithSource) throw new Error(`type ${b.type}`);
  return b.data?.content ?? '';
}
const lab = (title: string, description: string) => `/capability add title:"${title}" org:"Test Lab" description:"${description}"`;

let close: () => Promise<void>;
beforeAll(async () => {
  ({ app, defs, close } = await demoApp(GUILD));
});
afterAll(() => close());
beforeEach(() => {
  posted = [];
  app.services.watcher.setNotifier(async (channel, body) => {
    posted.push({ channel, body });
  });
});

describe('/watch', () => {
  it('is unavailable, and says so, where the bot cannot post', async () => {
    app.services.watcher.setNotifier(undefined);
    expect(text(await run('/watch need id:N-0009', WATCHER))).toContain(translate('zh-CN', 'watch.unavailable'));
  });

  it('announces a new matching lab once, in the watcher\'s language, pinging only the watcher', async () => {
    expect(text(await run('/watch need id:N-0009', WATCHER))).toContain('N-0009');
    await run(lab('Schizochytrium DHA oil extraction', 'Lipid extraction from microalgae biomass: enzymatic cell disruption, solvent-free oil recovery, DHA algal oil refining, 500 L pilot.'));
    await flush();
    expect(posted).toHaveLength(1);
    const msg = posted[0]!.body;
    expect(msg.allowed_mentions).toEqual({ parse: [], users: [WATCHER.id] });
    expect(msg.content).toContain(`<@${WATCHER.id}>`);
    expect(msg.content).toContain(translate('zh-CN', 'watch.news', { count: 1, id: 'N-0009', title: 'X' }).split('X')[0]!.slice(0, 8));
    expect(JSON.stringify(msg.embeds)).toContain('Schizochytrium');
    // An unrelated lab, or the same news again, announces nothing.
    await run(lab('Yacht teak deck weathering', 'UV ageing of synthetic teak decking for motor yachts.'));
    await flush();
    expect(posted).toHaveLength(1);
  });

  it('says nothing about a closed entry, and stops when removed', async () => {
    await run('/need close id:N-0009');
    await run(lab('Algal oil extraction line', 'Microalgae lipid extraction and DHA oil refining, solvent-free, for Schizochytrium biomass.'));
    await flush();
    expect(posted).toHaveLength(0);
    await run('/need reopen id:N-0009');
    expect(text(await run('/watch remove id:N-0009', WATCHER))).toContain('N-0009');
    expect(text(await run('/watch list', WATCHER))).toBe(translate('zh-CN', 'watch.none'));
    const again = await run('/watch remove id:N-0009', WATCHER);
    expect(text(again)).toContain(translate('zh-CN', 'watch.notWatched', { id: 'N-0009' }));
    expect(again.body.type === InteractionResponseType.ChannelMessageWithSource && again.body.data?.flags).toBe(MessageFlags.Ephemeral);
  });

  it('does not announce a pair marked wrong field (watches rank as /match does, with the guild\'s feedback)', async () => {
    await run('/watch need id:N-0009', WATCHER);
    const g = app.services.directory.guild(GUILD);
    await run(lab('Microalgae DHA extraction pilot', 'Schizochytrium biomass lipid extraction, enzymatic cell disruption, DHA algal oil refining.'));
    const added = (await g.list('capability')).find((c) => c.title === 'Microalgae DHA extraction pilot')!;
    await recordFeedback(g, { needId: 'N-0009', capabilityId: added.id, vote: 'down', reason: 'wrong-field' }, { id: CURATOR.id, name: CURATOR.name }, new Date());
    await flush();
    expect(posted).toHaveLength(0);
    await run(lab('DHA algal oil refining', 'Microalgae lipid extraction and DHA oil refining for Schizochytrium biomass, solvent-free, 500 L pilot.'));
    await flush();
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0]!.body.embeds)).not.toContain(added.id);
    await run('/watch remove id:N-0009', WATCHER);
  });

  it('caps how many entries one member watches', async () => {
    const ids = Array.from({ length: MAX_WATCHES_PER_USER }, (_, i) => `N-${String(i + 1).padStart(4, '0')}`);
    for (const id of ids) await run(`/watch need id:${id}`);
    expect(text(await run('/watch capability id:C-0001'))).toContain(translate('en-US', 'watch.tooMany', { max: MAX_WATCHES_PER_USER }));
  });
});

// Read-modify-write through the real commands, on both engines: two curators' stale edit forms and
// concurrent /config curator-role adds.
import { InteractionResponseType, InteractionType, type APIInteraction, type APIModalSubmitInteraction, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { parseCommandLine } from '../../src/discord/console-parse.ts';
import { translate } from '../../src/i18n/index.ts';
import { createAttachmentFetcher } from '../../src/interactions/attachments.ts';
import { silentLogger } from '../../src/log.ts';
import { actor, smallDataset } from '../support.ts';
import { ENGINES } from './engines.ts';

const GUILD = '900000000000000001';
const ADMIN = '100000000000000001';

describe.each(ENGINES)('read-modify-write on $name', (engine) => {
  let db: Awaited<ReturnType<typeof engine.fresh>>;
  let apps: App[];
  let defs: RESTPostAPIChatInputApplicationCommandsJSONBody[];
  let seq = 0;

  /** One app per "worker": its own connection, its own cache, the same database. */
  async function worker(): Promise<App> {
    const app = await createApp(parseConfig({ STORE_URL: db.url, LOG_LEVEL: 'silent' }), silentLogger, createAttachmentFetcher([], { allowFiles: true }));
    apps.push(app);
    defs = app.dispatcher.commands.map((c) => c.data.toJSON());
    return app;
  }
  const command = (line: string, user = ADMIN) => parseCommandLine(line, defs, { id: user, name: `user ${user}`, locale: 'en-US', guildId: GUILD }, ++seq);
  const content = (r: { body: unknown }) => (r.body as { data?: { content?: string } }).data?.content ?? '';

  /** The modal submit Discord sends for a form with these custom id and field values. */
  function submit(customId: string, values: Record<string, string>, user: string): APIModalSubmitInteraction {
    const base = command('/help', user) as unknown as Record<string, unknown>;
    return {
      ...base, type: InteractionType.ModalSubmit,
      data: { custom_id: customId, components: Object.entries(values).map(([id, value]) => ({ type: 1, components: [{ type: 4, custom_id: id, value }] })) },
    } as unknown as APIModalSubmitInteraction;
  }

  beforeEach(async () => {
    db = await engine.fresh();
    apps = [];
  });
  afterEach(async () => {
    for (const a of apps) await a.close();
    await db.cleanup();
  });

  it('two curators open the same edit form: the first save wins, the second is refused showing what changed', async () => {
    const [a, b] = [await worker(), await worker()];
    await a.services.directory.guild(GUILD).importDataset(smallDataset(), 'merge', actor('seed', 'seed'));
    const formOf = async (app: App) => {
      const r = await app.dispatcher.dispatch(command('/need edit id:N-0001') as APIInteraction);
      expect(r.body.type).toBe(InteractionResponseType.Modal);
      const data = (r.body as { data: { custom_id: string; components: { components: { custom_id: string; value?: string }[] }[] } }).data;
      const values = Object.fromEntries(data.components.flatMap((row) => row.components).map((c) => [c.custom_id, c.value ?? '']));
      return { customId: data.custom_id, values };
    };
    const formA = await formOf(a);
    const formB = await formOf(b);
    expect(formA.customId).toBe('need:edit:N-0001:1');
    const saved = await a.dispatcher.dispatch(submit(formA.customId, { ...formA.values, title: 'Title by A' }, '100000000000000011'));
    expect(content(saved)).toContain('N-0001');
    const refused = await b.dispatcher.dispatch(submit(formB.customId, { ...formB.values, description: 'Description by B' }, '100000000000000012'));
    const text = content(refused);
    expect(text.startsWith(`⚠️ ${translate('en-US', 'error.staleEdit', { id: 'N-0001', names: 'user 100000000000000011' })}`), text).toBe(true);
    expect(text).toContain(`title: ${smallDataset().needs[0]!.title} → Title by A`);
    // A's change is kept, B's was not applied over it; B can re-open the form and save.
    const now = await b.services.directory.guild(GUILD).require('need', 'N-0001');
    expect(now).toMatchObject({ title: 'Title by A', description: smallDataset().needs[0]!.description, version: 2 });
    const again = await formOf(b);
    expect(again.customId).toBe('need:edit:N-0001:2');
    await b.dispatcher.dispatch(submit(again.customId, { ...again.values, description: 'Description by B' }, '100000000000000012'));
    expect(await a.services.directory.guild(GUILD).require('need', 'N-0001')).toMatchObject({ title: 'Title by A', description: 'Description by B', version: 3 });
  });

  it('an edit with options based on a stale read is refused; a fresh one saves', async () => {
    const [a] = [await worker()];
    const g = a.services.directory.guild(GUILD);
    await g.importDataset(smallDataset(), 'merge', actor('seed', 'seed'));
    const e = await g.require('need', 'N-0002');
    await g.edit('need', 'N-0002', { region: '临港' }, actor('other', 'Other'));
    const err = await g.edit('need', 'N-0002', { title: 'late' }, actor(), { version: e.version }).catch((x: unknown) => x);
    expect(err).toMatchObject({ key: 'error.staleEdit', vars: { id: 'N-0002', names: 'Other' } });
    expect((err as { details: string[] }).details.join('\n')).toMatch(/Other \(edit\) region: — → 临港/);
    expect((await g.require('need', 'N-0002')).title).not.toBe('late');
    const r = await a.dispatcher.dispatch(command('/need edit id:N-0002 title:fresh') as APIInteraction);
    expect(content(r)).toContain('N-0002');
    expect(await g.require('need', 'N-0002')).toMatchObject({ title: 'fresh', region: '临港' });
  });

  it('an edit based on a version an import replaced names the import', async () => {
    const [a] = [await worker()];
    const g = a.services.directory.guild(GUILD);
    await g.importDataset(smallDataset(), 'merge', actor('seed', 'seed'));
    await g.importDataset({ version: 1, needs: [{ ...smallDataset().needs[0]!, title: 'from the file' }], capabilities: [] }, 'merge', actor('imp', 'Importer'));
    const err = await g.edit('need', 'N-0001', { region: 'x' }, actor(), { version: 1 }).catch((x: unknown) => x);
    expect(err).toMatchObject({ key: 'error.staleEdit', vars: { id: 'N-0001', names: 'Importer' } });
    expect((err as { details: string[] }).details.join('\n')).toMatch(/Importer \(import\)/);
  });

  it('10 concurrent curator-role adds from two workers keep all 10 roles; removes are single statements too', async () => {
    const [a, b] = [await worker(), await worker()];
    const roles = Array.from({ length: 10 }, (_, i) => `80000000000000000${i}`);
    const replies = await Promise.all(roles.map((r, i) => (i % 2 ? a : b).dispatcher.dispatch(command(`/config curator-role add role:${r}`) as APIInteraction)));
    for (const r of replies) expect(content(r)).not.toMatch(/⚠️/);
    expect((await a.services.directory.guild(GUILD).getConfig()).curatorRoles).toEqual(roles);
    await Promise.all(roles.slice(0, 5).map((r) => b.dispatcher.dispatch(command(`/config curator-role remove role:${r}`) as APIInteraction)));
    expect((await a.services.directory.guild(GUILD).getConfig()).curatorRoles).toEqual(roles.slice(5));
    const audit = await a.services.directory.guild(GUILD).auditLog(100);
    expect(audit.filter((x) => x.action === 'config')).toHaveLength(15);
  });
});

// The real app (temp SQLite store, demo data, every command) driven through its dispatcher with
// interactions shaped as Discord sends them, from several members.
import {
  ComponentType, InteractionResponseType, InteractionType,
  type APIInteraction, type APIInteractionResponseCallbackData, type APIMessageComponentInteraction, type APIModalSubmitInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { createApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { parseDatasetText } from '../../src/domain/dataset.ts';
import { parseCommandLine } from '../../src/discord/console-parse.ts';
import { createAttachmentFetcher } from '../../src/interactions/attachments.ts';
import { PERMISSIONS } from '../../src/interactions/limits.ts';
import type { Reply } from '../../src/interactions/reply.ts';
import { createLogger } from '../../src/log.ts';
import { actor, demoText, sqliteUrl, tempDir } from '../support.ts';

export const GUILD = '900000000000000001';
export const ADMIN = '100000000000000001';
export const FIRM = '100000000000000011';
export const LAB = '100000000000000012';
export const STRANGER = '100000000000000013';

export interface Who { user?: string; admin?: boolean; locale?: string; roles?: string[]; dm?: boolean }

export interface Harness {
  app: App;
  logs: string[];
  cmd(line: string, who?: Who): Promise<Reply>;
  press(customId: string, who?: Who, values?: string[]): Promise<Reply>;
  modal(customId: string, fields: Record<string, string>, who?: Who): Promise<Reply>;
  close(): Promise<void>;
}

let seq = 0;

export async function harness(opts: { now?: () => Date } = {}): Promise<Harness> {
  const tmp = tempDir();
  const logs: string[] = [];
  const config = parseConfig({ STORE_URL: sqliteUrl(tmp.dir), LOG_LEVEL: 'warn' });
  const app = await createApp(config, createLogger('warn', (l) => logs.push(l)), createAttachmentFetcher([], { allowFiles: true }), opts);
  const defs: RESTPostAPIChatInputApplicationCommandsJSONBody[] = app.dispatcher.commands.map((c) => c.data.toJSON());
  await app.services.directory.guild(GUILD).importDataset(parseDatasetText(demoText()), 'merge', actor('seed', 'seed'));

  const base = (who: Who) => {
    const user = who.user ?? ADMIN;
    const admin = who.admin ?? user === ADMIN;
    const i = parseCommandLine('/help', defs, { id: user, name: `u${user.slice(-2)}`, locale: who.locale ?? 'en-US', guildId: GUILD }, ++seq) as unknown as Record<string, unknown>;
    const member = { ...(i.member as object), permissions: String(admin ? PERMISSIONS.manageGuild : 0n), roles: who.roles ?? [] };
    if (who.dm) {
      const { guild_id: _g, member: _m, guild_locale: _l, ...dm } = i;
      return { ...dm, user: (member as unknown as { user: unknown }).user, context: 1 };
    }
    return { ...i, member };
  };
  return {
    app, logs,
    async cmd(line, who = {}) {
      const i = parseCommandLine(line, defs, { id: who.user ?? ADMIN, name: 'x', locale: who.locale ?? 'en-US', guildId: GUILD }, ++seq);
      const b = base(who) as { member?: unknown };
      return app.dispatcher.dispatch({ ...i, member: b.member } as APIInteraction);
    },
    async press(customId, who = {}, values) {
      const i = {
        ...base(who), type: InteractionType.MessageComponent,
        message: { id: '1', channel_id: '1', content: '', embeds: [], components: [] },
        data: values ? { custom_id: customId, component_type: ComponentType.StringSelect, values } : { custom_id: customId, component_type: ComponentType.Button },
      } as unknown as APIMessageComponentInteraction;
      return app.dispatcher.dispatch(i);
    },
    async modal(customId, fields, who = {}) {
      const i = {
        ...base(who), type: InteractionType.ModalSubmit,
        data: { custom_id: customId, components: Object.entries(fields).map(([id, value]) => ({ type: ComponentType.ActionRow, components: [{ type: ComponentType.TextInput, custom_id: id, value }] })) },
      } as unknown as APIModalSubmitInteraction;
      return app.dispatcher.dispatch(i);
    },
    async close() {
      await app.close();
      tmp.cleanup();
    },
  };
}

/** The message data of a reply (content, embeds, components, flags). */
export function dataOf(r: Reply): APIInteractionResponseCallbackData {
  const b = r.body;
  if (b.type !== InteractionResponseType.ChannelMessageWithSource && b.type !== InteractionResponseType.UpdateMessage) throw new Error(`not a message: type ${b.type}`);
  return b.data ?? {};
}

/** All text of a reply: content, embed titles, descriptions and fields. */
export function textOf(r: Reply): string {
  const d = dataOf(r);
  return [d.content ?? '', ...(d.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text ?? ''])].join('\n');
}

/** Custom ids of the buttons and selects of a reply, in order. */
export function customIds(r: Reply): string[] {
  const rows = (dataOf(r).components ?? []) as { components: { custom_id?: string }[] }[];
  return rows.flatMap((row) => row.components.map((c) => c.custom_id ?? ''));
}

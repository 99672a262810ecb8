// The shape every module in commands/ exports, validated by the loader.
import * as z from 'zod';
import type { APIInteraction, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Directory, GuildDirectory, Actor } from '../store/directory.ts';
import type { MatchService } from '../match/service.ts';
import type { Watcher } from '../watch/watcher.ts';
import type { SharedState } from '../state/index.ts';
import type { Introductions } from '../intro/service.ts';
import type { Locale, MessageKey, Vars } from '../i18n/index.ts';
import type { OptionReader } from './options.ts';
import type { Reply } from './reply.ts';

export interface Services {
  directory: Directory;
  matcher: MatchService;
  config: Config;
  log: Logger;
  /** Downloads an attachment (bytes as text); each transport decides which URLs it trusts. */
  fetchAttachment(url: string, maxBytes: number): Promise<string>;
  /** All loaded commands, for /help. */
  commands(): readonly CommandModule[];
  /** Announces new partners for watched entries (a transport gives it a way to post). */
  watcher: Watcher;
  /** Short-lived state shared by every worker: rate-limit windows, replayed interaction ids. */
  state: SharedState;
  /** Introductions with consent: DMs, private threads, reminders (a transport gives it an outbox). */
  intros: Introductions;
}

export interface Ctx {
  interaction: APIInteraction;
  services: Services;
  locale: Locale;
  t(key: MessageKey, vars?: Vars): string;
  guildId: string;
  user: Actor;
  dir: GuildDirectory;
  /** Throws a UserError unless the member may change the directory. */
  requireCurator(): Promise<void>;
  isCurator(): Promise<boolean>;
}

export interface CommandCtx extends Ctx { options: OptionReader }
export interface ComponentCtx extends Ctx { args: string[]; values: string[] }
export interface ModalCtx extends Ctx { args: string[]; fields: Map<string, string> }

export interface CommandModule {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(ctx: CommandCtx): Promise<Reply>;
  autocomplete?(ctx: CommandCtx): Promise<Reply>;
  /** Buttons and selects whose custom_id starts with "<command name>:". */
  component?(ctx: ComponentCtx): Promise<Reply>;
  /** Modal submits whose custom_id starts with "<command name>:". */
  modal?(ctx: ModalCtx): Promise<Reply>;
  /** Components pressed in a DM carry no guild: the guild their custom id names (e.g. introduction answers). */
  dmGuild?(args: readonly string[]): string | undefined;
}

const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', 'must be a function');

export const CommandModuleSchema = z.object({
  data: z.object({
    name: z.string().regex(/^[-_\p{L}\p{N}]{1,32}$/u, 'must be 1–32 lower-case letters, digits, - or _'),
    toJSON: fn,
  }).loose(),
  execute: fn,
  autocomplete: fn.optional(),
  component: fn.optional(),
  modal: fn.optional(),
  dmGuild: fn.optional(),
});

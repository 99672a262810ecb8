// Builders for interaction payloads, and the handle a test uses to observe the bot's answers.
import { EventEmitter } from 'node:events';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ButtonStyle,
  ChannelType,
  ComponentType,
  InteractionContextType,
  InteractionType,
  Locale,
} from 'discord-api-types/v10';
import type {
  APIAttachment,
  APIChatInputApplicationCommandInteractionData,
  APIInteraction,
  APIInteractionDataResolved,
  APIInteractionGuildMember,
  APIMessage,
  APIMessageComponentInteractionData,
  APIModalSubmission,
  APIModalSubmissionComponent,
  APIUser,
  GatewayGuildCreateDispatchData,
  InteractionResponseType,
  Permissions,
} from 'discord-api-types/v10';
import { BOT_PERMISSIONS, DEFAULT_USER_ID, makeMessage, makeTextChannel, makeUser, snowflake } from './fixtures.ts';

/** An option value: plain values infer STRING / INTEGER / NUMBER / BOOLEAN; an attachment object becomes ATTACHMENT. */
export type OptionValue = string | number | boolean | APIAttachment | TypedOption;
export interface TypedOption {
  type: ApplicationCommandOptionType;
  value: string | number | boolean;
}

/** Who invokes the interaction, and where. Everything is optional. */
export interface InvokerInit {
  user?: Partial<APIUser>;
  /** The member's computed permissions, e.g. '0' (nothing) or '32' (Manage Server). Default: the guild's @everyone permissions. */
  permissions?: Permissions;
  roles?: string[];
  locale?: Locale;
  guildLocale?: Locale;
  /** `null` makes a DM interaction (no guild, no member). Default: the first configured guild. */
  guildId?: string | null;
  channelId?: string;
  appPermissions?: Permissions;
  /** Raw fields merged last into the built payload. */
  overrides?: Record<string, unknown>;
}

type ChatInputData = Omit<APIChatInputApplicationCommandInteractionData, 'id'> & { id?: string };
export type InteractionInitData = ChatInputData | APIMessageComponentInteractionData | APIModalSubmission;

export interface InteractionInit extends InvokerInit {
  type: InteractionType.ApplicationCommand | InteractionType.ApplicationCommandAutocomplete | InteractionType.MessageComponent | InteractionType.ModalSubmit;
  data: InteractionInitData;
  /** The message a component / modal was on. Default for components: a bot message carrying that component. */
  message?: APIMessage;
}

export interface ChatInputInit extends InvokerInit {
  subcommand?: string;
  group?: string;
  options?: Record<string, OptionValue>;
  commandId?: string;
}

interface DataOption {
  type: ApplicationCommandOptionType;
  name: string;
  value?: string | number | boolean;
  focused?: boolean;
  options?: DataOption[];
}

const isAttachment = (v: OptionValue): v is APIAttachment =>
  typeof v === 'object' && 'url' in v && 'filename' in v;

function toOption(name: string, value: OptionValue, resolved: APIInteractionDataResolved): DataOption {
  if (typeof value === 'string') return { type: ApplicationCommandOptionType.String, name, value };
  if (typeof value === 'boolean') return { type: ApplicationCommandOptionType.Boolean, name, value };
  if (typeof value === 'number') {
    return { type: Number.isInteger(value) ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number, name, value };
  }
  if (isAttachment(value)) {
    (resolved.attachments ??= {})[value.id] = value;
    return { type: ApplicationCommandOptionType.Attachment, name, value: value.id };
  }
  const id = String(value.value);
  if (value.type === ApplicationCommandOptionType.User) (resolved.users ??= {})[id] = makeUser({ id });
  if (value.type === ApplicationCommandOptionType.Channel) {
    // Discord resolves a partial channel: id, name, type and permissions only (no overwrites, which
    // discord.js would otherwise copy over the channel it has cached).
    const { name: channelName, type } = makeTextChannel(id, `channel-${id.slice(-4)}`);
    (resolved.channels ??= {})[id] = { id, name: channelName, type, permissions: BOT_PERMISSIONS } as never;
  }
  return { type: value.type, name, value: value.value };
}

function chatData(name: string, init: ChatInputInit, focused?: string): ChatInputData {
  const resolved: APIInteractionDataResolved = {};
  let options: DataOption[] = Object.entries(init.options ?? {}).map(([n, v]) => ({
    ...toOption(n, v, resolved),
    ...(n === focused ? { focused: true } : {}),
  }));
  if (focused !== undefined && !options.some((o) => o.name === focused)) {
    options.push({ type: ApplicationCommandOptionType.String, name: focused, value: '', focused: true });
  }
  if (init.subcommand) options = [{ type: ApplicationCommandOptionType.Subcommand, name: init.subcommand, options }];
  if (init.group) options = [{ type: ApplicationCommandOptionType.SubcommandGroup, name: init.group, options }];
  return {
    ...(init.commandId ? { id: init.commandId } : {}),
    type: ApplicationCommandType.ChatInput,
    name,
    // The typed option union is per-interaction-type; this structural shape matches both.
    options: options as ChatInputData['options'],
    ...(Object.keys(resolved).length > 0 ? { resolved } : {}),
  };
}

function invoker(init: ChatInputInit): InvokerInit {
  const { subcommand: _s, group: _g, options: _o, commandId: _c, ...rest } = init;
  return rest;
}

/** `/name [group] [subcommand] options...` */
export function chatInput(name: string, init: ChatInputInit = {}): InteractionInit {
  return { ...invoker(init), type: InteractionType.ApplicationCommand, data: chatData(name, init) };
}

/** Autocomplete for `/name`, with `focused` the option being typed (its value taken from `options`, default ''). */
export function autocomplete(name: string, focused: string, init: ChatInputInit = {}): InteractionInit {
  return { ...invoker(init), type: InteractionType.ApplicationCommandAutocomplete, data: chatData(name, init, focused) };
}

export interface ComponentInit extends InvokerInit {
  message?: APIMessage;
}

export function button(customId: string, init: ComponentInit = {}): InteractionInit {
  return { ...init, type: InteractionType.MessageComponent, data: { custom_id: customId, component_type: ComponentType.Button } };
}

export function stringSelect(customId: string, values: string[], init: ComponentInit = {}): InteractionInit {
  return { ...init, type: InteractionType.MessageComponent, data: { custom_id: customId, component_type: ComponentType.StringSelect, values } };
}

export interface ModalSubmitInit extends ComponentInit {
  /** Legacy shape: each text input inside an action row (type 1) instead of a label (type 18). */
  actionRows?: boolean;
}

/** Modal submit; a string value is a text input, a string[] a string select inside a label. */
export function modalSubmit(customId: string, fields: Record<string, string | string[]>, init: ModalSubmitInit = {}): InteractionInit {
  const { actionRows, ...rest } = init;
  // Discord numbers components depth-first: wrapper 2n+1, inner component 2n+2.
  const components = Object.entries(fields).map(([fieldId, value], n): APIModalSubmissionComponent => {
    const [outer, innerId] = [2 * n + 1, 2 * n + 2];
    if (Array.isArray(value)) {
      return { type: ComponentType.Label, id: outer, component: { type: ComponentType.StringSelect, id: innerId, custom_id: fieldId, values: value } };
    }
    const input = { type: ComponentType.TextInput as const, id: innerId, custom_id: fieldId, value };
    return actionRows
      ? { type: ComponentType.ActionRow, id: outer, components: [input] }
      : { type: ComponentType.Label, id: outer, component: input };
  });
  return { ...rest, type: InteractionType.ModalSubmit, data: { custom_id: customId, components } };
}

export interface BuildContext {
  applicationId: string;
  bot: APIUser;
  guild: GatewayGuildCreateDispatchData | undefined;
  /** The registered command with that name (guild commands first), if any. */
  findCommand(name: string, guildId: string | undefined): { id: string; guild_id?: string } | undefined;
  /** A thread or DM channel the fake knows (so an interaction from inside one carries that channel). */
  findChannel?(id: string): { id: string; type: ChannelType } | undefined;
}

/** A full APIInteraction from an init, filling every field Discord sends. */
export function buildInteraction(init: InteractionInit, ctx: BuildContext): APIInteraction {
  const guild = init.guildId === null ? undefined : ctx.guild;
  const known = init.channelId ? ctx.findChannel?.(init.channelId) : undefined;
  const channel = known ?? guild?.channels.find((c) => c.id === init.channelId) ?? guild?.channels[0];
  const channelId = init.channelId ?? channel?.id ?? snowflake();
  const user = makeUser({ id: DEFAULT_USER_ID, username: 'researcher', ...init.user });
  const locale = init.locale ?? Locale.EnglishUS;
  const everyone = guild?.roles.find((r) => r.id === guild.id)?.permissions ?? '0';
  const member: APIInteractionGuildMember | undefined = guild && {
    user,
    roles: init.roles ?? [],
    permissions: init.permissions ?? everyone,
    joined_at: new Date(Date.now() - 3_600_000).toISOString(),
    premium_since: null,
    deaf: false,
    mute: false,
    pending: false,
    nick: null,
    avatar: null,
    communication_disabled_until: null,
    flags: 0 as APIInteractionGuildMember['flags'],
  };

  let data = init.data;
  if ('name' in data && data.id === undefined) {
    const cmd = ctx.findCommand(data.name, guild?.id);
    data = { ...data, id: cmd?.id ?? snowflake(), ...(cmd?.guild_id ? { guild_id: cmd.guild_id } : {}) };
  }

  let message = init.message;
  if (!message && init.type === InteractionType.MessageComponent && 'component_type' in data) {
    const component = data.component_type === ComponentType.StringSelect
      ? { type: ComponentType.StringSelect as const, custom_id: data.custom_id, options: data.values.map((v) => ({ label: v, value: v })) }
      : { type: ComponentType.Button as const, style: ButtonStyle.Primary as const, custom_id: data.custom_id, label: data.custom_id };
    message = makeMessage({
      channel_id: channelId,
      author: ctx.bot,
      content: 'message with a component',
      application_id: ctx.applicationId,
      components: [{ type: ComponentType.ActionRow, id: 1, components: [{ ...component, id: 2 }] }],
    });
  }

  const payload = {
    id: snowflake(),
    application_id: ctx.applicationId,
    type: init.type,
    data,
    token: `fake-interaction-token.${snowflake()}.${Math.random().toString(36).slice(2)}`,
    version: 1,
    locale,
    app_permissions: init.appPermissions ?? BOT_PERMISSIONS,
    entitlements: [],
    attachment_size_limit: 10 * 1024 * 1024,
    channel_id: channelId,
    channel: channel ? { ...channel, guild_id: guild?.id } : { id: channelId, type: ChannelType.DM, recipients: [user] },
    ...(guild
      ? {
          guild_id: guild.id,
          guild: { id: guild.id, locale: init.guildLocale ?? guild.preferred_locale, features: guild.features },
          guild_locale: init.guildLocale ?? guild.preferred_locale,
          member,
          authorizing_integration_owners: { 0: guild.id },
          context: InteractionContextType.Guild,
        }
      : { user, authorizing_integration_owners: { 1: user.id }, context: InteractionContextType.BotDM }),
    ...(message ? { message } : {}),
    ...init.overrides,
  };
  // Assembled from a discriminated init; the union type cannot follow the spread.
  return payload as APIInteraction;
}

/** A file received in a multipart request (`files[n]`). */
export interface UploadedFile {
  field: string;
  name: string;
  contentType: string;
  data: Buffer;
}

export interface CallbackRecord {
  type: InteractionResponseType;
  data: Record<string, unknown> | undefined;
  files: UploadedFile[];
  at: number;
}

export interface RefusedRequest {
  method: string;
  path: string;
  status: number;
  response: unknown;
}

/**
 * What a test sees of one dispatched interaction. Fields are live: the fake updates them as the
 * bot responds, and the promise helpers resolve as soon as the awaited thing happens.
 */
export class InteractionHandle {
  callback: CallbackRecord | null = null;
  /** The message @original refers to (null before the ack, after delete, or for autocomplete/modal). */
  originalMessage: APIMessage | null = null;
  /** True once @original holds a final answer (type 4/7 callback, or any edit after a defer). */
  originalSettled = false;
  readonly edits: APIMessage[] = [];
  readonly followups: APIMessage[] = [];
  readonly refused: RefusedRequest[] = [];
  private readonly events = new EventEmitter();

  constructor(
    readonly interaction: APIInteraction,
    readonly dispatchedAt: number,
    private readonly responseTimeoutMs: number,
    private readonly timers: Set<NodeJS.Timeout>,
  ) {}

  get id(): string {
    return this.interaction.id;
  }

  get token(): string {
    return this.interaction.token;
  }

  /** The first accepted callback. Rejects if none arrives in time (default: deadline + 500 ms after dispatch). */
  response(timeoutMs = this.dispatchedAt + this.responseTimeoutMs - Date.now()): Promise<CallbackRecord> {
    return this.waitFor(() => this.callback ?? undefined, timeoutMs, 'interaction response');
  }

  /** The original message once it holds a final answer (after a reply, or the first edit of a deferred reply). */
  original(timeoutMs = 10_000): Promise<APIMessage> {
    return this.waitFor(() => (this.originalSettled ? (this.originalMessage ?? undefined) : undefined), timeoutMs, 'original message');
  }

  /** The `index`-th follow-up message. */
  followup(index = 0, timeoutMs = 10_000): Promise<APIMessage> {
    return this.waitFor(() => this.followups[index], timeoutMs, `follow-up #${index}`);
  }

  /** @internal Called by the fake after it changed this record. */
  changed(): void {
    // Deferred so the HTTP answer (and `fake.requests[].status`) is final before awaiting tests resume.
    setImmediate(() => this.events.emit('change'));
  }

  private waitFor<T>(get: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const now = get();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.timers.delete(timer);
        this.events.off('change', onChange);
      };
      const onChange = () => {
        const value = get();
        if (value !== undefined) {
          done();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        done();
        const refused = this.refused.map((r) => `${r.method} ${r.path} → ${r.status} ${JSON.stringify(r.response)}`);
        reject(new Error(`No ${what} for interaction ${this.id} within ${Math.max(0, timeoutMs)} ms${refused.length ? `; refused: ${refused.join('; ')}` : ''}`));
      }, Math.max(0, timeoutMs));
      this.timers.add(timer);
      this.events.on('change', onChange);
    });
  }
}

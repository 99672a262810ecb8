// The fake's channels beyond interactions: guild text channels, DM channels, threads, and the bot's own
// messages in them. Everything the bot does here is recorded so tests can assert "DM sent to X" or
// "private thread with exactly these members".
import { ChannelType, GatewayDispatchEvents, PermissionFlagsBits } from 'discord-api-types/v10';
import type {
  APIDMChannel,
  APIGuildTextChannel,
  APIMessage,
  APIThreadChannel,
  APIThreadMember,
  APIUser,
  GatewayGuildCreateDispatchData,
  ThreadAutoArchiveDuration,
  ThreadMemberFlags,
} from 'discord-api-types/v10';
import { makeMessage, makeTextChannel, snowflake } from './fixtures.ts';
import type { UploadedFile } from './interactions.ts';
import { applyEdit } from './messages.ts';
import type { MessageContext } from './messages.ts';
import { checkChannelMessage, checkCreateDm, checkCreateThread, isEmptyMessage } from './schema.ts';
import type { SchemaIssue } from './schema.ts';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ChannelCtx {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
}

export const err = (status: number, code: number, message: string, extra: Record<string, unknown> = {}): Reply => ({
  status,
  body: { message, code, ...extra },
});
export const json = (body: unknown, status = 200): Reply => ({ status, body });
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// Discord's answers for the cases the fake models.
const UNKNOWN_CHANNEL = err(404, 10003, 'Unknown Channel');
const UNKNOWN_USER = err(404, 10013, 'Unknown User');
const UNKNOWN_MEMBER = err(404, 10007, 'Unknown Member');
const UNKNOWN_GUILD = err(404, 10004, 'Unknown Guild');
const MISSING_ACCESS = err(403, 50001, 'Missing Access');
const MISSING_PERMISSIONS = err(403, 50013, 'Missing Permissions');
const DMS_CLOSED = err(403, 50007, 'Cannot send messages to this user');
const WRONG_CHANNEL_TYPE = err(400, 50024, 'Cannot execute action on this channel type');
export const TOO_LARGE = err(413, 40005, 'Request entity too large');

export interface ChannelHost {
  readonly bot: APIUser;
  readonly guilds: GatewayGuildCreateDispatchData[];
  readonly messages: MessageContext;
  /** Largest total upload per request (Discord: the guild's limit, 10 MiB without boosts). */
  readonly uploadLimitBytes: number;
  /** Whether the application has the privileged GUILD_MEMBERS intent enabled (needed for GET thread-members). */
  readonly guildMembersIntent: boolean;
  dispatch(event: string, data: unknown): void;
  invalid(ctx: ChannelCtx, issues: SchemaIssue[]): Reply;
  empty(ctx: ChannelCtx): Reply;
}

/** A thread the bot created, with who is in it (the bot itself included, as on Discord). */
export interface FakeThread {
  channel: APIThreadChannel;
  members: Map<string, APIThreadMember>;
  /** Roles the bot mentioned in the thread with allowed_mentions permitting it (how a role is pinged in). */
  mentionedRoles: Set<string>;
}

/** A message the bot posted with its token, kept with the request's allowed_mentions. */
export type PostedMessage = APIMessage & { allowed_mentions?: unknown };

export class FakeChannels {
  /** Every message the bot posted in a channel, DM or thread, in order. */
  readonly posted: PostedMessage[] = [];
  readonly threads = new Map<string, FakeThread>();
  readonly users = new Map<string, APIUser>();
  /** DM channel per recipient user id. */
  readonly dms = new Map<string, APIDMChannel>();
  readonly closedDms = new Set<string>();
  private readonly extraChannels = new Map<string, { guildId: string; channel: APIGuildTextChannel<ChannelType.GuildText> }>();

  constructor(private readonly host: ChannelHost) {
    this.users.set(host.bot.id, host.bot);
  }

  /** Known channel of any kind, and its guild if it has one. */
  find(id: string): { kind: 'text' | 'dm' | 'thread'; guild?: GatewayGuildCreateDispatchData; channel: { id: string; type: ChannelType } } | undefined {
    for (const g of this.host.guilds) {
      const c = g.channels.find((x) => x.id === id);
      if (c) return { kind: 'text', guild: g, channel: c };
    }
    const extra = this.extraChannels.get(id);
    if (extra) return { kind: 'text', guild: this.host.guilds.find((g) => g.id === extra.guildId), channel: extra.channel };
    const thread = this.threads.get(id);
    if (thread) return { kind: 'thread', guild: this.host.guilds.find((g) => g.id === thread.channel.guild_id), channel: thread.channel };
    for (const dm of this.dms.values()) if (dm.id === id) return { kind: 'dm', channel: dm };
    return undefined;
  }

  /** A channel an interaction came from but that the guild config did not list: treat it as a text channel. */
  learnChannel(guildId: string, channelId: string): void {
    if (!this.find(channelId)) this.extraChannels.set(channelId, { guildId, channel: makeTextChannel(channelId, `channel-${channelId.slice(-4)}`, guildId) });
  }

  /** The bot's computed guild permissions: @everyone plus its roles (channel overwrites are not modelled). */
  private botCan(guild: GatewayGuildCreateDispatchData | undefined, bit: bigint): boolean {
    if (!guild) return true;
    const me = guild.members.find((m) => m.user?.id === this.host.bot.id);
    const roleIds = new Set([guild.id, ...(me?.roles ?? [])]);
    const bits = guild.roles.filter((r) => roleIds.has(r.id)).reduce((acc, r) => acc | BigInt(r.permissions), 0n);
    return (bits & PermissionFlagsBits.Administrator) !== 0n || (bits & bit) === bit;
  }

  uploadTooLarge(files: UploadedFile[]): boolean {
    return files.reduce((sum, f) => sum + f.data.length, 0) > this.host.uploadLimitBytes;
  }

  // ------------------------------------------------------------------ users and DMs

  getUser(ctx: ChannelCtx): Reply {
    const user = this.users.get(ctx.params.user ?? '');
    return user ? json(user) : UNKNOWN_USER;
  }

  /** POST /users/@me/channels: one DM channel per recipient; asking again returns the same one. */
  createDm(ctx: ChannelCtx): Reply {
    const issues = checkCreateDm(ctx.body);
    if (issues.length > 0) return this.host.invalid(ctx, issues);
    const id = String((ctx.body as { recipient_id: unknown }).recipient_id);
    const user = this.users.get(id);
    if (!user || user.id === this.host.bot.id) return UNKNOWN_USER;
    let dm = this.dms.get(id);
    if (!dm) {
      dm = { id: snowflake(), type: ChannelType.DM, name: null, last_message_id: null, recipients: [user], flags: 0 } as unknown as APIDMChannel;
      this.dms.set(id, dm);
    }
    return json(dm);
  }

  // ------------------------------------------------------------------ messages

  /** GET /guilds/{id}/roles: the guild's roles as GUILD_CREATE sent them. */
  getRoles(ctx: ChannelCtx): Reply {
    const guild = this.host.guilds.find((g) => g.id === ctx.params.guild);
    return guild ? json(guild.roles) : UNKNOWN_GUILD;
  }

  /** GET /guilds/{id}/members/{user}: a member the fake knows (the bot's own, as in GUILD_CREATE). */
  getMember(ctx: ChannelCtx): Reply {
    const guild = this.host.guilds.find((g) => g.id === ctx.params.guild);
    if (!guild) return UNKNOWN_GUILD;
    const member = guild.members.find((m) => m.user?.id === ctx.params.user);
    // REST adds the guild banner field GUILD_CREATE's members leave out.
    return member ? json({ banner: null, ...member }) : UNKNOWN_MEMBER;
  }

  getChannel(ctx: ChannelCtx): Reply {
    const found = this.find(ctx.params.channel ?? '');
    if (!found) return UNKNOWN_CHANNEL;
    return json(found.kind === 'text' && found.guild ? { ...found.channel, guild_id: found.guild.id } : found.channel);
  }

  /** POST /channels/{id}/messages in a text channel, DM or thread (bot token). */
  postMessage(ctx: ChannelCtx): Reply {
    const found = this.find(ctx.params.channel ?? '');
    if (!found) return UNKNOWN_CHANNEL;
    const issues = checkChannelMessage(ctx.body);
    if (issues.length > 0) return this.host.invalid(ctx, issues);
    if (isEmptyMessage(ctx.body, ctx.files.length)) return this.host.empty(ctx);
    if (this.uploadTooLarge(ctx.files)) return TOO_LARGE;
    const thread = found.kind === 'thread' ? this.threads.get(found.channel.id) : undefined;
    if (found.kind === 'dm') {
      const recipient = [...this.dms].find(([, dm]) => dm.id === found.channel.id)?.[0] ?? '';
      if (this.closedDms.has(recipient)) return DMS_CLOSED;
    } else if (thread) {
      if (!this.botCan(found.guild, PermissionFlagsBits.SendMessagesInThreads)) return MISSING_PERMISSIONS;
      // A private thread is invisible to anyone not in it (the bot has no Manage Threads here).
      if (thread.channel.type === ChannelType.PrivateThread && !thread.members.has(this.host.bot.id)) return MISSING_ACCESS;
    } else if (!this.botCan(found.guild, PermissionFlagsBits.SendMessages)) {
      return MISSING_PERMISSIONS;
    }

    const body = isRecord(ctx.body) ? ctx.body : {};
    const base = makeMessage({ channel_id: found.channel.id, author: this.host.bot });
    const msg: PostedMessage = applyEdit(this.host.messages, base, { ...body, flags: undefined }, ctx.files, false);
    if (typeof body.flags === 'number') msg.flags = body.flags as APIMessage['flags'];
    if (body.allowed_mentions !== undefined) msg.allowed_mentions = body.allowed_mentions;
    this.posted.push(msg);
    if (thread) this.noteThreadMessage(thread, body);
    return json(msg);
  }

  /** Role mentions the request allowed are recorded; that is how a role is pinged into a private thread. */
  private noteThreadMessage(thread: FakeThread, body: Record<string, unknown>): void {
    thread.channel.message_count = (thread.channel.message_count ?? 0) + 1;
    thread.channel.last_message_id = this.posted.at(-1)?.id ?? null;
    const content = typeof body.content === 'string' ? body.content : '';
    const allowed = isRecord(body.allowed_mentions) ? body.allowed_mentions : undefined;
    const parse = Array.isArray(allowed?.parse) ? allowed.parse : allowed ? [] : ['roles'];
    const listed = Array.isArray(allowed?.roles) ? allowed.roles.map(String) : [];
    for (const m of content.matchAll(/<@&(\d+)>/g)) {
      const role = m[1] ?? '';
      if (parse.includes('roles') || listed.includes(role)) thread.mentionedRoles.add(role);
    }
  }

  // ------------------------------------------------------------------ threads

  /** POST /channels/{id}/threads without a starter message (public 11 or private 12). */
  createThread(ctx: ChannelCtx): Reply {
    const found = this.find(ctx.params.channel ?? '');
    if (!found) return UNKNOWN_CHANNEL;
    const issues = checkCreateThread(ctx.body);
    if (issues.length > 0) return this.host.invalid(ctx, issues);
    if (found.kind !== 'text' || found.channel.type !== ChannelType.GuildText) return WRONG_CHANNEL_TYPE;
    const body = ctx.body as { name: string; type?: number | null; auto_archive_duration?: number | null; invitable?: boolean | null };
    // Without a type Discord creates a private thread for this route (documented default).
    const type = (body.type ?? ChannelType.PrivateThread) as ChannelType.PrivateThread | ChannelType.PublicThread;
    const needed = type === ChannelType.PrivateThread ? PermissionFlagsBits.CreatePrivateThreads : PermissionFlagsBits.CreatePublicThreads;
    if (!this.botCan(found.guild, needed)) return MISSING_PERMISSIONS;

    const now = new Date().toISOString();
    const id = snowflake();
    const channel = {
      id,
      type,
      guild_id: found.guild?.id,
      parent_id: found.channel.id,
      owner_id: this.host.bot.id,
      name: body.name,
      last_message_id: null,
      rate_limit_per_user: 0,
      flags: 0,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: (body.auto_archive_duration ?? 4320) as ThreadAutoArchiveDuration,
        archive_timestamp: now,
        locked: false,
        create_timestamp: now,
        ...(type === ChannelType.PrivateThread ? { invitable: body.invitable ?? true } : {}),
      },
    } as unknown as APIThreadChannel;
    const thread: FakeThread = { channel, members: new Map(), mentionedRoles: new Set() };
    thread.members.set(this.host.bot.id, this.member(id, this.host.bot.id));
    this.threads.set(id, thread);
    const member = thread.members.get(this.host.bot.id);
    this.host.dispatch(GatewayDispatchEvents.ThreadCreate, { ...channel, newly_created: true, member });
    return json({ ...channel, member }, 201);
  }

  private member(threadId: string, userId: string): APIThreadMember {
    return { id: threadId, user_id: userId, join_timestamp: new Date().toISOString(), flags: 0 as ThreadMemberFlags };
  }

  /** The thread behind `:channel`, or the error Discord gives for it. */
  private threadOr(ctx: ChannelCtx): FakeThread | Reply {
    const found = this.find(ctx.params.channel ?? '');
    if (!found) return UNKNOWN_CHANNEL;
    return this.threads.get(found.channel.id) ?? WRONG_CHANNEL_TYPE;
  }

  /** PUT /channels/{thread}/thread-members/{user} → 204. */
  addThreadMember(ctx: ChannelCtx): Reply {
    const thread = this.threadOr(ctx);
    if (!('channel' in thread)) return thread;
    const userId = ctx.params.user ?? '';
    if (!this.users.has(userId)) return UNKNOWN_MEMBER;
    if (thread.channel.thread_metadata?.archived) return err(400, 50083, 'Thread is archived');
    if (thread.channel.type === ChannelType.PrivateThread && !thread.members.has(this.host.bot.id)) return MISSING_ACCESS;
    if (!thread.members.has(userId)) {
      thread.members.set(userId, this.member(thread.channel.id, userId));
      thread.channel.member_count = thread.members.size;
    }
    return { status: 204 };
  }

  /** DELETE /channels/{thread}/thread-members/{user} → 204. */
  removeThreadMember(ctx: ChannelCtx): Reply {
    const thread = this.threadOr(ctx);
    if (!('channel' in thread)) return thread;
    if (!thread.members.delete(ctx.params.user ?? '')) return UNKNOWN_MEMBER;
    thread.channel.member_count = thread.members.size;
    return { status: 204 };
  }

  /** GET /channels/{thread}/thread-members[/{user}]: Discord restricts it to apps with the GUILD_MEMBERS intent. */
  getThreadMembers(ctx: ChannelCtx): Reply {
    const thread = this.threadOr(ctx);
    if (!('channel' in thread)) return thread;
    if (!this.host.guildMembersIntent) return MISSING_ACCESS;
    if (ctx.params.user !== undefined) {
      const m = thread.members.get(ctx.params.user);
      return m ? json(m) : UNKNOWN_MEMBER;
    }
    return json([...thread.members.values()]);
  }
}

// What the bot says on its own (not as an answer to an interaction): DMs, posts in the office channel,
// private threads. Each transport supplies one Outbox (REST with the bot token: src/discord/outbox.ts; the
// console prints). The one rule for telling a person something lives here too (Messenger.tell): a DM
// first; DMs closed → a ping in the office channel, logged and audited; no office channel → one warning
// per person per day.
import type {
  APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed, RESTPostAPIChannelMessageJSONBody,
} from 'discord-api-types/v10';
import { fitEmbed, type OutFile } from '../interactions/reply.ts';
import { clip } from '../interactions/text.ts';
import type { Logger } from '../log.ts';
import { auditRow, type Actor, type GuildDirectory } from '../store/directory.ts';

export type OutMessage = RESTPostAPIChannelMessageJSONBody;

/** The bot's and (when asked) a role's permission bits in a channel, as Discord computes them. */
export interface ChannelPermissions { bot: bigint; role?: bigint }

export interface Outbox {
  /** Sends a DM; false when the user does not take DMs from the bot (Discord's 50007). */
  dm(userId: string, body: OutMessage, files?: OutFile[]): Promise<boolean>;
  post(channelId: string, body: OutMessage, files?: OutFile[]): Promise<void>;
  /** Opens a private thread (invitable: false) in a text channel; its id. */
  privateThread(channelId: string, name: string): Promise<string>;
  addThreadMember(threadId: string, userId: string): Promise<void>;
  /** Permissions in a channel, where the transport can see them (undefined: channel unknown to it). */
  permissions?(guildId: string, channelId: string, roleId?: string): Promise<ChannelPermissions | undefined>;
}

/** A message the bot posts: only the users and roles named may be pinged; embeds cut to Discord's limits. */
export function outMessage(spec: {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
  users?: readonly string[];
  roles?: readonly string[];
}): OutMessage {
  return {
    ...(spec.content ? { content: clip(spec.content) } : {}),
    embeds: (spec.embeds ?? []).map(fitEmbed),
    components: spec.components ?? [],
    allowed_mentions: { parse: [], users: [...new Set(spec.users ?? [])], roles: [...new Set(spec.roles ?? [])] },
  };
}

/** How a person was told something: by DM, by a ping in the office channel, or not at all. */
export type Told = 'dm' | 'office' | 'none';

/** Discord's code for "Cannot send messages to this user" (DMs closed, or the bot blocked). */
export const DMS_CLOSED = 50007;

/** The actor of what the bot does by itself (audited as such). */
export const SYSTEM: Actor = { id: 'system', name: 'Liaison' };

export interface TellOptions {
  /** What is being said, for the log and the audit ("review reminder N-0001"). */
  what: string;
  /** The office-channel post when DMs are closed; default: the DM's own message with the person mentioned first. */
  fallback?: OutMessage;
  files?: OutFile[];
  /** The entry it is about (audit). */
  entry?: { type: 'need' | 'capability'; id: string };
}

/** The same message as a ping in a channel: the person mentioned first, nobody else pingable. */
export function asPing(userId: string, body: OutMessage): OutMessage {
  return { ...body, content: clip(`<@${userId}> ${body.content ?? ''}`.trim()), allowed_mentions: { parse: [], users: [userId], roles: [] } };
}

const closedDms = (err: unknown) => (err as { code?: unknown } | null)?.code === DMS_CLOSED;

export class Messenger {
  /** guild:user → the UTC day a "no office channel" warning was logged (one a day per person). */
  private readonly warned = new Map<string, string>();

  constructor(private readonly log: Logger, private readonly now: () => Date = () => new Date()) {}

  /** Tells a member something: DM first; if their DMs are closed (or the DM fails), a ping in the office channel. */
  async tell(outbox: Outbox | undefined, dir: GuildDirectory, userId: string, body: OutMessage, opts: TellOptions): Promise<Told> {
    if (!outbox) return 'none';
    let why = 'dms-closed';
    try {
      if (await outbox.dm(userId, body, opts.files)) return 'dm';
    } catch (err) {
      if (!closedDms(err)) {
        why = 'dm-failed';
        this.log.warn('DM failed', { err, guild: dir.guildId, user: userId, what: opts.what });
      }
    }
    const office = (await dir.getConfig()).officeChannel;
    if (!office) {
      this.warnOnce(dir.guildId, userId, opts.what, why);
      return 'none';
    }
    try {
      await outbox.post(office, opts.fallback ?? asPing(userId, body), opts.files);
    } catch (err) {
      this.log.warn('office channel post failed', { err, guild: dir.guildId, channel: office, user: userId, what: opts.what });
      return 'none';
    }
    this.log.info('DM fell back to the office channel', { guild: dir.guildId, user: userId, channel: office, what: opts.what, why });
    await dir.store.tx(async (t) => {
      await t.insertInto('audit').values(auditRow(dir.guildId, this.now().toISOString(), SYSTEM, 'notify', {
        summary: `${opts.what}: DM to ${userId} not possible (${why}), posted in office channel ${office}`,
        ...(opts.entry ?? {}),
      })).execute();
    }).catch((err: unknown) => this.log.warn('fallback audit not written', { err, guild: dir.guildId }));
    return 'office';
  }

  private warnOnce(guildId: string, userId: string, what: string, why: string): void {
    const key = `${guildId}:${userId}`;
    const day = this.now().toISOString().slice(0, 10);
    if (this.warned.get(key) === day) return;
    this.warned.set(key, day);
    this.log.warn('DM not possible and no office channel set: not delivered', { guild: guildId, user: userId, what, why });
  }
}

// What the bot says on its own (not as an answer to an interaction): DMs, posts in the office channel,
// private threads. Each transport supplies an Outbox (REST with the bot token; the console prints).
import type {
  APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed, RESTPostAPIChannelMessageJSONBody,
} from 'discord-api-types/v10';
import { fitEmbed } from '../interactions/reply.ts';
import { clip } from '../interactions/text.ts';

export type OutMessage = RESTPostAPIChannelMessageJSONBody;

export interface Outbox {
  /** Sends a DM; false when the user does not take DMs from the bot (Discord's 50007). */
  dm(userId: string, body: OutMessage): Promise<boolean>;
  post(channelId: string, body: OutMessage): Promise<void>;
  /** Opens a private thread (invitable: false) in a text channel; its id. */
  privateThread(channelId: string, name: string): Promise<string>;
  addThreadMember(threadId: string, userId: string): Promise<void>;
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

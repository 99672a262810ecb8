// The bot's own messages outside interactions: DMs (reminders, watch news) and channel posts (the
// weekly digest). Each transport supplies one; the console prints them.
import type { RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import type { OutFile } from '../interactions/reply.ts';

export interface Outbox {
  /** Opens (or reuses) the DM channel and posts there; rejects with Discord's 50007 when DMs are closed. */
  dm(userId: string, body: RESTPostAPIChannelMessageJSONBody): Promise<void>;
  post(channelId: string, body: RESTPostAPIChannelMessageJSONBody, files?: OutFile[]): Promise<void>;
}

/** Discord's REST calls for an Outbox (POST /users/@me/channels, POST /channels/{id}/messages). */
export interface RestLike {
  post(route: `/${string}`, opts: { body?: unknown; files?: { name: string; data: Buffer; contentType?: string }[] }): Promise<unknown>;
}

export function restOutbox(rest: RestLike): Outbox {
  const post = async (channelId: string, body: RESTPostAPIChannelMessageJSONBody, files?: OutFile[]) => {
    const withFiles = files?.length
      ? { ...body, attachments: files.map((f, i) => ({ id: i, filename: f.name, ...(f.description ? { description: f.description } : {}) })) }
      : body;
    await rest.post(`/channels/${channelId}/messages`, {
      body: withFiles,
      ...(files?.length ? { files: files.map((f) => ({ name: f.name, data: f.data, ...(f.contentType ? { contentType: f.contentType } : {}) })) } : {}),
    });
  };
  return {
    async dm(userId, body) {
      const channel = (await rest.post('/users/@me/channels', { body: { recipient_id: userId } })) as { id: string };
      await post(channel.id, body);
    },
    post,
  };
}

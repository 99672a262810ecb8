// The Outbox over Discord's REST API with the bot token (gateway and HTTP transports).
import { DiscordAPIError, type REST } from 'discord.js';
import { ChannelType, Routes, ThreadAutoArchiveDuration } from 'discord-api-types/v10';
import type { OutFile } from '../interactions/reply.ts';
import { DMS_CLOSED, type Outbox, type OutMessage } from '../office/outbox.ts';

/** POST /channels/{id}/messages, with files as multipart attachments when there are any. */
async function send(rest: REST, channelId: string, body: OutMessage, files?: OutFile[]): Promise<void> {
  if (!files?.length) {
    await rest.post(Routes.channelMessages(channelId), { body });
    return;
  }
  const attachments = files.map((f, i) => ({ id: i, filename: f.name, ...(f.description ? { description: f.description } : {}) }));
  await rest.post(Routes.channelMessages(channelId), {
    body: { ...body, attachments },
    files: files.map((f) => ({ name: f.name, data: f.data, ...(f.contentType ? { contentType: f.contentType } : {}) })),
  });
}

export function restOutbox(rest: REST, extra: Pick<Outbox, 'permissions'> = {}): Outbox {
  const dmChannels = new Map<string, string>();
  return {
    async dm(userId, body, files) {
      try {
        let channel = dmChannels.get(userId);
        if (!channel) {
          channel = ((await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string }).id;
          dmChannels.set(userId, channel);
        }
        await send(rest, channel, body, files);
        return true;
      } catch (err) {
        if (err instanceof DiscordAPIError && err.code === DMS_CLOSED) return false;
        throw err;
      }
    },
    post: (channelId, body, files) => send(rest, channelId, body, files),
    async privateThread(channelId, name) {
      const body = { name: name.slice(0, 100), type: ChannelType.PrivateThread, invitable: false, auto_archive_duration: ThreadAutoArchiveDuration.OneWeek };
      return ((await rest.post(Routes.threads(channelId), { body })) as { id: string }).id;
    },
    async addThreadMember(threadId, userId) {
      await rest.put(Routes.threadMembers(threadId, userId));
    },
    ...extra,
  };
}

// The Outbox over Discord's REST API with the bot token (gateway and HTTP transports).
import { DiscordAPIError, type REST } from 'discord.js';
import { ChannelType, Routes, ThreadAutoArchiveDuration } from 'discord-api-types/v10';
import type { Outbox } from '../intro/outbox.ts';

/** Discord's code for "Cannot send messages to this user" (DMs closed, or the bot blocked). */
const DMS_CLOSED = 50007;

export function restOutbox(rest: REST): Outbox {
  const dmChannels = new Map<string, string>();
  return {
    async dm(userId, body) {
      try {
        let channel = dmChannels.get(userId);
        if (!channel) {
          channel = ((await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string }).id;
          dmChannels.set(userId, channel);
        }
        await rest.post(Routes.channelMessages(channel), { body });
        return true;
      } catch (err) {
        if (err instanceof DiscordAPIError && err.code === DMS_CLOSED) return false;
        throw err;
      }
    },
    async post(channelId, body) {
      await rest.post(Routes.channelMessages(channelId), { body });
    },
    async privateThread(channelId, name) {
      const body = { name: name.slice(0, 100), type: ChannelType.PrivateThread, invitable: false, auto_archive_duration: ThreadAutoArchiveDuration.OneWeek };
      return ((await rest.post(Routes.threads(channelId), { body })) as { id: string }).id;
    },
    async addThreadMember(threadId, userId) {
      await rest.put(Routes.threadMembers(threadId, userId));
    },
  };
}

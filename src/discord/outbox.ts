// The Outbox over Discord's REST API with the bot token (gateway and HTTP transports).
import { DiscordAPIError, type Client, type REST } from 'discord.js';
import { ChannelType, Routes, ThreadAutoArchiveDuration, type APIGuildMember, type APIRole, type APIUser } from 'discord-api-types/v10';
import type { OutFile } from '../interactions/reply.ts';
import { DMS_CLOSED, type Outbox, type OutMessage } from '../office/outbox.ts';
import { channelBits, type Overwrite } from '../office/permissions.ts';

type Permissions = NonNullable<Outbox['permissions']>;

/** Under the gateway: discord.js's cache (the Guilds intent delivers channels, overwrites, roles and the bot's member). */
export function cachePermissions(client: Client): Permissions {
  return async (guildId, channelId, roleId) => {
    const guild = client.guilds.cache.get(guildId);
    const channel = guild?.channels.cache.get(channelId);
    const me = guild?.members.me;
    if (!guild || !channel || !me || channel.isThread()) return undefined;
    const bot = channel.permissionsFor(me).bitfield;
    if (!roleId || !guild.roles.cache.has(roleId)) return { bot };
    // Someone holding only the role (and @everyone): the same arithmetic as over REST, on the cached data.
    const roles = guild.roles.cache.map((r) => ({ id: r.id, permissions: String(r.permissions.bitfield) }));
    const overwrites = channel.permissionOverwrites.cache.map((o) => ({ id: o.id, type: o.type, allow: String(o.allow.bitfield), deny: String(o.deny.bitfield) }));
    return { bot, role: channelBits(guildId, roles, [roleId], overwrites) };
  };
}

/** Under the HTTP endpoint: GET the channel (its overwrites), the guild's roles and the bot's member. */
export function restPermissions(rest: REST): Permissions {
  let botId: string | undefined;
  return async (guildId, channelId, roleId) => {
    botId ??= ((await rest.get(Routes.user())) as APIUser).id;
    let channel: { guild_id?: string; type: number; permission_overwrites?: Overwrite[] };
    try {
      channel = (await rest.get(Routes.channel(channelId))) as typeof channel;
    } catch (err) {
      if (err instanceof DiscordAPIError && err.status === 403) return { bot: 0n }; // it cannot even see the channel
      if (err instanceof DiscordAPIError && err.status === 404) return undefined;
      throw err;
    }
    if (channel.guild_id !== guildId || channel.type !== ChannelType.GuildText) return undefined;
    const roles = (await rest.get(Routes.guildRoles(guildId))) as APIRole[];
    const member = (await rest.get(Routes.guildMember(guildId, botId))) as APIGuildMember;
    const overwrites = channel.permission_overwrites ?? [];
    return {
      bot: channelBits(guildId, roles, member.roles, overwrites, botId),
      ...(roleId && roles.some((r) => r.id === roleId) ? { role: channelBits(guildId, roles, [roleId], overwrites) } : {}),
    };
  };
}

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

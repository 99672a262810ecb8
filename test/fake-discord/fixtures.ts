// Plausible Discord objects (typed with discord-api-types) used by the fake.
import {
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildHubType,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  MessageType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import type {
  APIApplication,
  APIAttachment,
  APIGuildTextChannel,
  APIMessage,
  APIOverwrite,
  APIRole,
  APIUser,
  ApplicationFlags,
  ChannelFlags,
  GatewayGuildCreateDispatchData,
  GuildMemberFlags,
  MessageFlags,
  RoleFlags,
  UserFlags,
} from 'discord-api-types/v10';

const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;

/** A fresh snowflake whose timestamp part is `at` (so discord.js createdTimestamp is sane). */
export function snowflake(at = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

export const DEFAULT_APP_ID = '1100000000000000001';
export const DEFAULT_GUILD_ID = '1100000000000000100';
export const DEFAULT_CHANNEL_ID = '1100000000000000101';
export const DEFAULT_OWNER_ID = '1100000000000000200';
export const DEFAULT_USER_ID = '1100000000000000300';

const perms = (...bits: bigint[]): string => bits.reduce((a, b) => a | b, 0n).toString();

/** What @everyone gets on a fresh server (no moderation rights). */
export const EVERYONE_PERMISSIONS = perms(
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.ReadMessageHistory,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.AttachFiles,
  PermissionFlagsBits.AddReactions,
  PermissionFlagsBits.UseApplicationCommands,
  PermissionFlagsBits.CreateInstantInvite,
  PermissionFlagsBits.ChangeNickname,
);

/** What the bot's managed role gets (what an invite link with those scopes would grant). */
export const BOT_PERMISSIONS = perms(
  BigInt(EVERYONE_PERMISSIONS),
  PermissionFlagsBits.SendMessagesInThreads,
  PermissionFlagsBits.CreatePublicThreads,
  PermissionFlagsBits.CreatePrivateThreads,
  PermissionFlagsBits.ManageMessages,
);

export function makeUser(partial: Partial<APIUser> & { id: string }): APIUser {
  const username = partial.username ?? `user${partial.id.slice(-4)}`;
  return {
    username,
    discriminator: '0',
    global_name: partial.bot ? null : username,
    avatar: null,
    public_flags: 0 as UserFlags,
    flags: 0 as UserFlags,
    primary_guild: null,
    collectibles: null,
    avatar_decoration_data: null,
    ...partial,
  };
}

export function makeBotUser(appId: string, name: string): APIUser {
  return makeUser({ id: appId, username: name, bot: true, verified: true, mfa_enabled: false });
}

export function makeApplication(bot: APIUser, owner: APIUser): APIApplication {
  return {
    id: bot.id,
    name: bot.username,
    icon: null,
    description: '',
    summary: '',
    bot_public: false,
    bot_require_code_grant: false,
    bot,
    owner,
    verify_key: '0'.repeat(64),
    team: null,
    flags: 0 as ApplicationFlags,
    flags_new: '0',
    integration_types_config: { 0: {} },
  };
}

export interface FakeGuildConfig {
  id?: string;
  name?: string;
  ownerId?: string;
  channelId?: string;
  channelName?: string;
  locale?: Locale;
  /** The bot's managed role permissions (default BOT_PERMISSIONS), e.g. '0' to test a bot missing a grant. */
  botPermissions?: string;
  /** Extra roles (besides @everyone and the bot's managed role). */
  roles?: Partial<APIRole>[];
  /** Permission overwrites of the guild's text channel (e.g. @everyone denied Create Private Threads there). */
  channelOverwrites?: APIOverwrite[];
}

function makeRole(partial: Partial<APIRole> & { id: string; name: string }): APIRole {
  return {
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: 0,
    permissions: '0',
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
    ...partial,
  };
}

export function makeTextChannel(id: string, name: string, guildId?: string): APIGuildTextChannel<ChannelType.GuildText> {
  return {
    id,
    type: ChannelType.GuildText,
    name,
    position: 0,
    permission_overwrites: [],
    parent_id: null,
    topic: null,
    nsfw: false,
    last_message_id: null,
    last_pin_timestamp: null,
    rate_limit_per_user: 0,
    default_thread_rate_limit_per_user: 0,
    flags: 0 as ChannelFlags,
    ...(guildId ? { guild_id: guildId } : {}),
  };
}

/** A GUILD_CREATE payload as Discord sends it to a bot without the privileged GUILD_MEMBERS intent. */
export function makeGuildCreate(cfg: FakeGuildConfig, bot: APIUser, index: number): GatewayGuildCreateDispatchData {
  const id = cfg.id ?? (index === 0 ? DEFAULT_GUILD_ID : snowflake());
  const channelId = cfg.channelId ?? (index === 0 ? DEFAULT_CHANNEL_ID : snowflake());
  const botRoleId = snowflake();
  const joinedAt = new Date(Date.now() - 86_400_000).toISOString();
  const roles = [
    makeRole({ id, name: '@everyone', permissions: EVERYONE_PERMISSIONS }),
    makeRole({ id: botRoleId, name: bot.username, position: 1, permissions: cfg.botPermissions ?? BOT_PERMISSIONS, managed: true, tags: { bot_id: bot.id } }),
    ...(cfg.roles ?? []).map((r, i) => makeRole({ id: snowflake(), name: `role${i}`, position: 2 + i, ...r })),
  ];
  return {
    id,
    name: cfg.name ?? 'Liaison Test Server',
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: cfg.ownerId ?? DEFAULT_OWNER_ID,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.Low,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.AllMembers,
    mfa_level: GuildMFALevel.None,
    nsfw_level: GuildNSFWLevel.Default,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: cfg.locale ?? Locale.EnglishUS,
    features: [],
    roles,
    emojis: [],
    stickers: [],
    application_id: null,
    system_channel_id: channelId,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotificationReplies,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    hub_type: null satisfies GuildHubType | null,
    incidents_data: null,
    max_members: 500000,
    max_video_channel_users: 25,
    joined_at: joinedAt,
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    // Discord always includes the bot's own member, even without the GUILD_MEMBERS intent.
    members: [{ user: bot, roles: [botRoleId], joined_at: joinedAt, deaf: false, mute: false, flags: 0 as GuildMemberFlags, nick: null, avatar: null, premium_since: null, pending: false, communication_disabled_until: null }],
    channels: [{ ...makeTextChannel(channelId, cfg.channelName ?? 'general'), permission_overwrites: cfg.channelOverwrites ?? [] }],
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function makeMessage(partial: Partial<APIMessage> & { channel_id: string; author: APIUser }): APIMessage {
  return {
    id: snowflake(),
    content: '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    components: [],
    pinned: false,
    type: MessageType.Default,
    flags: 0 as MessageFlags,
    ...partial,
  };
}

const MIME: Record<string, string> = {
  txt: 'text/plain; charset=utf-8', md: 'text/markdown; charset=utf-8', csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8', pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg',
  jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', zip: 'application/zip',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export function guessContentType(filename: string): string | undefined {
  const ext = filename.split('.').pop()?.toLowerCase() ?? '';
  return MIME[ext];
}

/** CDN-style attachment object; real Discord URLs carry signed `ex/is/hm` query parameters too. */
export function makeAttachment(base: string, channelId: string, filename: string, size: number, contentType?: string, id = snowflake()): APIAttachment {
  const now = Math.floor(Date.now() / 1000);
  const sig = `?ex=${(now + 86_400).toString(16)}&is=${now.toString(16)}&hm=${'ab'.repeat(32)}&`;
  const path = `/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
  return {
    id,
    filename,
    size,
    url: `${base}${path}${sig}`,
    proxy_url: `${base}${path}${sig}`,
    ...(contentType ? { content_type: contentType } : {}),
  };
}

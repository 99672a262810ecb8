import { SlashCommandChannelOption, SlashCommandRoleOption, SlashCommandSubcommandGroupBuilder } from '@discordjs/builders';
import { ChannelType } from 'discord-api-types/v10';
import { UserError } from '../src/domain/errors.ts';
import type { CommandCtx } from '../src/interactions/command.ts';
import { choice, command, describe, int, str, sub } from '../src/interactions/builders.ts';
import { CARRIER_KINDS, CARRIER_LEVELS, REVIEW } from '../src/domain/collaboration.ts';
import { officeConfig } from '../src/office/config.ts';
import { PERMISSIONS } from '../src/interactions/limits.ts';
import { message, type Reply } from '../src/interactions/reply.ts';
import { joinList, type MessageKey } from '../src/i18n/index.ts';

const role = () => describe(new SlashCommandRoleOption().setName('role'), 'cmd.config.role').setRequired(true);

export const data = command('config', 'cmd.config', { curatorOnly: true }).addSubcommandGroup(
  describe(new SlashCommandSubcommandGroupBuilder().setName('curator-role'), 'cmd.config.curator')
    .addSubcommand(sub('add', 'cmd.config.curator.add').addRoleOption(role()))
    .addSubcommand(sub('remove', 'cmd.config.curator.remove').addRoleOption(role()))
    .addSubcommand(sub('list', 'cmd.config.curator.list')),
)
  // introductions: where threads open and who brokers them (no option: show the current setting)
  .addSubcommand(sub('office-channel', 'cmd.config.office').addChannelOption(
    describe(new SlashCommandChannelOption().setName('channel'), 'cmd.config.officeChannel').addChannelTypes(ChannelType.GuildText),
  ))
  .addSubcommand(sub('broker-role', 'cmd.config.broker').addRoleOption(describe(new SlashCommandRoleOption().setName('role'), 'cmd.config.brokerRole')))
  // feedback and report (issue 11)
  .addSubcommand(sub('review-days', 'cmd.config.reviewDays').addIntegerOption(int('days', 'cmd.config.days', REVIEW.minDays, REVIEW.maxDays).setRequired(true)))
  .addSubcommand(sub('target', 'cmd.config.target')
    .addStringOption(str('kind', 'cmd.config.targetKind', true).addChoices(...CARRIER_KINDS.map((k) => choice(`kind.${k}`, k))))
    .addIntegerOption(int('count', 'cmd.config.targetCount', 0, 10_000).setRequired(true))
    .addStringOption(str('level', 'cmd.config.targetLevel').addChoices(...CARRIER_LEVELS.map((l) => choice(`level.${l}`, l)))))
  .addSubcommand(sub('targets', 'cmd.config.targets'))
  .addSubcommand(sub('digest', 'cmd.config.digest')
    .addStringOption(str('state', 'cmd.config.digestOn', true).addChoices(choice('choice.on', 'on'), choice('choice.off', 'off'))));

const mention = (id: string) => `<@&${id}>`;

function requireAdmin(ctx: CommandCtx): void {
  // Curators may not appoint curators or move the office: only Manage Server / Administrator.
  const perms = BigInt(ctx.interaction.member?.permissions ?? '0');
  if ((perms & (PERMISSIONS.manageGuild | PERMISSIONS.administrator)) === 0n) throw new UserError('error.adminOnly');
}

export async function execute(ctx: CommandCtx): Promise<Reply> {
  const o = ctx.options;
  if (o.subcommand === 'office-channel' || o.subcommand === 'broker-role') return officeSetting(ctx)
  if (!o.group && o.subcommand) {
    const office = await officeConfig(ctx, o.subcommand);
    if (office) return office;
  }
  if (o.subcommand === 'list') {
    const current = await ctx.dir.getConfig();
    const text = current.curatorRoles.length ? ctx.t('config.roles', { roles: current.curatorRoles.map(mention).join(', ') }) : ctx.t('config.noRoles');
    return message({ content: text, ephemeral: true });
  }
  requireAdmin(ctx);
  const id = o.role('role');
  if (!id) throw new UserError('error.roleMissing');
  // One statement each (no read-modify-write): concurrent adds all stay.
  if (o.subcommand === 'add') await ctx.dir.addCuratorRole(id, ctx.user);
  else await ctx.dir.removeCuratorRole(id, ctx.user);
  return message({ content: ctx.t(o.subcommand === 'add' ? 'config.added' : 'config.removed', { role: mention(id) }), ephemeral: true });
}

async function officeSetting(ctx: CommandCtx): Promise<Reply> {
  const o = ctx.options;
  const office = o.subcommand === 'office-channel';
  const value = office ? o.channel('channel') : o.has('role') ? { id: o.role('role') ?? '' } : undefined;
  if (!value) {
    await ctx.requireCurator();
    const current = await ctx.dir.getConfig();
    const set = office ? current.officeChannel : current.brokerRole;
    const shown = set ? (office ? `<#${set}>` : mention(set)) : ctx.t('config.notSet');
    return message({ content: ctx.t(office ? 'config.officeIs' : 'config.brokerIs', { value: shown }), ephemeral: true });
  }
  requireAdmin(ctx);
  if (!value.id) throw new UserError('error.roleMissing');
  if (office && value.type !== undefined && value.type !== ChannelType.GuildText) throw new UserError('error.officeNotText');
  const warning = await officeCheck(ctx, office, value.id);
  await ctx.dir.setSetting(office ? 'officeChannel' : 'brokerRole', value.id, ctx.user);
  const done = office ? ctx.t('config.officeSet', { channel: `<#${value.id}>` }) : ctx.t('config.brokerSet', { role: mention(value.id) });
  return message({ content: warning ? `${done}\n⚠️ ${warning}` : done, ephemeral: true });
}

/**
 * Through the transport's own view of Discord (cache or REST): an office channel where the bot cannot
 * open and post in private threads is refused; a broker role that would not see them is a warning.
 */
async function officeCheck(ctx: CommandCtx, office: boolean, id: string): Promise<string | undefined> {
  const current = await ctx.dir.getConfig();
  const channel = office ? id : current.officeChannel;
  const role = office ? current.brokerRole : id;
  if (!channel) return undefined;
  const access = await ctx.services.intros.officeAccess(ctx.guildId, channel, role);
  if (!access.checked) return undefined; // the console, or HTTP without a bot token: nothing to ask
  const list = (keys: readonly MessageKey[]) => joinList(keys.map((k) => ctx.t(k)), ctx.locale);
  if (!access.found) {
    if (office) throw new UserError('error.officeUnknown', { channel: `<#${channel}>` });
    return undefined;
  }
  if (office && access.bot.length) throw new UserError('error.officeBotPerms', { channel: `<#${channel}>`, missing: list(access.bot) });
  if (role && access.role?.length) return ctx.t('config.brokerCannotSee', { role: mention(role), channel: `<#${channel}>`, missing: list(access.role) });
  return undefined;
}

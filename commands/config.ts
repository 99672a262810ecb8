import { SlashCommandRoleOption, SlashCommandSubcommandGroupBuilder } from '@discordjs/builders';
import { UserError } from '../src/domain/errors.ts';
import type { CommandCtx } from '../src/interactions/command.ts';
import { command, describe, sub } from '../src/interactions/builders.ts';
import { PERMISSIONS } from '../src/interactions/limits.ts';
import { message, type Reply } from '../src/interactions/reply.ts';

const role = () => describe(new SlashCommandRoleOption().setName('role'), 'cmd.config.role').setRequired(true);

export const data = command('config', 'cmd.config', { curatorOnly: true }).addSubcommandGroup(
  describe(new SlashCommandSubcommandGroupBuilder().setName('curator-role'), 'cmd.config.curator')
    .addSubcommand(sub('add', 'cmd.config.curator.add').addRoleOption(role()))
    .addSubcommand(sub('remove', 'cmd.config.curator.remove').addRoleOption(role()))
    .addSubcommand(sub('list', 'cmd.config.curator.list')),
);

const mention = (id: string) => `<@&${id}>`;

export async function execute(ctx: CommandCtx): Promise<Reply> {
  const o = ctx.options;
  if (o.subcommand === 'list') {
    const current = await ctx.dir.getConfig();
    const text = current.curatorRoles.length ? ctx.t('config.roles', { roles: current.curatorRoles.map(mention).join(', ') }) : ctx.t('config.noRoles');
    return message({ content: text, ephemeral: true });
  }
  // Curators may not appoint curators: only Manage Server / Administrator.
  const perms = BigInt(ctx.interaction.member?.permissions ?? '0');
  if ((perms & (PERMISSIONS.manageGuild | PERMISSIONS.administrator)) === 0n) throw new UserError('error.adminOnly');
  const id = o.role('role');
  if (!id) throw new UserError('error.roleMissing');
  // One statement each (no read-modify-write): concurrent adds all stay.
  if (o.subcommand === 'add') await ctx.dir.addCuratorRole(id, ctx.user);
  else await ctx.dir.removeCuratorRole(id, ctx.user);
  return message({ content: ctx.t(o.subcommand === 'add' ? 'config.added' : 'config.removed', { role: mention(id) }), ephemeral: true });
}

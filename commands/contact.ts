import { SlashCommandUserOption } from '@discordjs/builders';
import { UserError } from '../src/domain/errors.ts';
import type { CommandCtx } from '../src/interactions/command.ts';
import { command, describe, str, sub } from '../src/interactions/builders.ts';
import { message, type Reply } from '../src/interactions/reply.ts';
import { FIELD_LIMITS } from '../src/domain/limits.ts';
import { maySeeContacts, people, resolveAny } from '../src/intro/resolve.ts';
import { contactLines } from '../src/intro/views.ts';

const id = () => str('id', 'cmd.opt.anyId', true, FIELD_LIMITS.id);
const user = (required = true) => describe(new SlashCommandUserOption().setName('user'), 'cmd.contact.user').setRequired(required);

export const data = command('contact', 'cmd.contact')
  .addSubcommand(sub('add', 'cmd.contact.add').addStringOption(id()).addUserOption(user()))
  .addSubcommand(sub('remove', 'cmd.contact.remove').addStringOption(id()).addUserOption(user()))
  .addSubcommand(sub('claim', 'cmd.contact.claim').addStringOption(id()))
  .addSubcommand(sub('confirm', 'cmd.contact.confirm').addStringOption(id()).addUserOption(user()))
  .addSubcommand(sub('list', 'cmd.contact.list').addStringOption(str('id', 'cmd.opt.anyId', false, FIELD_LIMITS.id)));

export async function execute(ctx: CommandCtx): Promise<Reply> {
  const o = ctx.options;
  const p = people(ctx);
  if (o.subcommand === 'list' && !o.has('id')) {
    // Curators: claims waiting for them; members: the entries they stand behind.
    const list = (await ctx.isCurator()) ? await p.pendingClaims() : await p.contactsOf(ctx.user.id);
    const title = ctx.t((await ctx.isCurator()) ? 'contact.claimsTitle' : 'contact.mineTitle');
    return message({ content: `**${title}**\n${list.length ? contactLines(ctx, list, true).join('\n') : ctx.t('contact.none')}`, ephemeral: true });
  }
  const { type, entry } = await resolveAny(ctx, o.requiredString('id'));
  switch (o.subcommand) {
    case 'list': {
      if (!(await maySeeContacts(ctx, type, entry.id))) throw new UserError('error.contactsHidden');
      const list = await p.contacts(type, entry.id);
      return message({ content: `**${ctx.t('contact.listTitle', { id: entry.id, title: entry.title })}**\n${list.length ? contactLines(ctx, list, false).join('\n') : ctx.t('contact.none')}`, ephemeral: true });
    }
    case 'claim': {
      const r = await p.setContact(type, entry.id, ctx.user.id, ctx.user, false);
      return message({ content: ctx.t(r === 'unchanged' ? 'contact.alreadyClaimed' : 'contact.claimed', { id: entry.id }), ephemeral: true });
    }
    case 'add':
    case 'confirm': {
      await ctx.requireCurator();
      const who = o.user('user');
      if (!who) throw new UserError('error.userMissing');
      if (o.subcommand === 'confirm' && !(await p.contacts(type, entry.id)).some((c) => c.userId === who)) throw new UserError('error.noClaim', { user: `<@${who}>`, id: entry.id });
      const r = await p.setContact(type, entry.id, who, ctx.user, true);
      return message({ content: ctx.t(r === 'unchanged' ? 'contact.unchanged' : 'contact.set', { user: `<@${who}>`, id: entry.id }), ephemeral: true });
    }
    case 'remove': {
      await ctx.requireCurator();
      const who = o.user('user');
      if (!who) throw new UserError('error.userMissing');
      const removed = await p.removeContact(type, entry.id, who, ctx.user);
      return message({ content: ctx.t(removed ? 'contact.removed' : 'contact.notContact', { user: `<@${who}>`, id: entry.id }), ephemeral: true });
    }
    default:
      throw new UserError('error.unknownCommand', { name: `contact ${o.subcommand ?? ''}` });
  }
}

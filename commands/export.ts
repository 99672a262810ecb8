import { serializeDataset } from '../src/domain/dataset.ts';
import { UserError } from '../src/domain/errors.ts';
import { DISCORD_LIMITS } from '../src/interactions/limits.ts';

const DEFAULT_UPLOAD_LIMIT = DISCORD_LIMITS.uploadBytes;
import type { CommandCtx } from '../src/interactions/command.ts';
import { choice, command, describe, str } from '../src/interactions/builders.ts';
import { message, type Reply } from '../src/interactions/reply.ts';
import { SlashCommandBooleanOption } from '@discordjs/builders';

export const data = command('export', 'cmd.export')
  .addBooleanOption(describe(new SlashCommandBooleanOption().setName('include-closed'), 'cmd.export.closed'))
  // Cards show an entry's contact field only to curators; the file does the same unless a curator asks.
  .addStringOption(str('contacts', 'cmd.export.contacts').addChoices(choice('choice.omit', 'omit'), choice('choice.include', 'include')));

const withoutContact = <T extends { contact?: string }>({ contact: _c, ...rest }: T): Omit<T, 'contact'> => rest;

export async function execute(ctx: CommandCtx): Promise<Reply> {
  const contacts = ctx.options.string('contacts') ?? 'omit';
  // A choice in Discord; checked again here (a raw interaction can carry anything).
  if (contacts !== 'omit' && contacts !== 'include') throw new UserError('error.exportContacts', { value: contacts });
  if (contacts === 'include') await ctx.requireCurator();
  const full = await ctx.dir.exportDataset({ includeClosed: ctx.options.boolean('include-closed') ?? false });
  const dataset = contacts === 'include' ? full : { ...full, needs: full.needs.map(withoutContact), capabilities: full.capabilities.map(withoutContact) };
  const date = new Date().toISOString().slice(0, 10);
  const data = Buffer.from(serializeDataset(dataset));
  // Discord refuses files over the server's upload limit (it tells us, per interaction).
  const limit = Number((ctx.interaction as { attachment_size_limit?: number }).attachment_size_limit ?? DEFAULT_UPLOAD_LIMIT);
  if (data.length > limit) throw new UserError('error.exportTooLarge', { size: data.length, max: limit });
  return message({
    content: `${ctx.t('export.done', { needs: dataset.needs.length, capabilities: dataset.capabilities.length })}\n${ctx.t(contacts === 'include' ? 'export.contactsIncluded' : 'export.contactsOmitted')}`,
    files: [{ name: `liaison-${ctx.guildId}-${date}.json`, data, contentType: 'application/json' }],
    ephemeral: true,
  });
}

import { UserError } from '../src/domain/errors.ts';
import type { EntryType } from '../src/domain/entry.ts';
import type { CommandCtx, ModalCtx } from '../src/interactions/command.ts';
import { command, sub } from '../src/interactions/builders.ts';
import { message, type Reply } from '../src/interactions/reply.ts';
import { entryModal, fieldOptions, formFields, optionFields, validFields } from '../src/views/entry-command.ts';
import { people } from '../src/intro/resolve.ts';
import { submitted, mySubmissions } from '../src/intro/review.ts';

export const data = command('submit', 'cmd.submit')
  .addSubcommand(fieldOptions('need', sub('need', 'cmd.submit.need'), false, false))
  .addSubcommand(fieldOptions('capability', sub('capability', 'cmd.submit.capability'), false, false))
  .addSubcommand(sub('mine', 'cmd.submit.mine'));

export async function execute(ctx: CommandCtx): Promise<Reply> {
  const o = ctx.options;
  if (o.subcommand === 'mine') return mySubmissions(ctx);
  if (o.subcommand !== 'need' && o.subcommand !== 'capability') throw new UserError('error.unknownCommand', { name: `submit ${o.subcommand ?? ''}` });
  const type: EntryType = o.subcommand;
  const fields = optionFields(ctx, type);
  // Any member may submit; the draft waits for a curator in /review and is neither listed nor matched.
  if (!fields.title || !fields.org || !fields.description) {
    return entryModal(ctx, type, `submit:${type}`, ctx.t(type === 'need' ? 'submit.formNeed' : 'submit.formCapability'), fields);
  }
  const s = await people(ctx).submit(type, validFields(ctx, type, fields), ctx.user, ctx.locale);
  return submitted(ctx, s);
}

export async function modal(ctx: ModalCtx): Promise<Reply> {
  const type = ctx.args[0];
  if (type !== 'need' && type !== 'capability') throw new UserError('error.pageExpired');
  const s = await people(ctx).submit(type, validFields(ctx, type, formFields(ctx.fields)), ctx.user, ctx.locale);
  return submitted(ctx, s);
}

import { UserError } from '../src/domain/errors.ts';
import type { CommandCtx, ComponentCtx, ModalCtx } from '../src/interactions/command.ts';
import { command, str } from '../src/interactions/builders.ts';
import type { Reply } from '../src/interactions/reply.ts';
import { approve, editForm, rejectForm, reviewQueue, saveEdit, reject } from '../src/intro/review.ts';
import { parseSeq } from '../src/intro/records.ts';

export const data = command('review', 'cmd.review', { curatorOnly: true }).addStringOption(str('id', 'cmd.review.id', false, 12));

const seqOf = (v: string | undefined): number => {
  const n = v === undefined ? undefined : parseSeq('S', v);
  if (n === undefined) throw new UserError('error.submissionNotFound', { id: v ?? '' });
  return n;
};

export async function execute(ctx: CommandCtx): Promise<Reply> {
  await ctx.requireCurator();
  const id = ctx.options.string('id');
  return reviewQueue(ctx, id === undefined ? undefined : seqOf(id), false);
}

// Every button checks curator rights again: a forwarded or old message gives no rights.
export async function component(ctx: ComponentCtx): Promise<Reply> {
  await ctx.requireCurator();
  const [action, seq] = ctx.args;
  switch (action) {
    case 'ok':
      return approve(ctx, seqOf(seq));
    case 'edit':
      return editForm(ctx, seqOf(seq));
    case 'no':
      return rejectForm(ctx, seqOf(seq));
    default:
      throw new UserError('error.pageExpired');
  }
}

export async function modal(ctx: ModalCtx): Promise<Reply> {
  await ctx.requireCurator();
  const [action, seq] = ctx.args;
  if (action === 'save') return saveEdit(ctx, seqOf(seq));
  if (action === 'reason') return reject(ctx, seqOf(seq), ctx.fields.get('reason')?.trim() || undefined);
  throw new UserError('error.pageExpired');
}

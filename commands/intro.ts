import { UserError } from '../src/domain/errors.ts';
import { IntroStage } from '../src/domain/collaboration.ts';
import type { CommandCtx, ComponentCtx } from '../src/interactions/command.ts';
import { choice, command, str, sub } from '../src/interactions/builders.ts';
import type { Reply } from '../src/interactions/reply.ts';
import { parsePair } from '../src/views/pair-actions.ts';

export const data = command('intro', 'cmd.intro')
  .addSubcommand(sub('list', 'cmd.intro.list').addStringOption(str('scope', 'cmd.intro.scope').addChoices(choice('choice.scope.mine', 'mine'), choice('choice.scope.all', 'all'))))
  .addSubcommand(sub('pending', 'cmd.intro.pending'));

export async function execute(ctx: CommandCtx): Promise<Reply> {
  const intros = ctx.services.intros;
  if (ctx.options.subcommand === 'pending') return intros.pending(ctx);
  return intros.list(ctx, ctx.options.string('scope') === 'all');
}

/** Accept / decline come from DMs (no guild in the interaction): the guild is in their custom id. */
export function dmGuild(args: readonly string[]): string | undefined {
  return ['yes', 'no', 'why'].includes(args[0] ?? '') ? args[1] : undefined;
}

const seqOf = (v: string | undefined): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UserError('error.pageExpired');
  return n;
};

export async function component(ctx: ComponentCtx): Promise<Reply> {
  const intros = ctx.services.intros;
  const [action, a, b] = ctx.args;
  switch (action) {
    case 'req':
      return intros.request(ctx, parsePair(`${a}|${b}`));
    case 'yes':
      return intros.accept(ctx, seqOf(b));
    case 'no':
      return intros.declineStart(ctx, seqOf(b));
    case 'why':
      return intros.decline(ctx, seqOf(b), ctx.values[0] && ctx.values[0] !== '-' ? ctx.values[0] : undefined);
    case 'pending':
      return intros.pending(ctx);
    case 'stage': {
      const to = IntroStage.safeParse(b);
      if (!to.success) throw new UserError('error.pageExpired');
      return intros.stage(ctx, seqOf(a), to.data);
    }
    case 'close':
      return intros.stage(ctx, seqOf(a), 'closed', ctx.values[0]);
    default:
      throw new UserError('error.pageExpired');
  }
}

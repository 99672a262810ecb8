import type { CommandCtx, ComponentCtx } from '../src/interactions/command.ts';
import { command, idOption, sub } from '../src/interactions/builders.ts';
import type { Reply } from '../src/interactions/reply.ts';
import { feedbackButton, feedbackList } from '../src/feedback/views.ts';
import { resolveEntry } from '../src/views/resolve.ts';

export const data = command('feedback', 'cmd.feedback')
  .addSubcommand(sub('need', 'cmd.feedback.need').addStringOption(idOption()))
  .addSubcommand(sub('capability', 'cmd.feedback.capability').addStringOption(idOption()));

export async function execute(ctx: CommandCtx): Promise<Reply> {
  const type = ctx.options.subcommand === 'capability' ? 'capability' : 'need';
  const entry = await resolveEntry(ctx, type, ctx.options.requiredString('id'));
  return feedbackList(ctx, type, entry.id);
}

export { autocomplete } from '../src/feedback/views.ts';

export async function component(ctx: ComponentCtx): Promise<Reply> {
  return feedbackButton(ctx);
}

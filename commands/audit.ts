import type { CommandCtx } from '../src/interactions/command.ts';
import { command, int } from '../src/interactions/builders.ts';
import { message, type Reply } from '../src/interactions/reply.ts';
import { COLORS } from '../src/views/format.ts';
import { auditLine } from '../src/views/audit.ts';

export const data = command('audit', 'cmd.audit', { curatorOnly: true }).addIntegerOption(int('limit', 'cmd.audit.limit', 1, 50));

export async function execute(ctx: CommandCtx): Promise<Reply> {
  await ctx.requireCurator();
  const records = await ctx.dir.auditLog(ctx.options.integer('limit') ?? 15);
  return message({
    embeds: [{ title: ctx.t('audit.title'), color: COLORS.info, description: records.length ? records.map(auditLine).join('\n') : ctx.t('stats.noChanges') }],
    ephemeral: true,
  });
}

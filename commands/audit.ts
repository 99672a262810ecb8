import type { CommandCtx } from '../src/interactions/command.ts';
import { command, int } from '../src/interactions/builders.ts';
import { message, type Reply } from '../src/interactions/reply.ts';
import { COLORS } from '../src/views/format.ts';
import { auditLine } from '../src/views/audit.ts';
import { zoneLabel } from '../src/i18n/index.ts';

export const data = command('audit', 'cmd.audit', { curatorOnly: true }).addIntegerOption(int('limit', 'cmd.audit.limit', 1, 50));

export async function execute(ctx: CommandCtx): Promise<Reply> {
  await ctx.requireCurator();
  const zone = ctx.services.config.TIME_ZONE;
  const records = await ctx.dir.auditLog(ctx.options.integer('limit') ?? 15);
  return message({
    embeds: [{
      title: ctx.t('audit.title'), color: COLORS.info,
      description: records.length ? records.map((r) => auditLine(r, { locale: ctx.locale, t: ctx.t, timeZone: zone })).join('\n') : ctx.t('stats.noChanges'),
      footer: { text: ctx.t('audit.timeZone', { zone: zoneLabel(zone) }) },
    }],
    ephemeral: true,
  });
}

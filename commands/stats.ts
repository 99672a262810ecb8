import type { CommandCtx } from '../src/interactions/command.ts';
import { command } from '../src/interactions/builders.ts';
import { message, type Reply } from '../src/interactions/reply.ts';
import { COLORS } from '../src/views/format.ts';
import { auditLine } from '../src/views/audit.ts';
import { zoneLabel } from '../src/i18n/index.ts';

export const data = command('stats', 'cmd.stats');

export async function execute(ctx: CommandCtx): Promise<Reply> {
  const counts = await ctx.dir.counts();
  const recent = await ctx.dir.auditLog(5);
  const zone = ctx.services.config.TIME_ZONE;
  return message({
    embeds: [{
      title: ctx.t('stats.title'),
      color: COLORS.info,
      fields: [
        { name: ctx.t('label.needs'), value: ctx.t('stats.counts', counts.need), inline: true },
        { name: ctx.t('label.capabilities'), value: ctx.t('stats.counts', counts.capability), inline: true },
        { name: ctx.t('stats.recent'), value: recent.length ? recent.map((r) => auditLine(r, { locale: ctx.locale, t: ctx.t, timeZone: zone })).join('\n') : ctx.t('stats.noChanges') },
      ],
      footer: { text: ctx.t('audit.timeZone', { zone: zoneLabel(zone) }) },
    }],
  });
}

import type { CommandCtx } from '../src/interactions/command.ts';
import { choice, command, sectorOption, str } from '../src/interactions/builders.ts';
import { message, type Reply } from '../src/interactions/reply.ts';
import { periodOf, REPORT_PERIODS, reportFigures, reportFiles, type ReportPeriod } from '../src/office/report.ts';
import { reportSummary } from '../src/views/report.ts';
import type { SectorId } from '../src/domain/sectors.ts';
import { UserError } from '../src/domain/errors.ts';
import { parseSector } from '../src/views/parse.ts';

export const data = command('report', 'cmd.report', { curatorOnly: true })
  .addStringOption(str('period', 'cmd.report.period').addChoices(...Object.keys(REPORT_PERIODS).map((p) => choice(`choice.period.${p as ReportPeriod}`, p))))
  .addStringOption(sectorOption());

export async function execute(ctx: CommandCtx): Promise<Reply> {
  await ctx.requireCurator();
  const name = ctx.options.string('period') ?? 'month';
  if (!(name in REPORT_PERIODS)) throw new UserError('error.unknownPeriod', { value: name, periods: Object.keys(REPORT_PERIODS).join(', ') });
  const period = periodOf(name as ReportPeriod, new Date());
  const raw = ctx.options.string('sector');
  const sector: SectorId | undefined = raw ? parseSector(raw) : undefined;
  const figures = await reportFigures(ctx.dir, ctx.services.matcher, { period, ...(sector ? { sector } : {}) });
  return message({ ...reportSummary(ctx, figures), files: await reportFiles(figures, ctx.locale, ctx.guildId) });
}

// The text beside the report's PNG and CSV: the headline figures, so the reply reads without opening a file.
import type { Ctx } from '../interactions/command.ts';
import type { MessageSpec } from '../interactions/reply.ts';
import type { ReportFigures } from '../report/figures.ts';
import { COLORS, sectorName } from './format.ts';

export function reportSummary(ctx: Pick<Ctx, 't' | 'locale'>, f: ReportFigures): MessageSpec {
  const sectors = f.sectors.map((s) => ctx.t('report.sectorLine', { sector: sectorName(s.sector, ctx.locale), needs: s.needs, capabilities: s.capabilities, unmet: s.unmetNeeds }));
  const median = f.medianDaysToIntroduction === null ? ctx.t('report.none') : ctx.t('report.days', { days: f.medianDaysToIntroduction });
  const targets = f.targets.map((t) => `${ctx.t(`kind.${t.kind}`)}${t.level ? ` (${ctx.t(`level.${t.level}`)})` : ''} ${ctx.t('report.progress', { actual: t.actual, target: t.target })}`);
  return {
    content: ctx.t('report.done', { from: f.period.from, to: f.period.to }),
    embeds: [{
      title: ctx.t('report.title') + (f.sector ? ` · ${sectorName(f.sector, ctx.locale)}` : ''),
      description: sectors.length ? sectors.join('\n') : ctx.t('report.empty'),
      color: COLORS.info,
      fields: [
        { name: ctx.t('report.intros'), value: ctx.t('report.introLine', { requested: f.introductions.requested ?? 0, accepted: f.introductions.accepted ?? 0, agreement: f.introductions.agreement ?? 0 }), inline: false },
        { name: ctx.t('report.median'), value: median, inline: false },
        ...(targets.length ? [{ name: ctx.t('report.targets'), value: targets.join('\n'), inline: false }] : []),
      ],
    }],
  };
}

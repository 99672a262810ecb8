// The office's report from the store: entries (with unmet needs from the match engine), introductions,
// carriers and targets → computeFigures → PNG chart and CSV.
import { carrierOf, type Introduction } from '../domain/collaboration.ts';
import type { StoredCapability } from '../domain/entry.ts';
import type { SectorId } from '../domain/sectors.ts';
import type { Locale } from '../i18n/index.ts';
import type { OutFile } from '../interactions/reply.ts';
import type { MatchService } from '../match/service.ts';
import { computeFigures, type ReportEntry } from '../report/compute.ts';
import { renderReportCsv } from '../report/csv.ts';
import type { ReportFigures } from '../report/figures.ts';
import type { GuildDirectory } from '../store/directory.ts';
import { targets } from './settings.ts';
import { People } from '../intro/records.ts';

export const REPORT_PERIODS = { week: 7, month: 30, quarter: 91, year: 365 } as const;
export type ReportPeriod = keyof typeof REPORT_PERIODS;

const DAY = 86_400_000;

/** The period's first and last day (UTC), ending today. */
export function periodOf(period: ReportPeriod, now: Date): { from: string; to: string } {
  const to = now.toISOString().slice(0, 10);
  const from = new Date(Date.parse(to) - (REPORT_PERIODS[period] - 1) * DAY).toISOString().slice(0, 10);
  return { from, to };
}

async function introductions(g: GuildDirectory): Promise<Introduction[]> {
  // IntroRecord adds bookkeeping fields computeFigures does not read.
  return (await new People(g).intros()).map(({ seq: _s, stageChangedAt: _c, createdAt: _a, ...i }) => i);
}

export async function reportFigures(g: GuildDirectory, matcher: MatchService, opts: { period: { from: string; to: string }; sector?: SectorId }): Promise<ReportFigures> {
  const ranker = await matcher.forGuild(g);
  const entries: ReportEntry[] = [];
  for (const type of ['need', 'capability'] as const) {
    for (const e of await g.list(type, { status: 'all' })) {
      const sectors = e.sectors?.length ? e.sectors : ranker.inferredSectors(type, e.id);
      // Unmet: an open need with no partner above the display cut (what /match would show).
      const unmet = type === 'need' && e.status === 'open' ? ranker.matchEntry(type, e.id, { top: 1, explain: false }).length === 0 : undefined;
      entries.push({ id: e.id, type, sectors, status: e.status, createdAt: e.createdAt, ...(unmet === undefined ? {} : { unmet }) });
    }
  }
  const carriers = (await g.list('capability', { status: 'open' })).flatMap((c) => {
    const carrier = carrierOf(c as StoredCapability);
    return carrier ? [carrier] : [];
  });
  return computeFigures({
    period: opts.period,
    ...(opts.sector ? { sector: opts.sector } : {}),
    entries,
    introductions: await introductions(g),
    carriers,
    targets: await targets(g),
  });
}

/** The chart and the CSV as files to attach. */
export async function reportFiles(figures: ReportFigures, locale: Locale, guildId: string): Promise<OutFile[]> {
  // Skia (@napi-rs/canvas) loads with the first report, not at start.
  const { renderReportChart } = await import('../report/chart.ts');
  const chart = await renderReportChart(figures, locale);
  const name = `liaison-report-${guildId}-${figures.period.from}-${figures.period.to}${figures.sector ? `-${figures.sector}` : ''}`;
  return [
    { name: `${name}.png`, data: chart.png, contentType: 'image/png' },
    { name: `${name}.csv`, data: renderReportCsv(figures, locale), contentType: 'text/csv' },
  ];
}

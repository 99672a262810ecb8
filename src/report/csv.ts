// The same figures as the chart, as CSV: UTF-8 with a BOM (so Excel reads Chinese correctly), CRLF, RFC 4180
// quoting, one tidy table (section, item, measure, value) that pivots easily.
import type { Locale } from '../i18n/index.ts';
import type { ReportFigures } from './figures.ts';
import { reportLabels } from './labels.ts';

const BOM = '\uFEFF';

/** Quotes a cell when needed; a text cell that a spreadsheet would run as a formula gets a leading apostrophe. */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function reportRows(f: ReportFigures, locale: Locale): (string | number)[][] {
  const l = reportLabels(locale);
  const t = l.t;
  const rows: (string | number)[][] = [[t('report.csv.section'), t('report.csv.item'), t('report.csv.measure'), t('report.csv.value')]];
  rows.push([t('report.csv.period'), '', t('report.csv.from'), f.period.from], [t('report.csv.period'), '', t('report.csv.to'), f.period.to]);
  if (f.sector) rows.push([t('report.csv.period'), '', t('report.csv.sector'), l.sector(f.sector)]);
  for (const s of f.sectors) {
    const name = l.sector(s.sector);
    rows.push(
      [t('report.sectors'), name, t('report.needs'), s.needs],
      [t('report.sectors'), name, t('report.capabilities'), s.capabilities],
      [t('report.sectors'), name, t('report.unmet'), s.unmetNeeds],
    );
  }
  for (const stage of l.stages) rows.push([t('report.intros'), l.stage(stage), t('report.csv.count'), f.introductions[stage] ?? 0]);
  rows.push([t('report.median'), '', t('report.csv.days'), f.medianDaysToIntroduction ?? '']);
  for (const target of f.targets) {
    const name = l.carrier(target.kind, target.level);
    rows.push([t('report.targets'), name, t('report.csv.target'), target.target], [t('report.targets'), name, t('report.csv.actual'), target.actual]);
  }
  return rows;
}

/** The report as a CSV file's bytes. */
export function renderReportCsv(figures: ReportFigures, locale: Locale): Buffer {
  const text = reportRows(figures, locale).map((r) => r.map(csvCell).join(',')).join('\r\n');
  return Buffer.from(BOM + text + '\r\n', 'utf8');
}

// The office's report as one PNG, drawn on the server with @napi-rs/canvas (Skia; its binary ships in the npm
// package) and the npm-installed CJK font, so Chinese labels never depend on the machine's fonts.
import { createCanvas } from '@napi-rs/canvas';
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { Locale } from '../i18n/index.ts';
import type { ReportFigures } from './figures.ts';
import { reportFont } from './font.ts';
import { reportLabels } from './labels.ts';
import type { ReportLabels } from './labels.ts';

export const CHART = { width: 1200, margin: 40, rowHeight: 44, stageRow: 34, targetRow: 46, labelWidth: 250 } as const;
const COLORS = {
  background: '#ffffff', text: '#1f2933', muted: '#616e7c', grid: '#e4e7eb', track: '#eef0f3',
  needs: '#e4572e', capabilities: '#2e86ab', unmet: '#7b2d26', stage: '#3d9970', stageEnded: '#9aa5b1', target: '#f2a541',
};

/** A text the chart drew, with its box, so tests can find a label in the PNG. */
export interface DrawnText {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
  font: string;
}

export interface RenderedChart {
  png: Buffer;
  width: number;
  height: number;
  texts: DrawnText[];
}

class Painter {
  readonly texts: DrawnText[] = [];
  constructor(readonly ctx: SKRSContext2D, private readonly family: string) {
    ctx.textBaseline = 'top';
  }

  font(size: number, bold = false): string {
    return `${bold ? 700 : 400} ${size}px "${this.family}"`;
  }

  /** Draws `text` from (x, y) at its top-left, top-centre or top-right (`align`); cut with … to fit `maxWidth`. */
  text(text: string, x: number, y: number, size: number, opts: { bold?: boolean; color?: string; align?: 'left' | 'center' | 'right'; maxWidth?: number } = {}): number {
    const { ctx } = this;
    ctx.font = this.font(size, opts.bold);
    ctx.fillStyle = opts.color ?? COLORS.text;
    let shown = text;
    if (opts.maxWidth !== undefined && ctx.measureText(shown).width > opts.maxWidth) {
      while (shown.length > 1 && ctx.measureText(`${shown}…`).width > opts.maxWidth) shown = shown.slice(0, -1);
      shown = `${shown}…`;
    }
    const width = ctx.measureText(shown).width;
    const left = opts.align === 'right' ? x - width : opts.align === 'center' ? x - width / 2 : x;
    ctx.fillText(shown, left, y);
    this.texts.push({ text: shown, x: left, y, width, height: Math.ceil(size * 1.3), font: ctx.font });
    return width;
  }

  rect(x: number, y: number, w: number, h: number, color: string): void {
    this.ctx.fillStyle = color;
    this.ctx.fillRect(x, y, Math.max(0, w), h);
  }
}

/** The smallest 1/2/5 × 10^n at or above `n` (at least 1), for a readable axis. */
function niceMax(n: number): number {
  if (n <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  return ([1, 2, 5, 10].find((m) => m * p >= n) ?? 10) * p;
}

function layout(f: ReportFigures): { height: number; sectorsTop: number; lowerTop: number } {
  const m = CHART.margin;
  const sectorsTop = m + 110;
  const sectorRows = Math.max(1, f.sectors.length);
  const lowerTop = sectorsTop + 70 + sectorRows * CHART.rowHeight + 50;
  const left = 50 + 7 * CHART.stageRow;
  const right = 50 + 90 + 40 + Math.max(1, f.targets.length) * CHART.targetRow;
  return { height: lowerTop + Math.max(left, right) + m, sectorsTop, lowerTop };
}

function header(p: Painter, f: ReportFigures, l: ReportLabels): void {
  const m = CHART.margin;
  p.text(l.t('report.title'), m, m, 30, { bold: true });
  const period = l.t('report.period', { from: f.period.from, to: f.period.to });
  const scope = f.sector ? ` · ${l.t('report.sectorFilter', { sector: l.sector(f.sector) })}` : '';
  p.text(period + scope, m, m + 46, 18, { color: COLORS.muted });
  p.rect(m, m + 86, CHART.width - 2 * m, 2, COLORS.grid);
}

function legend(p: Painter, x: number, y: number, items: [string, string][]): void {
  let cx = x;
  for (const [label, color] of items) {
    p.rect(cx, y + 4, 14, 14, color);
    cx += 22 + p.text(label, cx + 20, y, 16, { color: COLORS.muted }) + 24;
  }
}

function sectorPanel(p: Painter, f: ReportFigures, l: ReportLabels, top: number): void {
  const m = CHART.margin;
  p.text(l.t('report.sectors'), m, top, 22, { bold: true });
  legend(p, m, top + 36, [[l.t('report.needs'), COLORS.needs], [l.t('report.capabilities'), COLORS.capabilities], [l.t('report.unmet'), COLORS.unmet]]);
  const rowsTop = top + 70;
  if (f.sectors.length === 0) {
    p.text(l.t('report.empty'), m, rowsTop + 10, 16, { color: COLORS.muted });
    return;
  }
  const barLeft = m + CHART.labelWidth + 12;
  const barWidth = CHART.width - m - barLeft - 60;
  const max = niceMax(Math.max(...f.sectors.flatMap((s) => [s.needs, s.capabilities, s.unmetNeeds])));
  const axisY = rowsTop + f.sectors.length * CHART.rowHeight;
  for (let i = 0; i <= 4; i++) {
    const x = barLeft + (barWidth * i) / 4;
    p.rect(x, rowsTop - 4, 1, axisY - rowsTop + 4, COLORS.grid);
    const tick = (max * i) / 4;
    if (Number.isInteger(tick)) p.text(String(tick), x, axisY + 4, 12, { color: COLORS.muted, align: 'center' });
  }
  f.sectors.forEach((s, i) => {
    const y = rowsTop + i * CHART.rowHeight;
    p.text(l.sector(s.sector), barLeft - 12, y + 10, 17, { align: 'right', maxWidth: CHART.labelWidth });
    const bars: [number, string][] = [[s.needs, COLORS.needs], [s.capabilities, COLORS.capabilities], [s.unmetNeeds, COLORS.unmet]];
    bars.forEach(([value, color], j) => {
      const by = y + 2 + j * 12;
      const w = (barWidth * value) / max;
      p.rect(barLeft, by, w, 10, color);
      p.text(String(value), barLeft + w + 6, by - 2, 11, { color: COLORS.muted });
    });
  });
}

function stagePanel(p: Painter, f: ReportFigures, l: ReportLabels, top: number): void {
  const m = CHART.margin;
  const width = CHART.width / 2 - m - 20;
  p.text(l.t('report.intros'), m, top, 22, { bold: true });
  const counts = l.stages.map((s) => f.introductions[s] ?? 0);
  const max = niceMax(Math.max(...counts));
  const labelWidth = 130;
  const barLeft = m + labelWidth + 10;
  const barWidth = width - labelWidth - 50;
  l.stages.forEach((stage, i) => {
    const y = top + 50 + i * CHART.stageRow;
    const ended = stage === 'declined' || stage === 'closed';
    p.text(l.stage(stage), barLeft - 10, y + 2, 16, { align: 'right', maxWidth: labelWidth });
    p.rect(barLeft, y, barWidth, 24, COLORS.track);
    const w = (barWidth * (counts[i] ?? 0)) / max;
    p.rect(barLeft, y, w, 24, ended ? COLORS.stageEnded : COLORS.stage);
    p.text(String(counts[i] ?? 0), barLeft + w + 6, y + 3, 15, { color: COLORS.muted });
  });
}

function kpiAndTargets(p: Painter, f: ReportFigures, l: ReportLabels, top: number): void {
  const x = CHART.width / 2 + 20;
  const right = CHART.width - CHART.margin;
  p.text(l.t('report.median'), x, top, 22, { bold: true, maxWidth: right - x });
  const median = f.medianDaysToIntroduction;
  const value = median === null ? l.t('report.none') : l.t('report.days', { days: Number.isInteger(median) ? median : median.toFixed(1) });
  p.text(value, x, top + 44, 40, { bold: true, color: median === null ? COLORS.muted : COLORS.text });

  const tTop = top + 140;
  p.text(l.t('report.targets'), x, tTop, 22, { bold: true });
  if (f.targets.length === 0) {
    p.text(l.t('report.empty'), x, tTop + 46, 16, { color: COLORS.muted });
    return;
  }
  f.targets.forEach((t, i) => {
    const y = tTop + 44 + i * CHART.targetRow;
    p.text(l.carrier(t.kind, t.level), x, y, 16, { maxWidth: right - x - 120 });
    p.text(l.t('report.progress', { actual: t.actual, target: t.target }), right, y, 16, { align: 'right', bold: true });
    p.rect(x, y + 24, right - x, 10, COLORS.track);
    p.rect(x, y + 24, (right - x) * Math.min(1, t.actual / t.target), 10, t.actual >= t.target ? COLORS.stage : COLORS.target);
  });
}

/** Renders the figures as a PNG in `locale`. Throws only if the font cannot be loaded (a broken install). */
export async function renderReportChart(figures: ReportFigures, locale: Locale): Promise<RenderedChart> {
  const family = reportFont();
  const labels = reportLabels(locale);
  const { height, sectorsTop, lowerTop } = layout(figures);
  const canvas = createCanvas(CHART.width, height);
  const p = new Painter(canvas.getContext('2d'), family);
  p.rect(0, 0, CHART.width, height, COLORS.background);
  header(p, figures, labels);
  sectorPanel(p, figures, labels, sectorsTop);
  stagePanel(p, figures, labels, lowerTop);
  kpiAndTargets(p, figures, labels, lowerTop);
  return { png: await canvas.encode('png'), width: CHART.width, height, texts: p.texts };
}

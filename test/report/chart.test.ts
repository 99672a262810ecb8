import { describe, expect, it } from 'vitest';
import { createCanvas, GlobalFonts, loadImage } from '@napi-rs/canvas';
import { renderReportChart } from '../../src/report/chart.ts';
import type { DrawnText } from '../../src/report/chart.ts';
import { ReportFigures } from '../../src/report/figures.ts';
import { fontDir, REPORT_FONT, reportFont } from '../../src/report/font.ts';
import { EXAMPLE_FIGURES } from '../../src/report/example.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const NOTDEF = '\uE000'; // private use: no font maps it, so the font draws its .notdef box (tofu)

/** Grey levels (0 = black ink) of `text` drawn alone in `font` on white, `w`×`h`. */
function drawAlone(text: string, font: string, w: number, h: number): Uint8Array {
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#000';
  ctx.font = font;
  ctx.textBaseline = 'top';
  ctx.fillText(text, 0, 0);
  return grey(ctx.getImageData(0, 0, w, h).data);
}

function grey(rgba: Uint8ClampedArray): Uint8Array {
  const out = new Uint8Array(rgba.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = Math.round((rgba[i * 4]! + rgba[i * 4 + 1]! + rgba[i * 4 + 2]!) / 3);
  return out;
}

/** Pixels that differ by more than a quarter of the grey range. */
function differing(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) > 64) n++;
  return n;
}

const ink = (g: Uint8Array): number => g.reduce((n, v) => n + (v < 128 ? 1 : 0), 0);

/** True when each bitmap is a glyph of its own: inked, unlike the .notdef box, and unlike the others. */
function realGlyphs(glyphs: Uint8Array[], tofu: Uint8Array): boolean {
  const distinct = new Set(glyphs.map((g) => Buffer.from(g).toString('base64'))).size;
  return glyphs.length > 0 && distinct === glyphs.length && glyphs.every((g) => ink(g) > 20 && differing(g, tofu) > 40);
}

/** Every Han character of `text` drawn alone in `family`, and that family's .notdef box. */
function hanGlyphs(text: string, family: string): { glyphs: Uint8Array[]; tofu: Uint8Array } {
  const font = `400 40px "${family}"`;
  const glyphs = [...text].filter((c) => /\p{Script=Han}/u.test(c)).map((c) => drawAlone(c, font, 48, 56));
  return { glyphs, tofu: drawAlone(NOTDEF, font, 48, 56) };
}

const hasRealHanGlyphs = (text: string, family: string): boolean => {
  const { glyphs, tofu } = hanGlyphs(text, family);
  return realGlyphs(glyphs, tofu);
};

async function pixels(png: Buffer): Promise<{ width: number; height: number; at(x: number, y: number, w: number, h: number): Uint8Array }> {
  const img = await loadImage(png);
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  return { width: img.width, height: img.height, at: (x, y, w, h) => grey(ctx.getImageData(x, y, w, h).data) };
}

const find = (texts: DrawnText[], text: string): DrawnText => {
  const t = texts.find((d) => d.text === text);
  if (!t) throw new Error(`"${text}" was not drawn; drawn: ${texts.map((d) => d.text).join(' | ')}`);
  return t;
};

describe('report chart', () => {
  it('is a PNG of the announced size with ink on it', async () => {
    const chart = await renderReportChart(EXAMPLE_FIGURES, 'zh-CN');
    expect(chart.png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect([chart.png.readUInt32BE(16), chart.png.readUInt32BE(20)]).toEqual([chart.width, chart.height]);
    expect(chart.width).toBe(1200);
    expect(chart.height).toBeGreaterThan(800);
    const img = await pixels(chart.png);
    const dark = ink(img.at(0, 0, img.width, img.height));
    expect(dark / (img.width * img.height)).toBeGreaterThan(0.01);
  });

  it('draws its Chinese labels with real glyphs from the npm font, matching a reference rendering', async () => {
    const family = reportFont();
    expect(GlobalFonts.has(REPORT_FONT)).toBe(true);
    expect(fontDir()).toMatch(/node_modules[\\/]@embedpdf[\\/]fonts-sc[\\/]fonts$/);
    const chart = await renderReportChart(EXAMPLE_FIGURES, 'zh-CN');
    const img = await pixels(chart.png);
    for (const label of ['Liaison · 产学研对接报告', '各领域需求与能力', '燃料电池', '市级重点实验室']) {
      const drawn = find(chart.texts, label);
      expect(hasRealHanGlyphs(label, family), label).toBe(true);
      const [x, y, w, h] = [Math.round(drawn.x), Math.round(drawn.y), Math.ceil(drawn.width) + 2, drawn.height];
      const inChart = img.at(x, y, w, h);
      // The same label drawn alone is the reference; the same label with tofu in place of each Han character is not.
      const reference = drawAlone(label, drawn.font, w, h);
      const tofu = drawAlone(label.replace(/\p{Script=Han}/gu, NOTDEF), drawn.font, w, h);
      expect(differing(inChart, reference) / (w * h), label).toBeLessThan(0.02);
      expect(differing(inChart, tofu) / (w * h), label).toBeGreaterThan(0.05);
    }
  });

  it('the glyph check fails on tofu boxes, on blank glyphs and on identical glyphs', () => {
    const { glyphs, tofu } = hanGlyphs('技术', reportFont());
    expect(realGlyphs(glyphs, tofu)).toBe(true);
    const blank = drawAlone(' ', `400 40px "${reportFont()}"`, 48, 56);
    expect(realGlyphs([tofu, tofu], tofu)).toBe(false);
    expect(realGlyphs([glyphs[0]!, tofu], tofu)).toBe(false);
    expect(realGlyphs([glyphs[0]!, blank], tofu)).toBe(false);
    expect(realGlyphs([glyphs[0]!, glyphs[0]!], tofu)).toBe(false);
    expect(realGlyphs([], tofu)).toBe(false);
  });

  it('labels in English, and cuts a label too long for its column', async () => {
    const chart = await renderReportChart(EXAMPLE_FIGURES, 'en-US');
    const words = chart.texts.map((t) => t.text);
    expect(words).toContain('Needs and capabilities by sector');
    expect(words).toContain('Key laboratory (municipal)');
    expect(words).toContain('23.5 days');
    expect(words).toContain('13 / 20');
    for (const t of chart.texts) expect(t.x + t.width, t.text).toBeLessThanOrEqual(chart.width);
  });

  it('draws a report with nothing in it', async () => {
    const empty = ReportFigures.parse({ period: { from: '2026-01-01', to: '2026-01-31' }, sectors: [], introductions: {}, medianDaysToIntroduction: null, targets: [] });
    const chart = await renderReportChart(empty, 'zh-CN');
    const words = chart.texts.map((t) => t.text);
    expect(words.filter((w) => w === '本期暂无数据。')).toHaveLength(2);
    expect(words).toContain('暂无');
    expect(chart.png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });
});

describe('report figures', () => {
  it('accepts the example and refuses figures that make no sense, naming the field', () => {
    expect(ReportFigures.safeParse(EXAMPLE_FIGURES).success).toBe(true);
    const bad = ReportFigures.safeParse({
      ...EXAMPLE_FIGURES,
      period: { from: '2026-12-01', to: '2026-11-30' },
      sectors: [{ sector: 'moon-mining', needs: -1, capabilities: 1, unmetNeeds: 0 }],
      targets: [{ kind: 'enterprise-tech-center', target: 0, actual: 1 }],
    });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(['period', 'sectors.0.needs', 'sectors.0.sector', 'targets.0.target']);
  });
});

// npm run eval: every labelled set in test/fixtures (eval/sets.ts SETS) through the engine and
// through plain fuse.js, both directions, overall and per tag; no-answer AUC; reliability of scores;
// then the segmenter comparison on the dev set.
import { FuseBaseline } from '../baseline.ts';
import { Engine, type EngineOptions } from '../engine.ts';
import { calibration } from '../score.ts';
import type { SegmenterName } from '../segment.ts';
import type { Ranker } from '../types.ts';
import { summarize, type Grades, type Summary } from './metrics.ts';
import { docsOf, hasSet, TRAIN_SETS, loadDevSet, loadSet, SETS, TAGS, type Labels } from './sets.ts';

export { docsOf, loadDevSet, loadSet, TAGS, Labels } from './sets.ts';

export interface Row { query: string; ranked: string[]; scores: number[]; grades: Grades; tags: readonly string[] }

/**
 * Both directions: need → capabilities from the labels; capability → needs from their inverse.
 * Rows of no-answer needs (no relevant capability) have empty grades.
 */
export function evaluate(ranker: Ranker, labels: Labels, top = 10): { n2c: Row[]; c2n: Row[] } {
  const run = (type: 'need' | 'capability', id: string) => ranker.matchEntry(type, id, { top, minScore: 0, explain: false });
  const n2c = labels.cases.map((c) => {
    const s = run('need', c.need);
    return { query: c.need, ranked: s.map((x) => x.id), scores: s.map((x) => x.score), grades: new Map(Object.entries(c.relevant)), tags: c.tags };
  });
  const inverse = new Map<string, { grades: Map<string, number>; tags: Set<string> }>();
  for (const c of labels.cases) {
    for (const [cap, g] of Object.entries(c.relevant)) {
      const e = inverse.get(cap) ?? { grades: new Map(), tags: new Set<string>() };
      e.grades.set(c.need, g);
      c.tags.forEach((t) => e.tags.add(t));
      inverse.set(cap, e);
    }
  }
  const c2n = [...inverse].map(([cap, e]) => {
    const s = run('capability', cap);
    return { query: cap, ranked: s.map((x) => x.id), scores: s.map((x) => x.score), grades: e.grades, tags: [...e.tags] };
  });
  return { n2c, c2n };
}

export const answerable = (r: Row) => r.grades.size > 0;

/** AUC of the top score: answerable needs above no-answer needs (ties count half). NaN without both. */
export function noAnswerAuc(rows: readonly Row[]): number {
  const pos = rows.filter(answerable).map((r) => r.scores[0] ?? 0);
  const neg = rows.filter((r) => !answerable(r)).map((r) => r.scores[0] ?? 0);
  if (!pos.length || !neg.length) return NaN;
  let s = 0;
  for (const p of pos) for (const n of neg) s += p > n ? 1 : p === n ? 0.5 : 0;
  return s / (pos.length * neg.length);
}

/**
 * A 90 % interval for noAnswerAuc by a bootstrap stratified by class (answerable and no-answer needs resampled
 * apart, 2,000 times, a fixed seed so the output is stable): with 16 no-answer needs a set's AUC moves ±0.07.
 */
export function noAnswerAucInterval(rows: readonly Row[], rounds = 2000, seed = 1): [number, number] {
  const pos = rows.filter(answerable).map((r) => r.scores[0] ?? 0);
  const neg = rows.filter((r) => !answerable(r)).map((r) => r.scores[0] ?? 0);
  if (!pos.length || !neg.length) return [NaN, NaN];
  let state = seed >>> 0;
  // mulberry32: a small seeded generator, so the interval is the same on every run.
  const rand = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const draw = (xs: number[]) => xs.map(() => xs[Math.floor(rand() * xs.length)]!);
  const aucs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const p = draw(pos);
    const n = draw(neg);
    let s = 0;
    for (const a of p) for (const b of n) s += a > b ? 1 : a === b ? 0.5 : 0;
    aucs.push(s / (p.length * n.length));
  }
  aucs.sort((a, b) => a - b);
  return [aucs[Math.floor(0.05 * rounds)]!, aucs[Math.ceil(0.95 * rounds) - 1]!];
}

export interface Bin { from: number; to: number; n: number; predicted: number; observed: number }

/** Predicted score vs observed share of labelled partners, over every ranked pair, in bins of `width`. */
export function reliability(rows: readonly Row[], width = 0.1): Bin[] {
  const bins: Bin[] = [];
  for (let from = 0; from < 1 - 1e-9; from += width) bins.push({ from: +from.toFixed(2), to: +(from + width).toFixed(2), n: 0, predicted: 0, observed: 0 });
  for (const r of rows) {
    r.ranked.forEach((id, i) => {
      const p = r.scores[i]!;
      const b = bins[Math.min(bins.length - 1, Math.floor(p / width))]!;
      b.n++;
      b.predicted += p;
      b.observed += (r.grades.get(id) ?? 0) > 0 ? 1 : 0;
    });
  }
  for (const b of bins) if (b.n) {
    b.predicted /= b.n;
    b.observed /= b.n;
  }
  return bins;
}

export function reliabilityLines(bins: readonly Bin[]): string[] {
  const out = ['  score bin    pairs  mean score  real fits'];
  // Two decimals once bins are finer than a tenth (bins.ts uses 0.05: "0.1–0.1" said nothing).
  const d = bins.some((b) => Math.round((b.to - b.from) * 100) % 10 !== 0) ? 2 : 1;
  for (const b of bins) if (b.n) out.push(`  ${b.from.toFixed(d)}–${b.to.toFixed(d)}${d === 1 ? '   ' : ' '}${String(b.n).padStart(6)}  ${b.predicted.toFixed(3).padStart(10)}  ${b.observed.toFixed(3).padStart(9)}`);
  return out;
}

function fmt(s: Summary): string {
  return `${s.ndcg5.toFixed(3)}  ${s.recall5.toFixed(3)}  ${s.mrr.toFixed(3)}  (n=${s.n})`;
}

export function report(name: string, rows: Row[], base: Row[] | undefined): string[] {
  const lines = [`${name}: engine nDCG@5 Recall@5 MRR${base ? ' | plain fuse.js nDCG@5 Recall@5 MRR' : ''}`];
  const line = (label: string, f: (r: Row) => boolean) => {
    const mine = rows.filter((r) => answerable(r) && f(r));
    if (!mine.length) return;
    lines.push(`  ${label.padEnd(14)} ${fmt(summarize(mine))}${base ? ` | ${fmt(summarize(base.filter((r) => answerable(r) && f(r))))}` : ''}`);
  };
  line('overall', () => true);
  for (const t of TAGS) if (t !== 'no-answer') line(t, (r) => r.tags.includes(t));
  return lines;
}

export function setReport(name: string, title: string, opts: { baseline?: boolean; engine?: EngineOptions } = {}): { lines: string[]; rows: Row[]; needRows: Row[] } {
  const { data, labels } = loadSet(name);
  const docs = docsOf(data);
  const e = evaluate(new Engine(docs, opts.engine), labels);
  const b = opts.baseline === false ? undefined : evaluate(new FuseBaseline(docs), labels);
  const none = e.n2c.filter((r) => !answerable(r)).length;
  const auc = noAnswerAuc(e.n2c);
  return {
    rows: [...e.n2c, ...e.c2n],
    needRows: e.n2c,
    lines: [
      `${title}: ${data.needs.length} needs, ${data.capabilities.length} capabilities, ${labels.cases.length} labelled cases${none ? ` (${none} with no suitable capability)` : ''}`,
      ...report('need → capability', e.n2c, b?.n2c),
      ...report('capability → need', e.c2n, b?.c2n),
      ...(none ? [`  no-answer AUC (top score, answerable vs no-answer needs): ${auc.toFixed(3)} (90 % bootstrap interval ${noAnswerAucInterval(e.n2c).map((x) => x.toFixed(2)).join('–')})`] : []),
      '',
    ],
  };
}

async function main(): Promise<void> {
  // --quick: the engine only (no fuse.js baseline, no segmenter comparison), for iterating.
  const quick = process.argv.includes('--quick');
  // --object-share X: concepts naming an object weigh X of those naming what is done in queries (measured: docs/matching-history.md).
  const at = process.argv.indexOf('--object-share');
  const engine: EngineOptions = at > 0 ? { objectShare: Number(process.argv[at + 1]) } : {};
  const out: string[] = [];
  const all: Row[] = [];
  const unfitted: Row[] = [];
  for (const s of SETS) {
    if (!hasSet(s.name)) continue;
    const r = setReport(s.name, s.title, { baseline: !quick, engine });
    out.push(...r.lines);
    all.push(...r.rows);
    if (!(TRAIN_SETS as readonly string[]).includes(s.name)) unfitted.push(...r.needRows);
    out.push(`  reliability (${s.name}, both directions, top 10 of each labelled query):`, ...reliabilityLines(reliability(r.rows)), '');
  }
  out.push(`Reliability over every set (model: ${calibration().fitted}):`, ...reliabilityLines(reliability(all)), '');
  // Scores are probabilities, so needs of several sets can be pooled: a steadier figure than any one set's 16.
  const none = unfitted.filter((r) => !answerable(r)).length;
  if (none) out.push(`No-answer AUC pooled over the sets calibration does not fit (${unfitted.length - none} answerable, ${none} no-answer needs): ${noAnswerAuc(unfitted).toFixed(3)} (90 % bootstrap interval ${noAnswerAucInterval(unfitted).map((x) => x.toFixed(2)).join('–')})`, '');
  if (quick) return void process.stdout.write(out.join('\n') + '\n');
  const { data, labels } = loadDevSet();
  const docs = docsOf(data);
  out.push('Segmenter on the dev set (need → capability nDCG@5, build ms, mean ms per /match):');
  for (const seg of ['none', 'intl', 'jieba'] as SegmenterName[]) {
    const t0 = performance.now();
    const eng = new Engine(docs, { segmenter: seg });
    const build = performance.now() - t0;
    const t1 = performance.now();
    const r = evaluate(eng, labels);
    const per = (performance.now() - t1) / (r.n2c.length + r.c2n.length);
    out.push(`  ${seg.padEnd(6)} nDCG@5 ${summarize(r.n2c).ndcg5.toFixed(3)} / c→n ${summarize(r.c2n).ndcg5.toFixed(3)}  build ${build.toFixed(0)} ms  ${per.toFixed(2)} ms/query`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

if (process.argv[1]?.endsWith('run.ts')) await main();

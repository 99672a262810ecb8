// Measurement (docs/matching-history.md): does a fourth term of the score model separate the needs no lab
// suits? For each candidate term the pair model is refitted and the no-answer AUC of the top score is taken per
// set, three ways: A fitted on the sets calibrate.ts fits on (its pairs), every other set held out; B leave one
// set out, fitted on the same kinds of pairs of the other eight; C leave one set out, fitted on the top 3 of
// entries both ways. Rankings never change (the raw evidence orders them). `tsx src/match/eval/noanswer.ts`.
import { solve } from '../../numeric.ts';
import { features } from '../score.ts';
import { TRAIN_SETS } from './calibrate.ts';
import { collectQueries, type Query, type Top } from './noanswer-dump.ts';
import { SETS } from './sets.ts';

type Term = (q: Query, t: Top) => number;
const sumOf = (t: Top, keep: (df: number, f: string, main: number, title: number) => number) => t.contrib.reduce((s, [f, v, df, m, ti]) => s + v * keep(df, f, m, ti), 0);
const units = (q: Query, v: number) => Math.log(0.05 + v / q.unit);
/** df per 120 entries of the directory (the labelled sets' size), never scaled up. */
const per120 = (df: number, live: number) => Math.max(1, df * Math.min(1, 120 / live));

const TERMS: [string, Term[]][] = [
  ['3 terms (as now)', []],
  ['top ÷ mean of ranks 2–5', [(q, t) => Math.log(t.raw / (mean(q.pool.slice(1, 5)) || t.raw * 0.3))]],
  ['top ÷ median of ranks 2–51', [(q, t) => Math.log(t.raw / (median(q.pool.slice(1, 51)) || t.raw * 0.3))]],
  ['z over the pool of 60', [(q, t) => (q.pool.length > 1 ? (t.raw - mean(q.pool)) / (sd(q.pool) + 1e-9) : 3)]],
  ['gap to the next candidate', [(q, t) => { const next = q.pool.find((x) => x < t.raw); return next ? Math.log(t.raw / next) : 0; }]],
  ['raw ÷ the query\'s self score', [(q, t) => (q.self > 0 ? t.raw / q.self : 0)]],
  ['units from title + first clause', [(q, t) => units(q, sumOf(t, (_d, _f, m) => m))]],
  ['units from the title', [(q, t) => units(q, sumOf(t, (_d, _f, _m, ti) => ti))]],
  ['share from title + first clause', [(_q, t) => sumOf(t, (_d, _f, m) => m) / (sumOf(t, () => 1) || 1)]],
  ['units held by ≤ 3 entries', [(q, t) => units(q, sumOf(t, (df) => (df <= 3 ? 1 : 0)))]],
  ['specific e^−(d−1)/1.5', [(q, t) => units(q, sumOf(t, (df) => { const d = per120(df, q.live); return d > 8 ? 0 : Math.exp(-(d - 1) / 1.5); }))]],
  ['specific 1/d²', [(q, t) => units(q, sumOf(t, (df) => { const d = per120(df, q.live); return d > 8 ? 0 : 1 / (d * d); }))]],
  ['specific 1 to d 2, e^−(d−2)', [(q, t) => units(q, sumOf(t, (df) => { const d = per120(df, q.live); return d <= 2 ? 1 : d > 8 ? 0 : Math.exp(-(d - 2)); }))]],
];

function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}
function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
}
function sd(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
}

const row = (q: Query, t: Top, extra: readonly Term[]) => [1, ...features(t.ev).slice(0, 3), ...extra.map((g) => g(q, t))];

function pairs(qs: readonly Query[], sets: readonly string[], kinds: readonly Query['kind'][], k: number, extra: readonly Term[]): { X: number[][]; y: number[] } {
  const X: number[][] = [];
  const y: number[] = [];
  for (const q of qs) {
    if (!sets.includes(q.set) || !kinds.includes(q.kind)) continue;
    for (const t of q.top.slice(0, k)) {
      if (t.y < 0) continue;
      X.push(row(q, t, extra));
      y.push(t.y > 0 ? 1 : 0);
    }
  }
  return { X, y };
}

/** Logistic regression (Newton, L2 on slopes as calibrate.ts); a slope that comes out negative is fixed at 0. */
function fit(X: number[][], y: number[], l2 = 1e-3): number[] {
  const d = X[0]!.length;
  const free = Array.from({ length: d }, () => true);
  for (;;) {
    const idx = free.flatMap((f, a) => (f ? [a] : []));
    const w = new Array<number>(d).fill(0);
    for (let it = 0; it < 100; it++) {
      const g = new Array<number>(idx.length).fill(0);
      const H = idx.map(() => new Array<number>(idx.length).fill(0));
      X.forEach((x, i) => {
        let z = 0;
        for (const a of idx) z += x[a]! * w[a]!;
        const p = 1 / (1 + Math.exp(-z));
        idx.forEach((a, j) => {
          g[j]! += (p - y[i]!) * x[a]!;
          idx.forEach((b, l) => (H[j]![l]! += p * (1 - p) * x[a]! * x[b]!));
        });
      });
      idx.forEach((a, j) => {
        if (a === 0) return;
        g[j]! += l2 * w[a]! * X.length;
        H[j]![j]! += l2 * X.length;
      });
      const step = solve(H, g);
      idx.forEach((a, j) => (w[a]! -= step[j]!));
      if (Math.hypot(...step) < 1e-8) break;
    }
    let worst = -1;
    for (let a = 1; a < d; a++) if (free[a] && w[a]! < 0 && (worst < 0 || w[a]! < w[worst]!)) worst = a;
    if (worst < 0) return w;
    free[worst] = false;
  }
}

const fitOn = (p: { X: number[][]; y: number[] }) => fit(p.X, p.y);

function auc(qs: readonly Query[], set: string, extra: readonly Term[], w: readonly number[]): number {
  const pos: number[] = [];
  const neg: number[] = [];
  for (const q of qs) {
    if (q.set !== set || q.kind !== 'n2c') continue;
    const t = q.top[0];
    const z = t ? row(q, t, extra).reduce((s, x, i) => s + x * w[i]!, 0) : -99;
    (q.answerable ? pos : neg).push(z);
  }
  let s = 0;
  for (const p of pos) for (const n of neg) s += p > n ? 1 : p === n ? 0.5 : 0;
  return s / (pos.length * neg.length);
}

const ALL = ['n2c', 'title', 'kw', 'c2n', 'generic'] as const;

function main(): void {
  const qs = collectQueries();
  const sets = SETS.map((s) => s.name).filter((n) => qs.some((q) => q.set === n));
  const withNoAnswer = sets.filter((n) => qs.some((q) => q.set === n && q.kind === 'n2c' && q.answerable === false));
  const lines: string[] = [`no-answer AUC of the top score per set (${withNoAnswer.join(' / ')}), mean over all but sme-dev; slopes fitted on all sets (A: on ${TRAIN_SETS.join(' + ')})`];
  const regimes: [string, (extra: readonly Term[], left: string) => number[]][] = [
    ['A: fitted on calibrate.ts\'s pairs of its sets', (extra) => fitOn(pairs(qs, TRAIN_SETS, ALL, 10, extra))],
    ['B: leave one set out, calibrate.ts\'s kinds of pairs (top 10)', (extra, left) => fitOn(pairs(qs, sets.filter((s) => s !== left), ALL, 10, extra))],
    ['C: leave one set out, top 3 of entries both ways', (extra, left) => fitOn(pairs(qs, sets.filter((s) => s !== left), ['n2c', 'c2n'], 3, extra))],
  ];
  for (const [title, model] of regimes) {
    lines.push(title);
    for (const [name, extra] of TERMS) {
      const a = withNoAnswer.map((s) => auc(qs, s, extra, model(extra, s)));
      const w = model(extra, '');
      lines.push(`  ${name.padEnd(34)} ${a.map((x) => x.toFixed(3)).join(' ')} | mean ${mean(a.slice(1)).toFixed(3)} | slopes ${w.slice(1).map((x) => x.toFixed(2)).join(' ')}`);
    }
  }
  process.stdout.write(lines.join('\n') + '\n');
}

if (process.argv[1]?.endsWith('noanswer.ts')) main();

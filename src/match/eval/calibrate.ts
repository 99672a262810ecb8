// npm run calibrate: fits the score model (score.ts) on labelled pairs of the sets tuned on and
// writes data/calibration.json with its reliability table. Held-out sets are never read here.
import { writeFileSync } from 'node:fs';
import { Engine } from '../engine.ts';
import { CALIBRATION_FILE, features, probability, type CalibrationFile, type Evidence, type Model } from '../score.ts';
import { docsOf, hasSet, loadSet } from './sets.ts';
import { reliability, type Row } from './run.ts';
import { solve } from '../../numeric.ts';

/** Sets the model may learn from. */
export { TRAIN_SETS } from './sets.ts';
import { TRAIN_SETS } from './sets.ts';

/**
 * One-word queries that say almost nothing about what is needed: whatever they find is not a fit.
 * They teach the model that a little evidence is little, however completely it covers a short query.
 */
export const GENERIC_QUERIES = [
  '测试', '变形', '机器人', '系统', '优化', '检测', '材料', '设备', '技术', '分析', '控制', '工艺', '数据', '智能', '性能',
  '效率', '成本', '质量', '开发', '合作', '监测', '设计', '改进', '生产', '温度', '寿命',
  'testing', 'system', 'materials', 'analysis', 'design', 'control', 'optimisation', 'quality', 'data', 'performance',
  'monitoring', 'process', 'equipment', 'cost',
];

interface Pair { e: Evidence; y: number }

export function collect(): { pairs: Pair[]; rows: Row[]; note: string } {
  const pairs: Pair[] = [];
  const rows: Row[] = [];
  const used: string[] = [];
  for (const name of TRAIN_SETS) {
    if (!hasSet(name)) continue;
    used.push(name);
    const { data, labels } = loadSet(name);
    const engine = new Engine(docsOf(data), { specific: true });
    const grade = new Map<string, number>();
    for (const c of labels.cases) for (const [cap, g] of Object.entries(c.relevant)) grade.set(`${c.need}|${cap}`, g);
    const labelled = new Set(labels.cases.map((c) => c.need));
    const push = (query: string, fit: (id: string) => boolean, list: ReturnType<Engine['search']>) => {
      const row: Row = { query, ranked: [], scores: [], grades: new Map(), tags: [] };
      for (const s of list) {
        if (!s.evidence) continue;
        const y = fit(s.id) ? 1 : 0;
        pairs.push({ e: s.evidence, y });
        row.ranked.push(s.id);
        row.scores.push(s.score);
        if (y) (row.grades as Map<string, number>).set(s.id, 1);
      }
      rows.push(row);
    };
    const opts = { top: 10, minScore: 0, explain: false };
    for (const c of labels.cases) {
      const fit = (cap: string) => grade.has(`${c.need}|${cap}`);
      push(c.need, fit, engine.matchEntry('need', c.need, opts));
      // The same need typed as a short query: its title, its keywords.
      const rec = data.needs.find((n) => n.id === c.need)!;
      push(c.need + ' (title)', fit, engine.search(rec.title, ['capability'], opts));
      if (rec.keywords?.length) push(c.need + ' (keywords)', fit, engine.search(rec.keywords.join(' '), ['capability'], opts));
    }
    for (const cap of data.capabilities) {
      push(cap.id, (n) => labelled.has(n) && grade.has(`${n}|${cap.id}`), engine.matchEntry('capability', cap.id, opts).filter((s) => labelled.has(s.id)));
    }
    for (const q of GENERIC_QUERIES) push(q, () => false, engine.search(q, ['capability', 'need'], { ...opts, top: 5 }));
  }
  return { pairs, rows, note: `${used.join(' + ')}: entries both ways, titles and keywords as queries, ${GENERIC_QUERIES.length} one-word generic queries` };
}

/**
 * Logistic regression by Newton's method on [1, √coverage, ln units, ln rest, ln specific]; slopes kept ≥ 0 so
 * order never flips: a slope that comes out negative is fixed at 0 and the rest refitted (an active set; clamping
 * inside the Newton steps lands off the optimum). `use`: which slopes may be fitted (the others stay 0); the fourth,
 * specific evidence, only with `--specific` (measured, not adopted: docs/matching-history.md).
 */
export function fit(pairs: readonly Pair[], l2 = 1e-3, use: readonly boolean[] = [true, true, true, false]): Model {
  const X = pairs.map((p) => [1, ...features(p.e)]);
  const d = X[0]?.length ?? 5;
  const free = Array.from({ length: d }, (_, a) => a === 0 || (use[a - 1] ?? false));
  let w = new Array<number>(d).fill(0);
  for (;;) {
    w = newton(X, pairs, free, l2);
    let worst = -1;
    for (let a = 1; a < d; a++) if (free[a] && w[a]! < 0 && (worst < 0 || w[a]! < w[worst]!)) worst = a;
    if (worst < 0) break;
    free[worst] = false;
  }
  const r = (v: number) => Math.round(v * 10000) / 10000;
  const m: Model = { intercept: r(w[0]!), coverage: r(w[1]!), evidence: r(w[2]!), rest: r(w[3] ?? 0), ...(use[3] ? { specific: r(w[4] ?? 0) } : {}) };
  return m;
}

function newton(X: number[][], pairs: readonly Pair[], free: readonly boolean[], l2: number): number[] {
  const idx = free.flatMap((f, a) => (f ? [a] : []));
  const k = idx.length;
  const w = new Array<number>(free.length).fill(0);
  for (let it = 0; it < 100; it++) {
    const g = new Array<number>(k).fill(0);
    const H = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    X.forEach((x, i) => {
      let z = 0;
      for (const a of idx) z += x[a]! * w[a]!;
      const p = 1 / (1 + Math.exp(-z));
      const r = p - pairs[i]!.y;
      for (let a = 0; a < k; a++) {
        g[a]! += r * x[idx[a]!]!;
        for (let b = 0; b < k; b++) H[a]![b]! += p * (1 - p) * x[idx[a]!]! * x[idx[b]!]!;
      }
    });
    for (let a = 1; a < k; a++) {
      g[a]! += l2 * w[idx[a]!]! * X.length;
      H[a]![a]! += l2 * X.length;
    }
    const step = solve(H, g);
    idx.forEach((a, j) => (w[a]! -= step[j]!));
    if (Math.hypot(...step) < 1e-8) break;
  }
  return w;
}


async function main(): Promise<void> {
  const { pairs, rows, note } = collect();
  const model = fit(pairs, 1e-3, [true, true, true, process.argv.includes('--specific')]);
  for (const r of rows) r.scores = r.scores.map(() => 0);
  // Re-score the collected pairs with the new model for the table.
  let k = 0;
  for (const r of rows) r.scores = r.ranked.map(() => probability(pairs[k++]!.e, model));
  const table = reliability(rows).filter((b) => b.n > 0).map((b) => ({ ...b, predicted: +b.predicted.toFixed(3), observed: +b.observed.toFixed(3) }));
  const file: CalibrationFile = { version: 1, fitted: `${note}; ${pairs.length} pairs, ${pairs.filter((p) => p.y).length} real fits`, model, table };
  writeFileSync(CALIBRATION_FILE, JSON.stringify(file, null, 1) + '\n');
  process.stdout.write(`${file.fitted}\nmodel ${JSON.stringify(model)}\n` + table.map((b) => `  ${b.from.toFixed(1)}–${b.to.toFixed(1)} n=${b.n} predicted ${b.predicted} observed ${b.observed}`).join('\n') + '\n');
}

if (process.argv[1]?.endsWith('calibrate.ts')) await main();

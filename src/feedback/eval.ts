// npm run eval:feedback — does feedback improve ranking where nobody rated? On each labelled set, the needs
// are split at random in halves, several times (seeded), and each split is used both ways: on one half a
// simulated office rates the suggestions it was shown (the top 10 above the display cut: 👍 when the label
// says it fits, else 👎 "wrong field"); the model learned from those ratings re-ranks (1) the needs of the
// other half, none of whose pairs were rated, (2) on the rated half, the pairs nobody rated (the rated ones
// removed from both lists), (3) the rated needs' whole rankings and (4), the other way, the capabilities'
// rankings of needs, pairs nobody rated. nDCG@5, engine vs engine + feedback:
// per fold the mean over needs, then the mean, spread (sd) and worst of the folds.
import { Engine } from '../match/engine.ts';
import { DEFAULT_MIN_SCORE } from '../match/score.ts';
import { ndcg, type Grades } from '../match/eval/metrics.ts';
import { docsOf, hasSet, loadSet, SETS } from '../match/eval/sets.ts';
import type { EntryType } from '../domain/entry.ts';
import type { SectorId } from '../domain/sectors.ts';
import type { Suggestion } from '../match/types.ts';
import { learn, ratedKeys, rerank, RERANK, type FeedbackRow, type RerankOptions } from './rerank.ts';
import { mulberry32 } from '../numeric.ts';

/** One kind of figure over the folds: the mean nDCG@5 without and with feedback, the fold deltas' spread. */
export interface Figure { n: number; base: number; fed: number; delta: number; sd: number; worst: number; better: number; worse: number }
export interface FeedbackEval { set: string; folds: number; ratings: number; heldOut: Figure; unrated: Figure; rated: Figure; reverse: Figure }

const SHOWN = 10;
const POOL = 20;
export const SPLITS = 5;


function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  const r = mulberry32(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

interface Fold { n: number; base: number; fed: number; better: number; worse: number }
const emptyFold = (): Fold => ({ n: 0, base: 0, fed: 0, better: 0, worse: 0 });
function add(f: Fold, base: number, fed: number): void {
  f.n += 1;
  f.base += base;
  f.fed += fed;
  if (fed > base + 1e-9) f.better += 1;
  if (fed < base - 1e-9) f.worse += 1;
}

function summary(folds: readonly Fold[]): Figure {
  const used = folds.filter((f) => f.n > 0);
  if (used.length === 0) return { n: 0, base: 0, fed: 0, delta: 0, sd: 0, worst: 0, better: 0, worse: 0 };
  const deltas = used.map((f) => (f.fed - f.base) / f.n);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const delta = mean(deltas);
  return {
    n: Math.round(mean(used.map((f) => f.n))),
    base: mean(used.map((f) => f.base / f.n)),
    fed: mean(used.map((f) => f.fed / f.n)),
    delta,
    sd: Math.sqrt(mean(deltas.map((d) => (d - delta) ** 2))),
    worst: Math.min(...deltas),
    better: mean(used.map((f) => f.better)),
    worse: mean(used.map((f) => f.worse)),
  };
}

export type Prepared = ReturnType<typeof prepare>;

/** The engine's rankings and the simulated ratings of a set: they do not depend on the split. */
export function prepare(name: string) {
  const { data, labels } = loadSet(name);
  const engine = new Engine(docsOf(data));
  const records = new Map(docsOf(data).map((d) => [`${d.type}:${d.record.id}`, d.record]));
  const sectorsOf = (type: EntryType, id: string): readonly SectorId[] => {
    const r = records.get(`${type}:${id}`);
    return r?.sectors?.length ? r.sectors : engine.inferredSectors(type, id);
  };
  const cases = labels.cases.map((c) => {
    const pool = engine.matchEntry('need', c.need, { top: POOL, minScore: 0 });
    const shown = pool.filter((x) => x.score >= DEFAULT_MIN_SCORE).slice(0, SHOWN);
    const rows: FeedbackRow[] = shown.map((x) => ((c.relevant[x.id] ?? 0) > 0
      ? { entryType: 'need', entryId: c.need, partnerId: x.id, vote: 'up', features: ratedKeys(x) }
      : { entryType: 'need', entryId: c.need, partnerId: x.id, vote: 'down', reason: 'wrong-field', features: ratedKeys(x) }));
    return { need: c.need, grades: new Map(Object.entries(c.relevant)) as Grades, pool, seen: new Set(shown.map((x) => x.id)), rows };
  });
  // The other direction: each capability some need was labelled with, ranking needs.
  const byCapability = new Map<string, Map<string, number>>();
  for (const c of labels.cases) for (const [cap, g] of Object.entries(c.relevant)) byCapability.set(cap, (byCapability.get(cap) ?? new Map()).set(c.need, g));
  const capabilities = [...byCapability].map(([id, grades]) => ({ id, grades: grades as Grades, pool: engine.matchEntry('capability', id, { top: POOL, minScore: 0 }) }));
  return { name, cases, capabilities, sectorsOf };
}

export function evaluateFeedback(set: string | Prepared, opts: RerankOptions = RERANK, splits = SPLITS): FeedbackEval {
  const { name, cases, capabilities, sectorsOf } = typeof set === 'string' ? prepare(set) : set;
  const ids = (l: readonly Suggestion[]) => l.map((x) => x.id);
  const folds = { heldOut: [] as Fold[], unrated: [] as Fold[], rated: [] as Fold[], reverse: [] as Fold[] };
  let ratings = 0;
  for (let seed = 1; seed <= splits; seed++) {
    const order = shuffled(cases, seed);
    const half = Math.ceil(order.length / 2);
    for (const [rated, heldOut] of [[order.slice(0, half), order.slice(half)], [order.slice(half), order.slice(0, half)]] as const) {
      const rows = rated.flatMap((c) => c.rows);
      ratings += rows.length;
      const model = learn(rows, sectorsOf, opts);
      const fed = (c: (typeof cases)[number]) => rerank(model, { type: 'need', id: c.need }, c.pool, sectorsOf, 0, opts);
      const f = { heldOut: emptyFold(), unrated: emptyFold(), rated: emptyFold(), reverse: emptyFold() };
      for (const c of heldOut) if (c.grades.size) add(f.heldOut, ndcg(ids(c.pool), c.grades, 5), ndcg(ids(fed(c)), c.grades, 5));
      for (const c of rated) {
        if (c.grades.size === 0) continue;
        const after = fed(c);
        add(f.rated, ndcg(ids(c.pool), c.grades, 5), ndcg(ids(after), c.grades, 5));
        const unratedGrades: Grades = new Map([...c.grades].filter(([id]) => !c.seen.has(id)));
        if (unratedGrades.size === 0) continue;
        const keep = (l: readonly Suggestion[]) => ids(l.filter((x) => !c.seen.has(x.id)));
        add(f.unrated, ndcg(keep(c.pool), unratedGrades, 5), ndcg(keep(after), unratedGrades, 5));
      }
      // Capabilities ranking needs: the pairs nobody rated (the rated ones removed from lists and labels).
      const ratedPairs = new Set(rated.flatMap((c) => [...c.seen].map((cap) => `${cap}|${c.need}`)));
      for (const c of capabilities) {
        const unrated = (id: string) => !ratedPairs.has(`${c.id}|${id}`);
        const grades: Grades = new Map([...c.grades].filter(([id]) => unrated(id)));
        if (grades.size === 0) continue;
        const keep = (l: readonly Suggestion[]) => ids(l.filter((x) => unrated(x.id)));
        add(f.reverse, ndcg(keep(c.pool), grades, 5), ndcg(keep(rerank(model, { type: 'capability', id: c.id }, c.pool, sectorsOf, 0, opts)), grades, 5));
      }
      folds.heldOut.push(f.heldOut);
      folds.reverse.push(f.reverse);
      folds.unrated.push(f.unrated);
      folds.rated.push(f.rated);
    }
  }
  return { set: name, folds: splits * 2, ratings: Math.round(ratings / (splits * 2)), heldOut: summary(folds.heldOut), unrated: summary(folds.unrated), rated: summary(folds.rated), reverse: summary(folds.reverse) };
}

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;

export function feedbackLines(r: FeedbackEval): string[] {
  const line = (label: string, f: Figure) =>
    `  ${label.padEnd(47)} n=${String(f.n).padStart(3)}  nDCG@5 ${f.base.toFixed(3)} → ${f.fed.toFixed(3)}  Δ ${signed(f.delta)} ± ${f.sd.toFixed(3)} (worst fold ${signed(f.worst)})  better ${f.better.toFixed(1)}, worse ${f.worse.toFixed(1)}`;
  return [
    `${r.set}: ${r.folds} folds (${r.folds / 2} random halvings, both ways), ${r.ratings} simulated ratings per fold`,
    line('needs nobody rated', r.heldOut),
    line('rated needs, pairs nobody rated', r.unrated),
    line('rated needs, whole ranking', r.rated),
    line('capabilities ranking needs, pairs nobody rated', r.reverse),
  ];
}

/** The table in docs/matching-history.md (Feedback re-ranking): one row per set. */
export function feedbackTable(rs: readonly FeedbackEval[]): string[] {
  const cell = (f: Figure) => `${f.base.toFixed(3)} → ${f.fed.toFixed(3)}, Δ ${signed(f.delta)} ± ${f.sd.toFixed(3)} (${signed(f.worst)})`;
  return [
    '| set | needs nobody rated | rated needs, pairs nobody rated | capabilities, pairs nobody rated | rated needs, whole ranking |',
    '|---|---|---|---|---|',
    ...rs.map((r) => `| ${r.set} | ${cell(r.heldOut)} | ${cell(r.unrated)} | ${cell(r.reverse)} | ${r.rated.base.toFixed(3)} → ${r.rated.fed.toFixed(3)} |`),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const markdown = args.includes('--markdown');
  const names = args.filter((a) => !a.startsWith('--')).length ? args.filter((a) => !a.startsWith('--')) : SETS.map((s) => s.name).filter(hasSet);
  const o = RERANK;
  const lines = [`Feedback re-ranking (${o.objective}, l2Generic ${o.l2Generic}, l2Key ${o.l2Key}, minEntries ${o.minEntries}, minRatings ${o.minRatings}, maxShift ${o.maxShift}, maxCapacity ${o.maxCapacity}); n = needs per fold, better/worse = needs per fold`, ''];
  const results: FeedbackEval[] = [];
  for (const n of names) {
    try {
      const r = evaluateFeedback(n);
      results.push(r);
      lines.push(...feedbackLines(r), '');
    } catch (err) {
      lines.push(`${n}: skipped (${(err as Error).message.split('\n')[0]})`, '');
    }
  }
  if (markdown) lines.push(...feedbackTable(results), '');
  process.stdout.write(lines.join('\n'));
}

// npm run eval:feedback — does feedback improve ranking where nobody rated? Two-fold on each labelled set:
// the needs are split in halves (alternating); on half A a simulated office rates the suggestions it was
// shown (the top 10 above the display cut: 👍 when the label says it fits, else 👎 "wrong field"); the model
// learned from those ratings re-ranks (1) the needs of half B, none of whose pairs were rated, and (2) on
// half A, the pairs nobody rated (the rated ones removed from both lists). nDCG@5, engine vs engine + feedback.
import { Engine } from '../match/engine.ts';
import { DEFAULT_MIN_SCORE } from '../match/score.ts';
import { ndcg, type Grades } from '../match/eval/metrics.ts';
import { docsOf, hasSet, loadSet, SETS } from '../match/eval/sets.ts';
import type { EntryType } from '../domain/entry.ts';
import type { SectorId } from '../domain/sectors.ts';
import { featuresOf, learn, rerank, RERANK, type FeedbackRow, type RerankOptions } from './rerank.ts';

export interface FoldFigures { n: number; base: number; fed: number; better: number; worse: number }
export interface FeedbackEval { set: string; ratings: number; heldOut: FoldFigures; unrated: FoldFigures; rated: FoldFigures }

const SHOWN = 10;
const POOL = 20;

function add(f: FoldFigures, base: number, fed: number): void {
  f.n += 1;
  f.base += base;
  f.fed += fed;
  if (fed > base + 1e-9) f.better += 1;
  if (fed < base - 1e-9) f.worse += 1;
}
const empty = (): FoldFigures => ({ n: 0, base: 0, fed: 0, better: 0, worse: 0 });
const mean = (f: FoldFigures): FoldFigures => ({ ...f, base: f.n ? f.base / f.n : 0, fed: f.n ? f.fed / f.n : 0 });

export function evaluateFeedback(name: string, opts: RerankOptions = RERANK): FeedbackEval {
  const { data, labels } = loadSet(name);
  const engine = new Engine(docsOf(data));
  const records = new Map(docsOf(data).map((d) => [`${d.type}:${d.record.id}`, d.record]));
  const sectorsOf = (type: EntryType, id: string): readonly SectorId[] => {
    const r = records.get(`${type}:${id}`);
    return r?.sectors?.length ? r.sectors : engine.inferredSectors(type, id);
  };
  const cases = labels.cases;
  const out = { heldOut: empty(), unrated: empty(), rated: empty() };
  let ratings = 0;
  for (const fold of [0, 1]) {
    const rated = cases.filter((_, i) => i % 2 === fold);
    const heldOut = cases.filter((_, i) => i % 2 !== fold);
    const rows: FeedbackRow[] = [];
    const shown = new Map<string, Set<string>>();
    for (const c of rated) {
      const s = engine.matchEntry('need', c.need, { top: SHOWN, minScore: DEFAULT_MIN_SCORE });
      shown.set(c.need, new Set(s.map((x) => x.id)));
      for (const x of s) {
        const fits = (c.relevant[x.id] ?? 0) > 0;
        const features = featuresOf(x);
        rows.push(fits ? { entryType: 'need', entryId: c.need, partnerId: x.id, vote: 'up', features } : { entryType: 'need', entryId: c.need, partnerId: x.id, vote: 'down', reason: 'wrong-field', features });
      }
    }
    ratings += rows.length;
    const model = learn(rows, sectorsOf, opts);
    const ranked = (id: string) => engine.matchEntry('need', id, { top: POOL, minScore: 0 });
    for (const c of heldOut) {
      const grades: Grades = new Map(Object.entries(c.relevant));
      if (grades.size === 0) continue;
      const base = ranked(c.need);
      add(out.heldOut, ndcg(base.map((x) => x.id), grades, 5), ndcg(rerank(model, 'need', c.need, base, sectorsOf).map((x) => x.id), grades, 5));
    }
    for (const c of rated) {
      const grades: Grades = new Map(Object.entries(c.relevant));
      if (grades.size === 0) continue;
      const base = ranked(c.need);
      const fed = rerank(model, 'need', c.need, base, sectorsOf);
      add(out.rated, ndcg(base.map((x) => x.id), grades, 5), ndcg(fed.map((x) => x.id), grades, 5));
      const seen = shown.get(c.need)!;
      const unratedGrades: Grades = new Map([...grades].filter(([id]) => !seen.has(id)));
      if (unratedGrades.size === 0) continue;
      const keep = (l: typeof base) => l.filter((x) => !seen.has(x.id)).map((x) => x.id);
      add(out.unrated, ndcg(keep(base), unratedGrades, 5), ndcg(keep(fed), unratedGrades, 5));
    }
  }
  return { set: name, ratings, heldOut: mean(out.heldOut), unrated: mean(out.unrated), rated: mean(out.rated) };
}

export function feedbackLines(r: FeedbackEval): string[] {
  const line = (label: string, f: FoldFigures) =>
    `  ${label.padEnd(44)} n=${String(f.n).padStart(3)}  nDCG@5 ${f.base.toFixed(3)} → ${f.fed.toFixed(3)} (${f.fed - f.base >= 0 ? '+' : ''}${(f.fed - f.base).toFixed(3)})  better ${f.better}, worse ${f.worse}`;
  return [
    `${r.set}: ${r.ratings} simulated ratings (two folds)`,
    line('held-out needs (none of their pairs rated)', r.heldOut),
    line('rated needs, pairs nobody rated', r.unrated),
    line('rated needs, whole ranking', r.rated),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const names = process.argv.slice(2).length ? process.argv.slice(2) : SETS.map((s) => s.name).filter(hasSet);
  const lines = [`Feedback re-ranking (maxPartner ${RERANK.maxPartner}, maxSector ${RERANK.maxSector}, maxFeature ${RERANK.maxFeature}, prior ${RERANK.prior}, minEntries ${RERANK.minEntries})`, ''];
  for (const n of names) {
    try {
      lines.push(...feedbackLines(evaluateFeedback(n)), '');
    } catch (err) {
      lines.push(`${n}: skipped (${(err as Error).message.split('\n')[0]})`, '');
    }
  }
  process.stdout.write(lines.join('\n'));
}

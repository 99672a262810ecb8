// Quality of leaving query bigrams out (engine option queryBigrams), every eval set, both directions:
//   npx tsx bench/query-bigrams.ts [all concept named]
// Prints nDCG@5 need → capability, capability → need and the no-answer AUC per set and variant, with the
// change against the first variant, and the features and postings a query reads (mean over the sets' queries).
import { Engine, type EngineOptions } from '../src/match/engine.ts';
import { answerable, evaluate, noAnswerAuc } from '../src/match/eval/run.ts';
import { summarize } from '../src/match/eval/metrics.ts';
import { docsOf, hasSet, loadSet, SETS } from '../src/match/eval/sets.ts';
import { InvertedIndex } from '../src/match/inverted.ts';

const variants = (process.argv.slice(2).length ? process.argv.slice(2) : ['all', 'concept', 'named']) as NonNullable<EngineOptions['queryBigrams']>[];
let features = 0;
let queries = 0;
const search = InvertedIndex.prototype.search;
InvertedIndex.prototype.search = function (this: InvertedIndex, ...args: Parameters<typeof search>) {
  features += args[0].size;
  queries++;
  return search.apply(this, args);
};
const rows: string[] = ['set | variant | n→c nDCG@5 | c→n nDCG@5 | no-answer AUC | features/query'];
const worst = new Map<string, number>();
for (const s of SETS) {
  if (!hasSet(s.name)) continue;
  const { data, labels } = loadSet(s.name);
  const docs = docsOf(data);
  let first: number[] | undefined;
  for (const v of variants) {
    features = queries = 0;
    const r = evaluate(new Engine(docs, { queryBigrams: v }), labels);
    const fig = [summarize(r.n2c.filter(answerable)).ndcg5, summarize(r.c2n.filter(answerable)).ndcg5, noAnswerAuc(r.n2c)];
    first ??= fig;
    const d = fig.map((x, i) => x - first![i]!);
    const finite = d.filter((x) => Number.isFinite(x));
    worst.set(v, Math.min(worst.get(v) ?? 0, ...finite));
    const f = (x: number, i: number) => (Number.isFinite(x) ? `${x.toFixed(3)}${v === variants[0] ? '' : ` (${d[i]! >= 0 ? '+' : ''}${d[i]!.toFixed(3)})`}` : '–');
    rows.push(`${s.name} | ${v} | ${fig.map(f).join(' | ')} | ${(features / queries).toFixed(0)}`);
  }
}
rows.push('', ...[...worst].map(([v, w]) => `${v}: largest fall ${w.toFixed(3)}`));
process.stdout.write(rows.join('\n') + '\n');

// Why a suggestion matched: shared concepts with both surface forms, corrected typos,
// shared terms (whole runs of shared Chinese characters, English words) and sectors in common.
import type { SectorId } from '../domain/sectors.ts';
import type { Analysis } from './analyze.ts';
import type { Correction } from './correct.ts';
import type { Glossary } from './glossary.ts';
import { cjkRuns, latinTokens, normalize, stem } from './normalize.ts';
import type { Reason } from './types.ts';

export interface ExplainInput {
  glossary: Glossary;
  query: Analysis;
  queryTexts: readonly string[];
  corrections: readonly Correction[];
  target: Analysis;
  querySectors: readonly SectorId[];
  target_sectors: readonly SectorId[];
  targetInferred: boolean;
  idf(feature: string): number;
}

const MAX_CONCEPTS = 4;
const MAX_TERMS = 5;

/** The form a side used for a concept, directly or through a narrower concept it mentioned. */
function formFor(g: Glossary, a: Analysis, concept: string): string | undefined {
  const direct = a.concepts.get(concept);
  if (direct) return direct;
  for (const [id, form] of a.concepts) if (g.ancestorsOf(id).includes(concept)) return form;
  return undefined;
}

export function explain(x: ExplainInput): Reason[] {
  const reasons: Reason[] = [];
  const shownForms = new Set<string>();
  const terms: string[] = [];

  const shared = [...x.query.features.keys()]
    .filter((f) => f.startsWith('c:') && x.target.features.has(f))
    .sort((a, b) => x.idf(b) - x.idf(a));
  const seenPairs = new Set<string>();
  for (const f of shared) {
    const id = f.slice(2);
    const q = formFor(x.glossary, x.query, id);
    const t = formFor(x.glossary, x.target, id);
    if (!q || !t) continue;
    const key = `${normalize(q)}|${normalize(t)}`;
    if (seenPairs.has(key)) continue;
    seenPairs.add(key);
    shownForms.add(normalize(q));
    shownForms.add(normalize(t));
    if (normalize(q) === normalize(t)) {
      if (terms.length < MAX_TERMS) terms.push(q);
    } else if (reasons.length < MAX_CONCEPTS) reasons.push({ kind: 'concept', concept: id, query: q, target: t });
  }

  for (const c of x.corrections) {
    const concept = x.glossary.conceptOfForm(normalize(c.to));
    const helps = concept ? x.target.features.has('c:' + concept) : x.target.features.has('w:' + stem(c.to));
    if (helps) reasons.push({ kind: 'typo', from: c.from, to: c.to });
  }

  // Runs of the query's Chinese text whose every bigram the target shares.
  const runs = new Map<string, number>();
  for (const text of x.queryTexts) {
    for (const { run } of cjkRuns(normalize(text))) {
      let cur = '';
      for (let i = 0; i + 1 < run.length; i++) {
        const bg = run.slice(i, i + 2);
        if (x.target.features.has('b:' + bg)) cur = cur ? cur + bg[1] : bg;
        else {
          if (cur.length >= 2) runs.set(cur, (runs.get(cur) ?? 0) + 1);
          cur = '';
        }
      }
      if (cur.length >= 2) runs.set(cur, (runs.get(cur) ?? 0) + 1);
    }
  }
  const covered = (s: string) => [...shownForms].some((f) => f.includes(s)) || terms.some((t) => normalize(t).includes(s));
  for (const [run] of [...runs].sort((a, b) => b[0].length - a[0].length || b[1] - a[1])) {
    if (terms.length >= MAX_TERMS) break;
    if (run.length >= 3 || x.idf('b:' + run) > 0) if (!covered(run) && !terms.some((t) => t.includes(run))) terms.push(run);
  }
  // Shared English words, rarest first.
  const words = new Map<string, string>();
  for (const text of x.queryTexts) for (const t of latinTokens(normalize(text))) if (!words.has(t.stem)) words.set(t.stem, t.text);
  const sharedWords = [...words]
    .filter(([s]) => x.target.features.has('w:' + s) && x.query.features.has('w:' + s))
    .sort((a, b) => x.idf('w:' + b[0]) - x.idf('w:' + a[0]));
  for (const [, w] of sharedWords) {
    if (terms.length >= MAX_TERMS) break;
    if (!covered(w)) terms.push(w);
  }
  if (terms.length) reasons.push({ kind: 'terms', terms });

  for (const s of x.querySectors) {
    if (x.target_sectors.includes(s)) reasons.push({ kind: 'sector', sector: s, inferred: x.targetInferred });
  }
  return reasons;
}

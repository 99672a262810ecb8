// Why a suggestion matched: shared concepts with both surface forms, corrected typos,
// shared terms (whole runs of shared Chinese characters, English words) and sectors in common.
import type { SectorId } from '../domain/sectors.ts';
import type { Analysis } from './analyze.ts';
import type { Correction } from './correct.ts';
import { featureOf, type Glossary } from './glossary.ts';
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
/** Characters that glue words together; a shared run is trimmed of them at either end. */
const GLUE = /^[的了和与及或在对为是可等将把被从以其之并而且也都把由于个]+|[的了和与及或在对为是可等将把被从以其之并而且也都个]+$/g;
/** Shared runs that say nothing about the match. */
const NOISE = /^(可提供|提供|以上|以下|小于|大于|不低于|不超过|目前|现有|希望|需要|要求|公司|企业|我们|合作|开发|研发|生产|项目|相关|主要|技术|系统|设备|实验室|中心|平台|能力|服务|进行|实现|提升|提高|降低|万元|立方米|平方米|时间|问题)$/;

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
    .filter((f) => (f.startsWith('c:') || f.startsWith('l:')) && x.target.features.has(f))
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

  const seenFix = new Set<string>();
  for (const c of x.corrections) {
    if (seenFix.has(c.from + c.to)) continue;
    seenFix.add(c.from + c.to);
    const concept = x.glossary.conceptOfForm(normalize(c.to));
    const helps = concept ? x.target.features.has(featureOf(concept)) : x.target.features.has('w:' + stem(c.to));
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
  for (const [run, n] of [...runs]) {
    const trimmed = run.replace(GLUE, '');
    if (trimmed !== run) {
      runs.delete(run);
      if (trimmed.length >= 2) runs.set(trimmed, (runs.get(trimmed) ?? 0) + n);
    }
  }
  const rarity = (run: string) => {
    let s = 0;
    for (let i = 0; i + 1 < run.length; i++) s += x.idf('b:' + run.slice(i, i + 2));
    return s;
  };
  const covered = (s: string) => [...shownForms].some((f) => f.includes(s)) || terms.some((t) => normalize(t).includes(s));
  for (const [run] of [...runs].filter(([r]) => !NOISE.test(r)).sort((a, b) => rarity(b[0]) - rarity(a[0]))) {
    if (terms.length >= MAX_TERMS) break;
    if (!covered(run) && !terms.some((t) => t.includes(run) || run.includes(t))) terms.push(run);
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

  const common = x.querySectors.filter((s) => x.target_sectors.includes(s));
  if (common.length) reasons.push({ kind: 'sector', sectors: common, inferred: x.targetInferred });
  return reasons;
}

// Why a suggestion matched: shared concepts with both surface forms, corrected typos,
// shared terms (whole runs of shared Chinese characters, English words) and sectors in common.
import type { SectorId } from '../domain/sectors.ts';
import type { Analysis } from './analyze.ts';
import type { Bridge, BridgeMark } from './bridge.ts';
import type { Correction } from './correct.ts';
import { featureOf, type Glossary } from './glossary.ts';
import { cjkRuns, latinTokens, normalize, stem } from './normalize.ts';
import { rolesOf } from './roles.ts';
import { defaultStopTerms, type StopTerms } from './stopterms.ts';
import type { Reason } from './types.ts';

/** What explaining reads of the suggested entry: an analysis, or what the index kept of one (no re-analysis). */
export interface Side {
  /** Whether the entry holds a feature (itself or through bridging). */
  has(feature: string): boolean;
  /** Whether the entry's text itself holds it (not only through bridging). */
  says(feature: string): boolean;
  concepts: ReadonlyMap<string, string>;
  marks: ReadonlyMap<string, BridgeMark>;
  codes: ReadonlyMap<string, string>;
}

export function sideOf(a: Analysis): Side {
  return { has: (f) => a.features.has(f), says: (f) => says(a, f), concepts: a.concepts, marks: a.marks, codes: a.codes };
}

export interface ExplainInput {
  glossary: Glossary;
  query: Analysis;
  queryTexts: readonly string[];
  corrections: readonly Correction[];
  target: Side;
  querySectors: readonly SectorId[];
  target_sectors: readonly SectorId[];
  targetInferred: boolean;
  idf(feature: string): number;
  /**
   * Chinese word segmentation of a CJK run, for readable shared terms (the same for every suggestion of a
   * query). Explaining asks once per query for all the query's runs joined by line breaks: jieba cuts the
   * text between two breaks on its own, so the words are those of each run in turn (one native call, not one a run).
   */
  words(run: string): readonly string[];
  stop?: StopTerms;
  bridge?: Bridge;
}

const MAX_BRIDGES = 2;

/** Whether a text itself holds a feature (not only through bridging). */
function says(a: Analysis, f: string): boolean {
  return (a.features.get(f) ?? 0) > (a.bridged.get(f) ?? 0) + 1e-9;
}

/** A family's methods as written, each with the features that show it (the same for every explanation). */
const methodKeys = new WeakMap<Bridge, Map<string, { m: string; keys: string[] }[]>>();
function methodsOf(b: Bridge, family: string): { m: string; keys: string[] }[] | undefined {
  let byFamily = methodKeys.get(b);
  if (!byFamily) methodKeys.set(b, (byFamily = new Map()));
  let out = byFamily.get(family);
  if (out) return out;
  const f = b.family(family);
  if (!f) return undefined;
  out = [];
  for (const m of [...f.methods.zh, ...f.methods.en]) {
    const norm = normalize(m);
    const keys: string[] = [];
    for (const { run } of cjkRuns(norm)) for (let i = 0; i + 1 < run.length; i++) if (!/[与和及或的]/.test(run.slice(i, i + 2))) keys.push('b:' + run.slice(i, i + 2));
    for (const t of latinTokens(norm)) if (t.text.length > 2 && !['and', 'for', 'the', 'with'].includes(t.text)) keys.push('w:' + t.stem);
    if (keys.length) out.push({ m, keys });
  }
  byFamily.set(family, out);
  return out;
}

/** How much of a method's wording a side holds: its glossary concepts, else its bigrams or English words. */
function methodShown(b: Bridge, family: string, side: Side): string | undefined {
  const methods = methodsOf(b, family);
  if (!methods) return undefined;
  // The method as the lexicon words it, where the side holds most of that wording (a family's concepts may
  // name the object, 开关柜, which is no remedy).
  let best: string | undefined;
  let bestShare = 0.6;
  for (const { m, keys } of methods) {
    const share = keys.filter((k) => side.says(k)).length / keys.length;
    if (share > bestShare) {
      bestShare = share;
      best = m;
    }
  }
  return best;
}

/** A symptom on one side, the method for it on the other (either side may be the query). */
function bridgeReasons(x: ExplainInput): Reason[] {
  const out: Reason[] = [];
  const b = x.bridge;
  if (!b) return out;
  const stop = x.stop ?? defaultStopTerms();
  for (const id of new Set([...x.query.marks.keys(), ...x.target.marks.keys()])) {
    if (out.length >= MAX_BRIDGES) break;
    const q = x.query.marks.get(id);
    const t = x.target.marks.get(id);
    let problem: string | undefined;
    let method: string | undefined;
    if (q && t) {
      // The same complaint in other words (pouch cells puff ≈ 电芯膨胀): the family says so.
      if (q.method === t.method) {
        // Two families may share the same pair of forms: one line for it.
        const same = (r: Reason) => r.kind === 'concept' && r.query === q.form && r.target === t.form;
        if (!q.method && q.form.trim().toLowerCase() !== t.form.trim().toLowerCase() && !out.some(same)) out.push({ kind: 'concept', concept: 'p:' + id, query: q.form, target: t.form });
        continue;
      }
      problem = q.method ? t.form : q.form;
      method = q.method ? q.form : t.form;
    } else {
      const mark = (q ?? t)!;
      if (mark.method) continue;
      problem = mark.form;
      method = methodShown(b, id, q ? x.target : sideOf(x.query));
    }
    if (!problem || !method || stop.isFiller(problem)) continue;
    if (!out.some((r) => r.kind === 'bridge' && r.problem === problem)) out.push({ kind: 'bridge', problem, method });
  }
  return out;
}

/** normalize, remembered: explaining normalises the same forms and terms for every suggestion. */
const normals = new Map<string, string>();
function norm(s: string): string {
  let n = normals.get(s);
  if (n === undefined) {
    if (normals.size >= 50_000) normals.clear();
    normals.set(s, (n = normalize(s)));
  }
  return n;
}

const MAX_CONCEPTS = 4;
// Made with the first explanation: ICU's word data takes ~30 ms to load, not needed for a start.
let smallWords: Intl.Segmenter | undefined;
const MAX_TERMS = 5;
/** Characters that glue words together; a shared run is trimmed of them at either end. */
const GLUE = /^[的了和与及或在对为是可等将把被从以其之并而且也都把由于个]+|[的了和与及或在对为是可等将把被从以其之并而且也都个]+$/g;

/** The form a side used for a concept, directly or through a narrower concept it mentioned. */
function formFor(g: Glossary, a: { concepts: ReadonlyMap<string, string> }, concept: string): string | undefined {
  const direct = a.concepts.get(concept);
  if (direct) return direct;
  for (const [id, form] of a.concepts) if (g.ancestorsOf(id).includes(concept)) return form;
  return undefined;
}

/** What explaining takes from the query alone: worked out once per query, not once per suggestion. */
interface QueryPrep {
  texts: string;
  /** The query's texts normalised (English words and Chinese runs both read them). */
  normals: string[];
  stop: StopTerms;
  /** Concept and lexicon features, in the query's order. */
  conceptual: string[];
  /** Chinese words of the query (segmented), worked out when a suggestion first needs them (jieba is most of a query's preparation). */
  chinese?: QueryWords;
  /** English stems the query's text itself says, and the word as written. */
  latin: [string, string][];
  /** Their features ('w:' and the stem). */
  latinKeys: Map<string, string>;
  /** Inverse document frequencies and word rarities looked up so far (sorting asks for each many times). */
  idf: Map<string, number>;
  rarity: Map<string, number>;
  /** The form the query used for each shared concept (formFor), per concept. */
  forms: Map<string, string | undefined>;
}

/** A long word's smaller words (of 2+ characters), remembered: every suggestion may ask, and words recur across queries. */
const parts = new Map<string, string[]>();
function partsOf(w: string): string[] {
  let out = parts.get(w);
  if (out) return out;
  out = [];
  for (const part of (smallWords ??= new Intl.Segmenter('zh', { granularity: 'word' })).segment(w)) if (part.segment.length >= 2) out.push(part.segment);
  if (parts.size >= 50_000) parts.clear();
  parts.set(w, out);
  return out;
}
const preps = new WeakMap<Analysis, QueryPrep>();

/**
 * A query's Chinese words (segmented), glue trimmed, in order; which are fillers; all of them; and, per word,
 * its smaller words that are neither a query word nor a filler (worked out when a suggestion first asks: the
 * same for every suggestion, where asking partsOf and isFiller per suggestion cost ~9 % of explaining).
 */
interface QueryWords { list: string[]; filler: boolean[]; set: ReadonlySet<string>; keys: string[][]; parts: (Word[] | undefined)[] }

/** A word and its bigram features, built once per query (not once per suggestion). */
interface Word { w: string; keys: string[] }
function bigramKeys(w: string): string[] {
  const keys: string[] = [];
  for (let i = 0; i + 1 < w.length; i++) keys.push('b:' + w.slice(i, i + 2));
  return keys;
}

/** A query word's smaller words that sharedTerms may show (not a query word, not a filler), remembered per query. */
function extraParts(words: QueryWords, i: number, stop: StopTerms): Word[] {
  let out = words.parts[i];
  if (!out) words.parts[i] = out = partsOf(words.list[i]!).filter((p) => !words.set.has(p) && !stop.isFiller(p)).map((w) => ({ w, keys: bigramKeys(w) }));
  return out;
}

function chineseWords(prep: QueryPrep, x: ExplainInput): QueryWords {
  if (prep.chinese) return prep.chinese;
  const words = new Set<string>();
  // (A run met again, or of one character, adds no word.)
  const runs: string[] = [];
  const met = new Set<string>();
  for (const text of prep.normals) {
    for (const { run } of cjkRuns(text)) {
      if (run.length < 2 || met.has(run)) continue;
      met.add(run);
      runs.push(run);
    }
  }
  if (runs.length) for (const w of x.words(runs.join('\n'))) if (w.length >= 2) words.add(w.replace(GLUE, ''));
  const list = [...words];
  prep.chinese = { list, filler: list.map((w) => prep.stop.isFiller(w)), set: words, keys: list.map(bigramKeys), parts: [] };
  return prep.chinese;
}

function prepare(x: ExplainInput): QueryPrep {
  const texts = x.queryTexts.join('\u0000');
  const stop = x.stop ?? defaultStopTerms();
  const had = preps.get(x.query);
  if (had && had.texts === texts && had.stop === stop) return had;
  const latin = new Map<string, string>();
  const normals = x.queryTexts.map(normalize);
  for (const text of normals) for (const t of latinTokens(text)) if (!latin.has(t.stem)) latin.set(t.stem, t.text);
  const kept = [...latin].filter(([s]) => says(x.query, 'w:' + s));
  const prep: QueryPrep = {
    texts,
    normals,
    stop,
    conceptual: [...x.query.features.keys()].filter((f) => f.startsWith('c:') || f.startsWith('l:')),
    latin: kept,
    latinKeys: new Map(kept.map(([s]) => [s, 'w:' + s])),
    idf: new Map(),
    rarity: new Map(),
    forms: new Map(),
  };
  preps.set(x.query, prep);
  return prep;
}

/** Chinese words of the query (segmented) and English words that the target also holds, rarest first, into `terms` while there is room. */
function sharedTerms(x: ExplainInput, prep: QueryPrep, terms: string[], covered: (s: string) => boolean, idf: (f: string) => number): void {
  const words = chineseWords(prep, x);
  // Chinese: every bigram shared.
  const sharedWord = (keys: readonly string[]) => {
    for (const k of keys) if (!x.target.says(k)) return false;
    return keys.length > 0;
  };
  // Shared words that are no filler, in the query's order; then the shared parts of a long word only
  // partly shared (故障定位 against 故障区段定位 shows 故障, 定位), in the order met, each once.
  const found: string[] = [];
  let added: Map<string, Word> | undefined;
  for (let i = 0; i < words.list.length; i++) {
    const w = words.list[i]!;
    const filler = words.filler[i]!;
    if (filler && w.length < 4) continue;
    const sh = sharedWord(words.keys[i]!);
    if (sh && !filler) found.push(w);
    if (w.length < 4 || sh) continue;
    // (A filler part is left out before the set: the set keeps the order the others are first met in.)
    for (const part of extraParts(words, i, prep.stop)) if (!(added ??= new Map()).has(part.w)) added.set(part.w, part);
  }
  if (added) for (const { w, keys } of added.values()) if (sharedWord(keys)) found.push(w);
  const rarity = (w: string) => {
    let r = prep.rarity.get(w);
    if (r !== undefined) return r;
    let s = 0;
    for (let i = 0; i + 1 < w.length; i++) s += idf('b:' + w.slice(i, i + 2));
    prep.rarity.set(w, (r = s / Math.max(1, w.length - 1) + w.length * 0.1));
    return r;
  };
  for (const w of found.sort((a, b) => rarity(b) - rarity(a))) {
    if (terms.length >= MAX_TERMS) break;
    if (!covered(w) && !terms.some((t) => t.includes(w) || w.includes(t))) terms.push(w);
  }
  if (terms.length >= MAX_TERMS) return;
  // Shared English words, rarest first.
  const sharedWords = prep.latin
    .filter(([s]) => x.target.says(prep.latinKeys.get(s)!))
    .sort((a, b) => idf(prep.latinKeys.get(b[0])!) - idf(prep.latinKeys.get(a[0])!));
  for (const [, w] of sharedWords) {
    if (terms.length >= MAX_TERMS) break;
    if (!covered(w) && !prep.stop.isFiller(w)) terms.push(w);
  }
}

/** Whether any of the forms contains s (no copy of the set: sorting and covering ask many times). */
function holdsPart(forms: ReadonlySet<string>, s: string): boolean {
  for (const f of forms) if (f.includes(s)) return true;
  return false;
}

export function explain(x: ExplainInput): Reason[] {
  const prep = prepare(x);
  const idf = (f: string) => {
    let v = prep.idf.get(f);
    if (v === undefined) prep.idf.set(f, (v = x.idf(f)));
    return v;
  };
  const reasons: Reason[] = bridgeReasons(x);
  const stop = x.stop ?? defaultStopTerms();
  const shownForms = new Set<string>(reasons.flatMap((r) => (r.kind === 'concept' ? [norm(r.query), norm(r.target)] : [])));
  const terms: string[] = [];

  const shared = prep.conceptual
    .filter((f) => x.target.has(f))
    .sort((a, b) => idf(b) - idf(a));
  // The rarest shared concepts are shown; of them, what is done (a problem, function, method, property) leads
  // and the object it is done to (product, material …) follows.
  const roles = rolesOf(x.glossary);
  const concepts: (Reason & { kind: 'concept' })[] = [];
  // A complaint both sides word alike is already a line (bridgeReasons); a glossary concept with the same two forms adds none.
  const seenPairs = new Set<string>(reasons.flatMap((r) => (r.kind === 'concept' ? [`${norm(r.query)}|${norm(r.target)}`] : [])));
  for (const f of shared) {
    const id = f.slice(2);
    let q = prep.forms.get(id);
    if (q === undefined && !prep.forms.has(id)) prep.forms.set(id, (q = formFor(x.glossary, x.query, id)));
    const t = formFor(x.glossary, x.target, id);
    if (!q || !t || stop.isFiller(q) || stop.isFiller(t)) continue;
    const nq = norm(q);
    const nt = norm(t);
    const key = `${nq}|${nt}`;
    if (seenPairs.has(key)) continue;
    seenPairs.add(key);
    // Worded alike inside a complaint already shown ("false alarms" in "vision inspection gives too many false alarms"): no second line.
    if (nq === nt && holdsPart(shownForms, nq)) continue;
    shownForms.add(nq);
    shownForms.add(nt);
    if (nq === nt) {
      if (terms.length < MAX_TERMS) terms.push(q);
    } else if (reasons.length + concepts.length < MAX_CONCEPTS) {
      // Named by both sides: an equivalence; by one side or neither: both fall under it.
      const direct = x.query.concepts.has(id) && x.target.concepts.has(id);
      const c = x.glossary.concepts.get(id);
      const via = !direct && c ? { zh: c.zh[0] ?? c.en[0] ?? id, en: c.en[0] ?? c.zh[0] ?? id } : undefined;
      concepts.push({ kind: 'concept', concept: id, query: q, target: t, ...(via ? { via } : {}) });
    }
  }
  const objectRank = (r: { concept: string }) => (roles.isObject(r.concept) ? 1 : 0);
  reasons.push(...concepts.sort((a, b) => objectRank(a) - objectRank(b)));

  const seenFix = new Set<string>();
  for (const c of x.corrections) {
    if (seenFix.has(c.from + c.to)) continue;
    seenFix.add(c.from + c.to);
    const concept = x.glossary.conceptOfForm(norm(c.to));
    const helps = concept
      ? [concept, ...x.glossary.ancestorsOf(concept)].some((id) => x.target.has(featureOf(id)))
      : x.target.has('w:' + stem(c.to));
    if (helps) reasons.push({ kind: 'typo', from: c.from, to: c.to });
  }

  const covered = (s: string) => holdsPart(shownForms, s) || terms.some((t) => norm(t).includes(s));
  // Shared words add terms only while there is room (with five shown already, none is looked for).
  if (terms.length < MAX_TERMS) sharedTerms(x, prep, terms, covered, idf);
  // A term inside another shown term (质子交换膜 in 质子交换膜燃料电池) adds nothing.
  const shown = terms.filter((t, i) => !terms.some((o, j) => j !== i && o.length > t.length && norm(o).includes(norm(t))));
  // Standard codes both sides cite.
  for (const [key, code] of x.query.codes) if (x.target.codes.has(key) && !shown.includes(code) && shown.length < MAX_TERMS + 1) shown.unshift(code);
  if (shown.length) reasons.push({ kind: 'terms', terms: shown });

  const common = x.querySectors.filter((s) => x.target_sectors.includes(s));
  if (common.length) reasons.push({ kind: 'sector', sectors: common, inferred: x.targetInferred });
  return reasons;
}

// From text to weighted features: glossary concepts (and their broader concepts), English stems,
// Chinese words, and CJK character bigrams as the fallback that lets unknown terms still match.
import type { EntryRecord } from '../domain/entry.ts';
import type { SectorId } from '../domain/sectors.ts';
import { featureOf, LEXICON_PREFIX, type ConceptHit, type Glossary } from './glossary.ts';
import { cjkRuns, latinTokens, normalize, STOPWORDS, type Token } from './normalize.ts';
import type { Bridge, BridgeMark } from './bridge.ts';
import type { Segment } from './segment.ts';

export interface Field { text: string; weight: number }

/** Field weights: the title and keywords say what an entry is about; the description adds context. */
export const FIELD_WEIGHTS = { title: 3, keywords: 2, description: 1, org: 0.3 } as const;
/** A glossary term nested in a longer one counts this share. */
export const NESTED_SHARE: number = 0.5;
/** A broader concept counts this share of a direct mention, and this share again per level up. */
export const BROADER_SHARE = 0.35;

export interface Analysis {
  /** feature → field-weighted term frequency */
  features: Map<string, number>;
  length: number;
  /** concept id → the surface form met first */
  concepts: Map<string, string>;
  /** problem family id → the symptom or method the text names (bridging) */
  marks: Map<string, BridgeMark>;
  /** standard key → the code as written */
  codes: Map<string, string>;
  /** the share of each feature that bridging read into the text (explanations show only what a text says) */
  bridged: Map<string, number>;
}

export interface Analyzer {
  glossary: Glossary;
  segment: Segment;
  /** Problem → method bridging and standard codes; absent when analysing the methods themselves. */
  bridge?: Bridge;
}

export function recordFields(r: EntryRecord, opts: { org?: boolean } = {}): Field[] {
  const fields: Field[] = [
    { text: r.title, weight: FIELD_WEIGHTS.title },
    { text: (r.keywords ?? []).join(' ; '), weight: FIELD_WEIGHTS.keywords },
    { text: r.description, weight: FIELD_WEIGHTS.description },
  ];
  if (opts.org) fields.push({ text: r.org, weight: FIELD_WEIGHTS.org });
  return fields;
}

function add(map: Map<string, number>, key: string, w: number): void {
  map.set(key, (map.get(key) ?? 0) + w);
}

/** Sectors a text's glossary concepts point to (the leaders of a vote), for reading ambiguous symptoms. */
function conceptSectors(g: Glossary, hits: readonly { concept: string }[]): string[] {
  const votes = new Map<string, number>();
  const seen = new Set<string>();
  for (const { concept } of hits) {
    if (seen.has(concept)) continue;
    seen.add(concept);
    const c = g.concepts.get(concept);
    if (!c || c.sectors.length === 0) continue;
    for (const s of c.sectors) votes.set(s, (votes.get(s) ?? 0) + 1 / c.sectors.length);
  }
  const top = Math.max(0, ...votes.values());
  return [...votes].filter(([, v]) => v >= top * 0.6).map(([s]) => s);
}

/** A text's normal form, tokens and glossary hits: what analysing it starts from. */
export function findIn(g: Glossary, text: string): { norm: string; tokens: Token[]; hits: ConceptHit[] } {
  const norm = normalize(text);
  const tokens = latinTokens(norm);
  return { norm, tokens, hits: g.find(norm, text, tokens) };
}

/**
 * `sectors`: the entry's own sectors, which tell an ambiguous symptom's family (鼓包 in a battery or a coating).
 * `found`: findIn's answers for some of the texts (a query's typo correction worked them out already).
 */
export function analyze(a: Analyzer, fields: readonly Field[], opts: { sectors?: readonly string[]; found?: ReadonlyMap<string, ReturnType<typeof findIn>>; spanned?: (concept: string) => boolean } = {}): Analysis {
  const features = new Map<string, number>();
  const concepts = new Map<string, string>();
  const marks = new Map<string, BridgeMark>();
  const codes = new Map<string, string>();
  // Bridged features do not make a document longer: they are read into it, not written in it.
  let bridged = 0;
  const bridgedBy = new Map<string, number>();
  const addBridged = (f: string, w: number) => {
    add(features, f, w);
    add(bridgedBy, f, w);
    bridged += w;
  };
  const prepared = fields.filter((f) => f.text).map(({ text, weight }) => ({ text, weight, ...(opts.found?.get(text) ?? findIn(a.glossary, text)) }));
  const ctx = a.bridge?.context(prepared.map((p) => p.norm), () => [...(opts.sectors ?? []), ...conceptSectors(a.glossary, prepared.flatMap((p) => p.hits))], opts.sectors ?? []);
  for (const { text, weight, norm, tokens, hits } of prepared) {
    for (const hit of hits) {
      // A term inside a longer term ("cell" in "fuel cell", 电池 in 电池片) is weaker evidence;
      // an everyday word inside a technical term is none.
      const inside = hit.start >= 0 && hits.some((h) => h !== hit && h.start <= hit.start && h.end >= hit.end && h.end - h.start > hit.end - hit.start);
      if (inside && (hit.concept.startsWith(LEXICON_PREFIX) || NESTED_SHARE === 0)) continue;
      add(features, featureOf(hit.concept), inside ? weight * NESTED_SHARE : weight);
      if (!concepts.has(hit.concept)) concepts.set(hit.concept, hit.form);
      // Each level up counts less again: a distant ancestor is weak evidence.
      let share = BROADER_SHARE;
      for (const anc of a.glossary.ancestorsOf(hit.concept)) {
        add(features, featureOf(anc), weight * share);
        share *= BROADER_SHARE;
      }
    }
    a.bridge?.apply(norm, text, tokens, weight, addBridged, marks, codes, hits, ctx);
    for (const t of tokens) {
      if (t.text.length < 2 || STOPWORDS.has(t.stem) || /^\d+(\.\d+)?$/.test(t.text)) continue;
      add(features, 'w:' + t.stem, weight);
    }
    // `spanned` (queries only): the bigrams lying wholly inside a span of such a concept are left out.
    let inside: Uint8Array | undefined;
    if (opts.spanned) {
      for (const h of hits) {
        if (h.start < 0 || h.end - h.start < 2 || !opts.spanned(h.concept)) continue;
        inside ??= new Uint8Array(norm.length);
        for (let p = h.start; p + 2 <= h.end; p++) inside[p] = 1;
      }
    }
    for (const { run, start } of cjkRuns(norm)) {
      if (run.length === 1) {
        add(features, 'b:' + run, weight * 0.5);
        continue;
      }
      for (let i = 0; i + 1 < run.length; i++) if (!inside?.[start + i]) add(features, 'b:' + run.slice(i, i + 2), weight);
      for (const w of a.segment(run)) add(features, 'z:' + w, weight);
    }
  }
  let length = -bridged;
  for (const v of features.values()) length += v;
  return { features, length: Math.max(length, 0), concepts, marks, codes, bridged: bridgedBy };
}

/** Sectors implied by the concepts an entry mentions (for entries that give none). */
export function inferSectors(a: Analyzer, analysis: Analysis, max = 2): SectorId[] {
  const votes = new Map<SectorId, number>();
  for (const id of analysis.concepts.keys()) {
    const c = a.glossary.concepts.get(id);
    if (!c || c.sectors.length === 0) continue;
    const w = Math.min(analysis.features.get(featureOf(id)) ?? 1, 6) / c.sectors.length;
    for (const s of c.sectors) votes.set(s, (votes.get(s) ?? 0) + w);
  }
  const ranked = [...votes].sort((x, y) => y[1] - x[1]);
  const top = ranked[0]?.[1] ?? 0;
  if (top < 2) return [];
  return ranked.filter(([, v]) => v >= top * 0.6).slice(0, max).map(([s]) => s);
}

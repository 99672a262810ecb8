// Feedback → an exact re-scoring applied after the engine ranks. Pure: feedback rows and the entries'
// sectors in, a model out; the model re-scores a ranked list and drops blocked pairs.
//
// What is learned (learn.ts has the model):
// - from 👍 and 👎 "wrong field / wrong scale / other": a logistic correction of the engine's score over the
//   generic shape of the evidence and the keys it rests on (concepts, bridges, shared terms, the partner, the
//   sector pair crossed), both ways, pulled towards "no change" while evidence is thin. It applies to entries
//   and free text nobody rated;
// - from 👎 "no capacity" by several entries: that partner moves down for everyone (👍 cancel it);
// - blocking reasons (wrong field, already partners) remove the pair itself, both ways.
import { BLOCKING_REASONS, type FeedbackReason } from '../domain/collaboration.ts';
import type { EntryType } from '../domain/entry.ts';
import type { SectorId } from '../domain/sectors.ts';
import type { Suggestion } from '../match/types.ts';
import { descriptorKeys, fit, LEARN, NO_CHANGE, shapeFromKeys, shapeOf, shift, shifted, type Example, type LearnOptions, type Logistic } from './learn.ts';

export interface FeedbackRow {
  entryType: EntryType;
  entryId: string;
  partnerId: string;
  vote: 'up' | 'down';
  reason?: FeedbackReason;
  /** What the pair was suggested on (see ratedKeys), when known. */
  features?: readonly string[];
}

export interface RerankOptions extends LearnOptions {
  /** Largest move down of a partner that several entries found without capacity. */
  maxCapacity: number;
  /** Pseudo-count: the capacity move reaches half its maximum after this many net 👎. */
  prior: number;
}

export const RERANK: RerankOptions = { ...LEARN, maxCapacity: 0.12, prior: 3 };

/** The evidence of a suggestion as keys: shared concepts, symptom → method bridges, shared terms. */
export function featuresOf(s: Pick<Suggestion, 'reasons'>): string[] {
  const out: string[] = [];
  for (const r of s.reasons) {
    if (r.kind === 'concept') out.push(`c:${r.concept}`);
    else if (r.kind === 'bridge') out.push(`b:${r.problem}>${r.method}`);
    else if (r.kind === 'terms') out.push(...r.terms.map((t) => `t:${t.toLowerCase()}`));
  }
  return [...new Set(out)];
}

/** What is stored with a rating: the evidence keys and the generic shape of the suggestion. */
export function ratedKeys(s: Pick<Suggestion, 'reasons' | 'score' | 'evidence'>): string[] {
  return [...featuresOf(s), ...descriptorKeys(shapeOf(s))];
}

export interface FeedbackModel {
  /** `${type}:${entry}|${partner}` for both directions of every blocked pair. */
  blocked: Set<string>;
  /** `${partnerType}:${partnerId}` → score adjustment (≤ 0) for want of capacity. */
  capacity: Map<string, number>;
  logistic: Logistic;
  size: number;
}

const OTHER: Record<EntryType, EntryType> = { need: 'capability', capability: 'need' };
/** Reasons that say the two do not fit (the others are about the partner's state, or the pair's history). */
const MISFIT: ReadonlySet<FeedbackReason> = new Set(['wrong-field', 'wrong-scale', 'other']);

const pairKey = (type: EntryType, entry: string, partner: string) => `${type}:${entry}|${partner}`;

export type SectorsOf = (type: EntryType, id: string) => readonly SectorId[];

/** Keys beyond the evidence: the partner, and the sector pair (need's > capability's) crossed when the two share none. */
function contextKeys(ptype: EntryType, partnerId: string, source: readonly SectorId[] | undefined, theirs: readonly SectorId[]): string[] {
  const out = [`p:${ptype}:${partnerId}`];
  if (!source?.length || theirs.some((t) => source.includes(t))) return out;
  for (const a of source) for (const b of theirs) out.push(ptype === 'capability' ? `s:${a}>${b}` : `s:${b}>${a}`);
  return out;
}

export function learn(rows: readonly FeedbackRow[], sectorsOf: SectorsOf, opts: RerankOptions = RERANK): FeedbackModel {
  const blocked = new Set<string>();
  const capacityNet = new Map<string, number>();
  const who = new Map<string, Set<string>>();
  const examples: Example[] = [];
  for (const r of rows) {
    const ptype = OTHER[r.entryType];
    const source = `${r.entryType}:${r.entryId}`;
    if (r.vote === 'down' && r.reason && BLOCKING_REASONS.has(r.reason)) {
      blocked.add(pairKey(r.entryType, r.entryId, r.partnerId));
      blocked.add(pairKey(ptype, r.partnerId, r.entryId));
    }
    if (r.vote === 'up' || r.reason === 'no-capacity') {
      const k = `${ptype}:${r.partnerId}`;
      capacityNet.set(k, (capacityNet.get(k) ?? 0) + (r.vote === 'up' ? -1 : 1));
      if (r.vote === 'down') who.set(k, (who.get(k) ?? new Set()).add(source));
    }
    const shape = shapeFromKeys(r.features ?? []);
    if (shape && (r.vote === 'up' || (r.reason && MISFIT.has(r.reason)))) {
      const keys = [...(r.features ?? []).filter((k) => !k.startsWith('x:')), ...contextKeys(ptype, r.partnerId, sectorsOf(r.entryType, r.entryId), sectorsOf(ptype, r.partnerId))];
      examples.push({ shape, keys, entry: source, fits: r.vote === 'up' });
    }
  }
  const capacity = new Map<string, number>();
  for (const [k, net] of capacityNet) {
    if (net > 0 && (who.get(k)?.size ?? 0) >= opts.minEntries) capacity.set(k, -opts.maxCapacity * (net / (net + opts.prior)));
  }
  return { blocked, capacity, logistic: fit(examples, opts), size: rows.length };
}

export const EMPTY_MODEL: FeedbackModel = { blocked: new Set(), capacity: new Map(), logistic: NO_CHANGE, size: 0 };

/**
 * Where a ranked list comes from: an entry of the directory (everything applies), or free text (what
 * generalises applies: the evidence, the partner; no sector pair, no blocked pair).
 */
export type Source = { type: EntryType; id: string } | { type: 'text' };

/** One suggestion re-scored (its score moved, clamped to 0..1). */
export function rescore(model: FeedbackModel, source: Source, s: Suggestion, sectorsOf: SectorsOf, opts: RerankOptions = RERANK): Suggestion {
  const entry = source.type === 'text' ? undefined : source;
  const mine = entry ? sectorsOf(entry.type, entry.id) : undefined;
  const by = shift(model.logistic, shapeOf(s), [...featuresOf(s), ...contextKeys(s.type, s.id, mine, sectorsOf(s.type, s.id))], opts.maxShift);
  const score = Math.max(0, Math.min(1, shifted(s.score, by) + (model.capacity.get(`${s.type}:${s.id}`) ?? 0)));
  return score === s.score ? s : { ...s, score: Math.round(score * 1000) / 1000 };
}

/**
 * A ranked list, re-scored: blocked partners dropped, each score moved, re-sorted (stable: ties keep the
 * engine's order), then cut at `minScore`. Unchanged when there is no feedback.
 */
export function rerank(model: FeedbackModel, source: Source, items: readonly Suggestion[], sectorsOf: SectorsOf, minScore = 0, opts: RerankOptions = RERANK): Suggestion[] {
  if (model.size === 0) return [...items];
  const entry = source.type === 'text' ? undefined : source;
  return items
    .filter((s) => !entry || !model.blocked.has(pairKey(entry.type, entry.id, s.id)))
    .map((s) => rescore(model, source, s, sectorsOf, opts))
    .sort((a, b) => b.score - a.score)
    .filter((s) => s.score >= minScore);
}

// Feedback → a small, exact re-scoring applied after the engine ranks. Pure: feedback rows and the
// entries' sectors in, a model out; the model adjusts a ranked list and drops blocked pairs.
//
// What is learned (each adjustment bounded, shrunk towards 0 while evidence is thin):
// - per partner: a lab (or need) that keeps being marked 👎 "no capacity", "wrong field" or "other" for
//   different entries is moved down for everyone; 👍 only cancels earlier 👎, never lifts above the engine;
// - per sector pair: when entries of sector A keep rejecting partners of sector B as "wrong field", partners
//   of B move down for entries of A (and 👍 between A and B cancel it).
// Blocking reasons (wrong field, already partners) also remove the pair itself, both ways.
import { BLOCKING_REASONS, type FeedbackReason } from '../domain/collaboration.ts';
import type { EntryType } from '../domain/entry.ts';
import type { SectorId } from '../domain/sectors.ts';
import type { Suggestion } from '../match/types.ts';

export interface FeedbackRow {
  entryType: EntryType;
  entryId: string;
  partnerId: string;
  vote: 'up' | 'down';
  reason?: FeedbackReason;
  /** The evidence the pair was suggested on (see featuresOf), when known. */
  features?: readonly string[];
}

export interface RerankOptions {
  /** Largest move of a score, per kind of adjustment. */
  maxPartner: number;
  maxSector: number;
  maxFeature: number;
  /** Pseudo-count: an adjustment reaches half its maximum after this many net 👎. */
  prior: number;
  /** A pattern counts once this many different entries showed it (one entry's 👎 only block its own pairs). */
  minEntries: number;
}

export const RERANK: RerankOptions = { maxPartner: 0.12, maxSector: 0.08, maxFeature: 0.15, prior: 3, minEntries: 2 };

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

export interface FeedbackModel {
  /** `${type}:${entry}|${partner}` for both directions of every blocked pair. */
  blocked: Set<string>;
  /** `${partnerType}:${partnerId}` → score adjustment (≤ 0). */
  partner: Map<string, number>;
  /** `${entryType}:${sourceSector}>${partnerSector}` → score adjustment (≤ 0). */
  sector: Map<string, number>;
  /** Evidence key (featuresOf) → adjustment (≤ 0) of a suggestion resting on it. */
  feature: Map<string, number>;
  size: number;
}

const OTHER: Record<EntryType, EntryType> = { need: 'capability', capability: 'need' };
/** Reasons that say something about the partner whoever asks. */
const PARTNER_REASONS: ReadonlySet<FeedbackReason> = new Set(['no-capacity', 'wrong-field', 'other']);
/** Reasons that say something about the two fields. */
const SECTOR_REASONS: ReadonlySet<FeedbackReason> = new Set(['wrong-field']);

const pairKey = (type: EntryType, entry: string, partner: string) => `${type}:${entry}|${partner}`;
const shrink = (net: number, opts: RerankOptions, max: number) => (net <= 0 ? 0 : -max * (net / (net + opts.prior)));

export type SectorsOf = (type: EntryType, id: string) => readonly SectorId[];

export function learn(rows: readonly FeedbackRow[], sectorsOf: SectorsOf, opts: RerankOptions = RERANK): FeedbackModel {
  const blocked = new Set<string>();
  const partnerNet = new Map<string, number>();
  const sectorNet = new Map<string, number>();
  const featureNet = new Map<string, number>();
  const who = new Map<string, Set<string>>();
  const bump = (m: Map<string, number>, k: string, d: number, entry: string) => {
    m.set(k, (m.get(k) ?? 0) + d);
    if (d > 0) who.set(k, (who.get(k) ?? new Set()).add(entry));
  };
  for (const r of rows) {
    const ptype = OTHER[r.entryType];
    if (r.vote === 'down' && r.reason && BLOCKING_REASONS.has(r.reason)) {
      blocked.add(pairKey(r.entryType, r.entryId, r.partnerId));
      blocked.add(pairKey(ptype, r.partnerId, r.entryId));
    }
    const d = r.vote === 'down' ? 1 : -1;
    const source = `${r.entryType}:${r.entryId}`;
    if (r.vote === 'up' || (r.reason && PARTNER_REASONS.has(r.reason))) bump(partnerNet, `${ptype}:${r.partnerId}`, d, source);
    // Evidence that keeps leading to "wrong field" is weak evidence, whoever it is shared with.
    if (r.vote === 'up' || (r.reason && SECTOR_REASONS.has(r.reason))) for (const f of r.features ?? []) bump(featureNet, f, d, source);
    if (r.vote === 'up' || (r.reason && SECTOR_REASONS.has(r.reason))) {
      for (const s of sectorsOf(r.entryType, r.entryId)) {
        for (const t of sectorsOf(ptype, r.partnerId)) {
          if (s === t) continue; // a shared sector is the engine's business, not a pattern
          bump(sectorNet, `${r.entryType}:${s}>${t}`, d, source);
          bump(sectorNet, `${ptype}:${t}>${s}`, d, `${ptype}:${r.partnerId}`);
        }
      }
    }
  }
  const recurring = (k: string) => (who.get(k)?.size ?? 0) >= opts.minEntries;
  const partner = new Map([...partnerNet].filter(([k]) => recurring(k)).map(([k, n]) => [k, shrink(n, opts, opts.maxPartner)] as const).filter(([, v]) => v < 0));
  const sector = new Map([...sectorNet].filter(([k]) => recurring(k)).map(([k, n]) => [k, shrink(n, opts, opts.maxSector)] as const).filter(([, v]) => v < 0));
  const feature = new Map([...featureNet].filter(([k]) => recurring(k)).map(([k, n]) => [k, shrink(n, opts, opts.maxFeature)] as const).filter(([, v]) => v < 0));
  return { blocked, partner, sector, feature, size: rows.length };
}

export const EMPTY_MODEL: FeedbackModel = { blocked: new Set(), partner: new Map(), sector: new Map(), feature: new Map(), size: 0 };

/** The adjustment of one suggested pair (≤ 0). */
export function adjustment(model: FeedbackModel, type: EntryType, sourceSectors: readonly SectorId[], s: Suggestion, sectorsOf: SectorsOf): number {
  const ptype = OTHER[type];
  let adj = model.partner.get(`${ptype}:${s.id}`) ?? 0;
  const theirs = sectorsOf(ptype, s.id);
  // Only when the two share no sector: the sector pair is then what the suggestion crosses.
  if (!theirs.some((t) => sourceSectors.includes(t))) {
    let worst = 0;
    for (const a of sourceSectors) for (const b of theirs) worst = Math.min(worst, model.sector.get(`${type}:${a}>${b}`) ?? 0);
    adj += worst;
  }
  // The mean over the suggestion's evidence: resting only on discredited evidence costs the most.
  const features = featuresOf(s);
  if (features.length && model.feature.size) adj += features.reduce((n, f) => n + (model.feature.get(f) ?? 0), 0) / features.length;
  return adj;
}

/**
 * The engine's ranking for one entry, re-scored: blocked partners dropped, each score moved by its
 * adjustment (clamped to 0..1), re-sorted, then cut at `minScore`. Unchanged when there is no feedback.
 */
export function rerank(model: FeedbackModel, type: EntryType, id: string, items: readonly Suggestion[], sectorsOf: SectorsOf, minScore = 0): Suggestion[] {
  if (model.size === 0) return [...items];
  const mine = sectorsOf(type, id);
  return items
    .filter((s) => !model.blocked.has(pairKey(type, id, s.id)))
    .map((s) => {
      const adj = adjustment(model, type, mine, s, sectorsOf);
      return adj === 0 ? s : { ...s, score: Math.max(0, Math.min(1, s.score + adj)) };
    })
    .sort((a, b) => b.score - a.score)
    .filter((s) => s.score >= minScore);
}

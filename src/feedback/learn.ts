// A guild's 👍 / 👎 as a small logistic model on top of the engine's score, so that what the office
// taught transfers to entries nobody rated:
//   logit p' = logit(score) + w·x + Σ v_k
// x: the generic shape of a suggestion's evidence (kinds and counts of reasons, stated or inferred shared
// sector, coverage, evidence units); k: the evidence keys (concepts, bridges, shared terms), the partner
// and the sector pair it rests on, each counted only once several entries rated pairs resting on it.
// L2 penalties pull every weight towards 0 ("no change"), so thin or contradictory feedback moves little;
// the fit is exact and deterministic (block coordinate Newton), run when the feedback changes.
import type { Suggestion } from '../match/types.ts';
import { solve } from '../numeric.ts';

/** Names of the generic descriptors, in the order of the weight vector (after the intercept). */
export const DESCRIPTORS = ['direct', 'via', 'bridge', 'terms', 'onlyTerms', 'typo', 'title', 'sector', 'sectorInferred', 'coverage', 'units'] as const;
export type Descriptor = (typeof DESCRIPTORS)[number];

/** A suggestion's generic evidence, as stored with a rating (keys `x:name=value`, see descriptorKeys). */
export type Shape = Record<Descriptor, number> & { score: number };

export function shapeOf(s: Pick<Suggestion, 'reasons' | 'score' | 'evidence'>): Shape {
  let direct = 0, via = 0, bridge = 0, terms = 0, typo = 0, title = 0, sector = 0, sectorInferred = 0;
  for (const r of s.reasons) {
    if (r.kind === 'concept') r.via ? via++ : direct++;
    else if (r.kind === 'bridge') bridge++;
    else if (r.kind === 'terms') terms += r.terms.length;
    else if (r.kind === 'typo') typo = 1;
    else if (r.kind === 'title') title = 1;
    else if (r.kind === 'sector') r.inferred ? (sectorInferred = 1) : (sector = 1);
  }
  const cov = s.evidence?.coverage ?? 0;
  const units = s.evidence?.units ?? 0;
  return {
    direct: Math.log1p(direct), via: Math.log1p(via), bridge: Math.log1p(bridge), terms: Math.log1p(terms),
    onlyTerms: direct + via + bridge === 0 && terms > 0 ? 1 : 0, typo, title, sector, sectorInferred,
    coverage: Math.sqrt(Math.min(Math.max(cov, 0), 1.5)), units: Math.log(Math.max(units, 0.02)),
    score: s.score,
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
/** The shape as string keys, stored beside the evidence keys of a rated pair. */
export function descriptorKeys(x: Shape): string[] {
  return [...DESCRIPTORS, 'score' as const].map((d) => `x:${d}=${round(x[d])}`);
}

/** The shape back from stored keys; undefined for rows stored before shapes were kept. */
export function shapeFromKeys(keys: readonly string[]): Shape | undefined {
  const out: Partial<Record<string, number>> = {};
  for (const k of keys) {
    const m = /^x:(\w+)=(-?[\d.e-]+)$/.exec(k);
    if (m) out[m[1]!] = Number(m[2]);
  }
  if (out.score === undefined || DESCRIPTORS.some((d) => out[d] === undefined || !Number.isFinite(out[d]))) return undefined;
  return out as Shape;
}

export interface LearnOptions {
  /** L2 weight on the generic weights (and the intercept). */
  l2Generic: number;
  /** L2 weight on each key's weight: a key needs many consistent ratings to move. */
  l2Key: number;
  /** A key counts once this many different entries rated pairs resting on it. */
  minEntries: number;
  /** Below this many ratings with a shape, the generic part stays at 0. */
  minRatings: number;
  /** Largest move of a logit, either way. */
  maxShift: number;
  /** Which keys are learned, by prefix: c concept, b bridge, t shared term, p partner, s sector pair. */
  keyKinds: string;
  /** Whether the generic part is learned at all. */
  generic: boolean;
  /** pointwise: 👍 / 👎 as fit / no fit; pairwise: each 👍 above each 👎 of the same entry. */
  objective: 'pointwise' | 'pairwise';
  /** Descriptors left out (their weight stays 0). */
  without: readonly Descriptor[];
}

export const LEARN: LearnOptions = { l2Generic: 8, l2Key: 4, minEntries: 2, minRatings: 12, maxShift: 1.5, keyKinds: 'cbtps', generic: true, objective: 'pairwise', without: [] };

export interface Example { shape: Shape; keys: readonly string[]; entry: string; fits: boolean }

export interface Logistic {
  intercept: number;
  weights: Record<Descriptor, number>;
  keys: Map<string, number>;
  /** Examples it was fitted on. */
  n: number;
}

export const NO_CHANGE: Logistic = { intercept: 0, weights: Object.fromEntries(DESCRIPTORS.map((d) => [d, 0])) as Record<Descriptor, number>, keys: new Map(), n: 0 };

const clampP = (p: number) => Math.min(Math.max(p, 0.001), 0.999);
export const logit = (p: number) => Math.log(clampP(p) / (1 - clampP(p)));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));


interface Row { o: number; x: number[]; k: [number, number][]; y: number }

export function fit(examples: readonly Example[], opts: LearnOptions = LEARN): Logistic {
  if (examples.length === 0) return NO_CHANGE;
  // Keys shown by enough different entries; the others are one entry's business (its own pairs).
  const who = new Map<string, Set<string>>();
  for (const e of examples) for (const k of new Set(e.keys)) if (opts.keyKinds.includes(k[0]!)) who.set(k, (who.get(k) ?? new Set()).add(e.entry));
  const keyIds = [...who].filter(([, s]) => s.size >= opts.minEntries).map(([k]) => k).sort();
  const index = new Map(keyIds.map((k, i) => [k, i]));
  const point = (e: Example) => ({
    o: logit(e.shape.score),
    x: [1, ...DESCRIPTORS.map((d) => (opts.without.includes(d) ? 0 : e.shape[d]))],
    k: [...new Set(e.keys)].flatMap((k) => (index.has(k) ? [index.get(k)!] : [])),
  });
  let rows: Row[];
  if (opts.objective === 'pointwise') {
    rows = examples.map((e) => { const p = point(e); return { o: p.o, x: p.x, k: p.k.map((i) => [i, 1] as [number, number]), y: e.fits ? 1 : 0 }; });
  } else {
    // Pairwise: within one entry's rated list, each 👍 should rank above each 👎.
    rows = [];
    const lists = new Map<string, Example[]>();
    for (const e of examples) lists.set(e.entry, [...(lists.get(e.entry) ?? []), e]);
    for (const list of lists.values()) {
      const pts = list.map((e) => ({ e, p: point(e) }));
      for (const a of pts) for (const b of pts) {
        if (!a.e.fits || b.e.fits) continue;
        const k = new Map<number, number>();
        for (const i of a.p.k) k.set(i, (k.get(i) ?? 0) + 1);
        for (const i of b.p.k) k.set(i, (k.get(i) ?? 0) - 1);
        rows.push({ o: a.p.o - b.p.o, x: a.p.x.map((v, j) => v - b.p.x[j]!), k: [...k].filter(([, c]) => c !== 0), y: 1 });
      }
    }
  }
  const generic = opts.generic && examples.length >= opts.minRatings;
  const dim = DESCRIPTORS.length + 1;
  let w = new Array<number>(dim).fill(0);
  const v = new Array<number>(keyIds.length).fill(0);
  const byKey: [number, number][][] = keyIds.map(() => []);
  rows.forEach((r, i) => r.k.forEach(([k, c]) => byKey[k]!.push([i, c])));
  // Each row's margin, kept up to date as weights move (a key's step touches only its rows).
  const zs = rows.map((r) => r.o);
  for (let sweep = 0; sweep < 30; sweep++) {
    let moved = 0;
    if (generic) {
      const h = Array.from({ length: dim }, () => new Array<number>(dim).fill(0));
      const g = w.map((wi) => -opts.l2Generic * wi);
      rows.forEach((r, i) => {
        const p = sigmoid(zs[i]!);
        const q = p * (1 - p);
        for (let a = 0; a < dim; a++) {
          const xa = r.x[a]!;
          if (xa === 0) continue;
          g[a]! += (r.y - p) * xa;
          for (let b = 0; b < dim; b++) h[a]![b]! += q * xa * r.x[b]!;
        }
      });
      for (let a = 0; a < dim; a++) h[a]![a]! += opts.l2Generic;
      const step = solve(h, g);
      w = w.map((wi, j) => wi + step[j]!);
      rows.forEach((r, i) => { zs[i]! += r.x.reduce((acc, xi, j) => acc + xi * step[j]!, 0); });
      moved = Math.max(moved, ...step.map(Math.abs));
    }
    for (let k = 0; k < keyIds.length; k++) {
      let g = -opts.l2Key * v[k]!, h = opts.l2Key;
      for (const [i, c] of byKey[k]!) {
        const p = sigmoid(zs[i]!);
        g += c * (rows[i]!.y - p);
        h += c * c * p * (1 - p);
      }
      const step = g / h;
      v[k]! += step;
      for (const [i, c] of byKey[k]!) zs[i]! += c * step;
      moved = Math.max(moved, Math.abs(step));
    }
    if (moved < 1e-6) break;
  }
  return {
    intercept: w[0]!,
    weights: Object.fromEntries(DESCRIPTORS.map((d, j) => [d, w[j + 1]!])) as Record<Descriptor, number>,
    keys: new Map(keyIds.map((k, i) => [k, v[i]!] as const).filter(([, x]) => Math.abs(x) > 1e-4)),
    n: examples.length,
  };
}

/** The logit shift the model gives a suggestion of this shape resting on these keys (bounded). */
export function shift(m: Logistic, x: Shape, keys: readonly string[], maxShift = LEARN.maxShift): number {
  if (m.n === 0) return 0;
  let s = m.intercept;
  for (const d of DESCRIPTORS) s += m.weights[d] * x[d];
  for (const k of new Set(keys)) s += m.keys.get(k) ?? 0;
  return Math.max(-maxShift, Math.min(maxShift, s));
}

/** The score moved by a logit shift; a score of 0 (no evidence) stays 0. */
export function shifted(score: number, by: number): number {
  if (by === 0 || score <= 0) return score;
  return Math.round(sigmoid(logit(score) + by) * 1000) / 1000;
}

/** The lowest score a shift of at most `maxShift` can lift to `cut` or above. */
export function lowestLifted(cut: number, maxShift = LEARN.maxShift): number {
  return cut <= 0 ? 0 : Math.floor(sigmoid(logit(cut) - maxShift) * 1000) / 1000;
}

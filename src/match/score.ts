// Scores with a fixed meaning: the probability that a suggestion is a real fit, estimated from
// labelled pairs (logistic calibration, `npm run calibrate`; README "Scores" has the table).
import { readFileSync } from 'node:fs';
import * as z from 'zod';

export const CalibrationFile = z.strictObject({
  version: z.literal(1),
  /** How the model was fitted: sets, pair counts. */
  fitted: z.string(),
  /**
   * p = σ(intercept + coverage·√min(coverage, 1.5) + evidence·ln(evidence units) + rest·ln(0.05 + units beyond the main lineage)
   * + specific·ln(0.05 + specific units)).
   */
  model: z.strictObject({ intercept: z.number(), coverage: z.number().min(0), evidence: z.number().min(0), rest: z.number().min(0).optional(), specific: z.number().min(0).optional() }),
  /** Reliability of the fitted model on its own pairs: predicted vs observed share of real fits. */
  table: z.array(z.strictObject({ from: z.number(), to: z.number(), n: z.number().int(), predicted: z.number(), observed: z.number() })),
});
export type CalibrationFile = z.infer<typeof CalibrationFile>;
export type Model = CalibrationFile['model'];

export const CALIBRATION_FILE = new URL('../../data/calibration.json', import.meta.url);

let loaded: CalibrationFile | undefined;
export function calibration(): CalibrationFile {
  loaded ??= CalibrationFile.parse(JSON.parse(readFileSync(CALIBRATION_FILE, 'utf8')));
  return loaded;
}

/** What a suggestion's score is computed from; both grow with the raw evidence, so order is kept. */
export interface Evidence {
  /** Evidence found ÷ evidence the query carries (unknown query features count in full). */
  coverage: number;
  /** Evidence found, in units of one rare glossary concept shared (size-independent). */
  units: number;
  /**
   * Of that, the units shared beyond the strongest shared concept's own lineage (its broader and narrower
   * concepts): other concepts, problem families, standards, lexicon words. A lab that shares one product
   * or sector word and its family, and nothing else, is thin evidence however rare that word is.
   */
  rest?: number;
  /**
   * Of that, the units from features few entries of the directory hold: each shared feature's part weighted by
   * specificity(df). Sharing only what many labs also write is weak evidence that this one fits.
   */
  specific?: number;
}

/** Entries a directory is counted in when weighing how specific a feature is (the size of the labelled sets' directories). */
export const SPECIFIC_PER = 120;
/** Past this (df per SPECIFIC_PER entries) a feature counts as not specific at all (its weight would be < 1 %). */
export const SPECIFIC_MAX_DF = 8;

/**
 * How specific a shared feature is: 1 for one only this entry holds, e^(−(d−1)/1.5) for one d entries
 * (per SPECIFIC_PER; a larger directory holds more of everything) hold, 0 past SPECIFIC_MAX_DF.
 */
export function specificity(df: number, live: number): number {
  const d = Math.max(1, df * Math.min(1, SPECIFIC_PER / Math.max(live, 1)));
  return d > SPECIFIC_MAX_DF ? 0 : Math.exp(-(d - 1) / 1.5);
}

export function features(e: Evidence): [number, number, number, number] {
  return [
    Math.sqrt(Math.min(Math.max(e.coverage, 0), 1.5)),
    Math.log(Math.max(e.units, 0.02)),
    Math.log(0.05 + Math.max(e.rest ?? e.units, 0)),
    Math.log(0.05 + Math.max(e.specific ?? e.units, 0)),
  ];
}

export function probability(e: Evidence, m: Model = calibration().model): number {
  if (!(e.coverage > 0) || !(e.units > 0)) return 0;
  const [c, u, r, sp] = features(e);
  const z = m.intercept + m.coverage * c + m.evidence * u + (m.rest ?? 0) * r + (m.specific ?? 0) * sp;
  return Math.round((1 / (1 + Math.exp(-z))) * 1000) / 1000;
}

/** Suggestions under this probability of a real fit are not shown (README "Scores"). */
export const DEFAULT_MIN_SCORE = 0.15;

/** /search lists what contains the words typed, however thin the fit: a much lower cut than /match. */
export const SEARCH_MIN_SCORE = 0.01;

/** A watched entry is told about new partners at least this likely to fit. */
export const WATCH_MIN_SCORE = 0.5;

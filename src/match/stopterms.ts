// Fillers, quantities, units and generic words (data/stopterms.json) that an explanation never
// shows as a shared term: 低于, 全程, 工艺, 中试, MPa say nothing about why two entries fit.
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { latinTokens, normalize } from './normalize.ts';

export const StopTermsFile = z.strictObject({
  version: z.literal(1),
  note: z.string().optional(),
  zh: z.array(z.string().regex(/^\p{Script=Han}{1,6}$/u, 'Chinese characters only')).min(1),
  en: z.array(z.string().regex(/^[a-z]+$/, 'lower-case English letters only')).min(1),
}).superRefine((f, ctx) => {
  for (const k of ['zh', 'en'] as const) {
    const seen = new Set<string>();
    f[k].forEach((w, i) => {
      if (seen.has(w)) ctx.addIssue({ code: 'custom', path: [k, i], message: `"${w}" is listed twice` });
      seen.add(w);
    });
  }
});
export type StopTermsFile = z.infer<typeof StopTermsFile>;

export const STOPTERMS_FILE = new URL('../../data/stopterms.json', import.meta.url);

export class StopTerms {
  private readonly zh: Set<string>;
  private readonly en: Set<string>;
  constructor(f: StopTermsFile) {
    this.zh = new Set(f.zh);
    this.en = new Set(f.en.flatMap((w) => latinTokens(w).map((t) => t.stem)));
  }

  static load(url: URL = STOPTERMS_FILE): StopTerms {
    return new StopTerms(StopTermsFile.parse(JSON.parse(readFileSync(url, 'utf8'))));
  }

  /** Answers so far (explanations ask about the same words for every suggestion and query). */
  private known = new Map<string, boolean>();

  /** Whether a term says nothing about a fit: a listed word, a number or quantity, or made only of those. */
  isFiller(term: string): boolean {
    let v = this.known.get(term);
    if (v === undefined) {
      if (this.known.size >= 50_000) this.known.clear();
      this.known.set(term, (v = this.test(term)));
    }
    return v;
  }

  private test(term: string): boolean {
    const t = normalize(term).trim();
    if (!t) return true;
    if (this.zh.has(t)) return true;
    // Quantities: "40%", "10kv", "0.5mpa", "200l".
    if (/^[\d.,%/-]+[a-z%°]*$/.test(t)) return true;
    const toks = latinTokens(t);
    const cjk = t.replace(/[^\p{Script=Han}]/gu, '');
    if (toks.length && !cjk) return toks.every((x) => this.en.has(x.stem) || /^\d/.test(x.text));
    return false;
  }
}

let shared: StopTerms | undefined;
export function defaultStopTerms(): StopTerms {
  shared ??= StopTerms.load();
  return shared;
}

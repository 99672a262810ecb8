// How plant staff vary one complaint (data/symptom-heads.json): fillers (老是, 经常, 很 …) dropped and
// change/defect heads read as one (发硬 / 变硬 / 硬化 → 变硬). Problem forms and texts are rewritten alike
// before they are compared, so 面包变硬 and 面包老是发硬 meet; offsets map back to the text as written.
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { normalize, stem, type Token } from './normalize.ts';

const Word = z.string().regex(/^[a-z]{1,20}$/, 'one lower-case English word');
const Han = z.string().regex(/^\p{Script=Han}{1,8}$/u, 'Chinese characters only (1–8)');

export const SymptomHeadsFile = z.strictObject({
  version: z.literal(1),
  note: z.string().optional(),
  fillers: z.array(Han),
  /** Object words too generic to tell one family from another (表面, 产品 …). */
  genericObjects: z.array(Han),
  heads: z.array(z.strictObject({ canon: Han.refine((s) => s.length >= 2, 'a head has 2 or more characters'), forms: z.array(Han).min(1) })),
  /** The same for English: filler words skipped, inflections and near-synonyms of a head read as one (rusty, corroded → rust). */
  en: z.strictObject({
    fillers: z.array(Word),
    genericObjects: z.array(Word),
    heads: z.array(z.strictObject({ canon: Word, forms: z.array(Word).min(1) })),
  }),
}).superRefine((f, ctx) => {
  const owner = new Map<string, string>();
  f.heads.forEach((h, i) => {
    for (const form of [h.canon, ...h.forms]) {
      const prev = owner.get(form);
      if (prev !== undefined && prev !== h.canon) ctx.addIssue({ code: 'custom', path: ['heads', i], message: `"${form}" is in the heads of both "${prev}" and "${h.canon}"` });
      owner.set(form, h.canon);
    }
    if (f.fillers.some((x) => h.canon.includes(x))) ctx.addIssue({ code: 'custom', path: ['heads', i, 'canon'], message: `"${h.canon}" contains a filler` });
  });
  const en = new Map<string, string>();
  f.en.heads.forEach((h, i) => {
    for (const w of [h.canon, ...h.forms]) {
      const prev = en.get(stem(w));
      if (prev !== undefined && prev !== h.canon) ctx.addIssue({ code: 'custom', path: ['en', 'heads', i], message: `"${w}" is in the heads of both "${prev}" and "${h.canon}"` });
      en.set(stem(w), h.canon);
    }
  });
});
export type SymptomHeadsFile = z.infer<typeof SymptomHeadsFile>;

/** An English token as the form matcher reads it: its stem or head, and whether only spaces, hyphens or fillers part it from the last. */
export interface CanonToken { stem: string; start: number; end: number; adj: boolean }

export const SYMPTOM_HEADS_FILE = new URL('../../data/symptom-heads.json', import.meta.url);

interface Node { next: Map<string, Node>; out?: string; head?: boolean }

/** A canonical text and, for each of its characters, the offset in the normalised text it came from (one extra at the end). */
export interface Canon { text: string; at: ArrayLike<number>; /** whether a change/defect head was met */ heads: boolean }

/** Longest-match rewriting over a character trie. */
class Rewriter {
  private readonly root: Node = { next: new Map() };
  /** Code units that start some entry: most characters of a text start none. */
  private readonly starts = new Uint8Array(65536);
  /** How much longer a rewritten text can be than the original. */
  private growth = 1;
  add(from: string, to: string, head = false): void {
    this.starts[from.charCodeAt(0)] = 1;
    this.growth = Math.max(this.growth, Math.ceil(to.length / from.length));
    let n = this.root;
    for (const ch of from) {
      let m = n.next.get(ch);
      if (!m) n.next.set(ch, (m = { next: new Map() }));
      n = m;
    }
    if (n.out === undefined) {
      n.out = to;
      n.head = head;
    }
  }
  run(text: string, offsets?: ArrayLike<number>, heads = false): Canon {
    const parts: string[] = [];
    const at = new Int32Array(text.length * this.growth + 1);
    let k = 0;
    let copied = 0;
    const src = (i: number) => (offsets ? offsets[i]! : i);
    for (let i = 0; i < text.length;) {
      if (!this.starts[text.charCodeAt(i)]) {
        i++;
        continue;
      }
      let n = this.root.next.get(text[i]!);
      let best = -1;
      let to = '';
      let head = false;
      for (let j = i + 1; n; j++) {
        if (n.out !== undefined) {
          best = j;
          to = n.out;
          head = !!n.head;
        }
        if (j >= text.length) break;
        n = n.next.get(text[j]!);
      }
      if (best < 0) {
        i++;
        continue;
      }
      heads ||= head;
      // Characters before the match are copied as they are.
      parts.push(text.slice(copied, i));
      for (let c = copied; c < i; c++) at[k++] = src(c);
      // A rewritten head spans the characters it replaced: its first maps to the start.
      parts.push(to);
      for (let c = 0; c < to.length; c++) at[k++] = src(i);
      i = copied = best;
    }
    if (copied === 0 && !parts.length) {
      for (let c = 0; c <= text.length; c++) at[c] = src(c);
      return { text, at: at.subarray(0, text.length + 1), heads };
    }
    parts.push(text.slice(copied));
    for (let c = copied; c < text.length; c++) at[k++] = src(c);
    at[k] = src(text.length);
    return { text: parts.join(''), at: at.subarray(0, k + 1), heads };
  }
}

export class SymptomHeads {
  /** Pass 1: fillers and heads as written; pass 2: heads with their fillers dropped (变得很硬 → 变硬). */
  private readonly pass1 = new Rewriter();
  private readonly pass2 = new Rewriter();
  /** Canonical heads, longest first. */
  readonly heads: string[];
  private readonly generic: Set<string>;
  private readonly enFillers: Set<string>;
  private readonly enGeneric: Set<string>;
  /** English stem → its head's stem */
  private readonly enHead = new Map<string, string>();
  /** English heads' stems */
  readonly enHeads: Set<string>;

  constructor(f: SymptomHeadsFile) {
    this.enFillers = new Set(f.en.fillers.map(stem));
    this.enGeneric = new Set(f.en.genericObjects.map(stem));
    for (const h of f.en.heads) for (const w of [h.canon, ...h.forms]) this.enHead.set(stem(w), stem(h.canon));
    this.enHeads = new Set(this.enHead.values());
    for (const x of f.fillers) this.pass1.add(x, '');
    const strip = (s: string) => f.fillers.reduce((t, x) => t.split(x).join(''), s);
    for (const h of f.heads) {
      for (const form of [h.canon, ...h.forms]) {
        this.pass1.add(form, h.canon, true);
        const bare = strip(form);
        if (bare.length >= 2) this.pass2.add(bare, h.canon, true);
      }
    }
    this.heads = f.heads.map((h) => h.canon).sort((a, b) => b.length - a.length);
    this.generic = new Set(f.genericObjects);
  }

  static load(url: URL = SYMPTOM_HEADS_FILE): SymptomHeads {
    return new SymptomHeads(SymptomHeadsFile.parse(JSON.parse(readFileSync(url, 'utf8'))));
  }

  /** Normalised text → canonical text, with `at[i]` the offset in the normalised text of canonical character i. */
  canon(norm: string): Canon {
    const a = this.pass1.run(norm);
    return this.pass2.run(a.text, a.at, a.heads);
  }

  /** English tokens with fillers dropped and heads unified; `adj` says the token continues a phrase. */
  tokens(norm: string, tokens: readonly Token[]): CanonToken[] {
    const out: CanonToken[] = [];
    // Whether only spaces, hyphens, slashes and fillers lie between the last kept token and this one.
    let linked = false;
    let prevEnd = -1;
    for (const t of tokens) {
      const chain: boolean = linked && prevEnd >= 0 && !/[^ \-/]/.test(norm.slice(prevEnd, t.start));
      prevEnd = t.end;
      if (this.enFillers.has(t.stem)) {
        linked = chain;
        continue;
      }
      out.push({ stem: this.enHead.get(t.stem) ?? t.stem, start: t.start, end: t.end, adj: chain });
      linked = true;
    }
    return out;
  }

  /** English form stems (canonical) → heads and object stems. */
  splitEn(stems: readonly string[]): { heads: string[]; objects: string[] } {
    return { heads: stems.filter((s) => this.enHeads.has(s)), objects: stems.filter((s) => !this.enHeads.has(s) && s.length > 2 && !this.enGeneric.has(s)) };
  }

  /** A canonical Chinese form's heads and the object words left beside them (电池起泡 → 起泡, 电池). */
  split(form: string): { heads: string[]; objects: string[] } {
    const heads: string[] = [];
    let rest = form;
    for (const h of this.heads) {
      if (!rest.includes(h)) continue;
      heads.push(h);
      rest = rest.split(h).join(' ');
    }
    const objects = rest.split(' ').filter((o) => o.length >= 2 && /^\p{Script=Han}+$/u.test(o) && !this.generic.has(o));
    return { heads, objects };
  }
}

let shared: SymptomHeads | undefined;
export function defaultSymptomHeads(): SymptomHeads {
  shared ??= SymptomHeads.load();
  return shared;
}

/** Canonical text of a raw string (for tests and data checks). */
export function canonOf(text: string, h: SymptomHeads = defaultSymptomHeads()): string {
  return h.canon(normalize(text)).text;
}

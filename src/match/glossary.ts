// The bilingual technical glossary: concepts with Chinese and English surface forms, abbreviations,
// sectors and an optional broader concept. Loaded once; matchers are built from it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { DoubleArray } from './automaton.ts';
import { SectorId } from '../domain/sectors.ts';
import { normalize, latinTokens, isCJK, type Token } from './normalize.ts';

export const Concept = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'kebab-case ASCII'),
  zh: z.array(z.string().min(2)),
  en: z.array(z.string().min(2)),
  abbr: z.array(z.string().min(1)).optional(),
  sectors: z.array(SectorId),
  broader: z.string().optional(),
});
export type Concept = z.infer<typeof Concept>;

export const GlossaryFile = z
  .strictObject({ version: z.literal(1), concepts: z.array(Concept).min(1) })
  .superRefine((file, ctx) => {
    const ids = new Map<string, number>();
    file.concepts.forEach((c, i) => {
      if (ids.has(c.id)) ctx.addIssue({ code: 'custom', path: ['concepts', i, 'id'], message: `duplicate concept id "${c.id}"` });
      ids.set(c.id, i);
    });
    const owner = new Map<string, string>();
    file.concepts.forEach((c, i) => {
      if (c.broader !== undefined && !ids.has(c.broader)) ctx.addIssue({ code: 'custom', path: ['concepts', i, 'broader'], message: `unknown broader concept "${c.broader}"` });
      if (c.zh.length + c.en.length + (c.abbr?.length ?? 0) === 0) ctx.addIssue({ code: 'custom', path: ['concepts', i], message: `concept "${c.id}" has no surface form` });
      for (const form of [...c.zh, ...c.en, ...(c.abbr ?? [])]) {
        const key = normalize(form).trim();
        const prev = owner.get(key);
        if (prev && prev !== c.id) ctx.addIssue({ code: 'custom', path: ['concepts', i], message: `"${form}" belongs to both "${prev}" and "${c.id}"` });
        owner.set(key, c.id);
      }
    });
  });

export const GLOSSARY_FILE = new URL('../../data/glossary.json', import.meta.url);

/**
 * The lexicon: everyday technical words in both languages (温度 ↔ temperature). Not concepts (no
 * sectors, no hierarchy), and weighed lower, but they bridge the two languages word by word.
 */
export const LexiconEntry = z.strictObject({ zh: z.array(z.string().min(2)), en: z.array(z.string().min(2)) });
export const LexiconFile = z.strictObject({ version: z.literal(1), entries: z.array(LexiconEntry) });
export type LexiconEntry = z.infer<typeof LexiconEntry>;
export const LEXICON_FILE = new URL('../../data/lexicon.json', import.meta.url);

/** Lexicon entries live among concepts under ids starting with "~". */
export const LEXICON_PREFIX = '~';
export function featureOf(concept: string): string {
  return (concept.startsWith(LEXICON_PREFIX) ? 'l:' : 'c:') + concept;
}

/** A glossary term found in a text; `form` is the text's own wording (for explanations). */
export interface ConceptHit { concept: string; form: string; start: number; end: number }

/** Keys of the two automata while a glossary is built. */
interface Key { labels: number[]; value: number }

/**
 * What the automata and look-up tables of a glossary serialise to (`npm run build:automaton`), with
 * the hash of the data it came from: a snapshot of other data is refused.
 */
export interface GlossarySnapshot {
  format: typeof SNAPSHOT_FORMAT;
  hash: string;
  concepts: Concept[];
  conceptIds: string[];
  chars: string;
  charTrie: ReturnType<DoubleArray['toJSON']>;
  stems: string[];
  tokTrie: ReturnType<DoubleArray['toJSON']>;
  shortAbbr: [string, string][];
  wildcard: [string, string[]][];
  englishWords: string[];
}
/** 2: a version glued to a name (wifi6) is two tokens (normalize.ts), so older automata read forms otherwise. */
const SNAPSHOT_FORMAT = 2;

/** "油脂提取" → "?脂提取", "油?提取", …: one key per character left out. */
function wildcardKeys(chars: readonly string[]): string[] {
  return chars.map((_, i) => chars.map((c, j) => (j === i ? '?' : c)).join(''));
}

export class Glossary {
  readonly concepts: ReadonlyMap<string, Concept>;
  /** Concept ids by number (the automata's values). */
  private readonly conceptIds: string[];
  /** Code unit → label of the character automaton (0: in no Chinese form, so no form starts or continues there). */
  private readonly alpha = new Uint16Array(65536);
  /** Label → code unit, in label order (what the snapshot stores). */
  private chars = '';
  private readonly charTrie: DoubleArray;
  /** English stem → label of the token automaton. */
  private readonly stemIds = new Map<string, number>();
  private readonly tokTrie: DoubleArray;
  /** Short abbreviations, matched case-sensitively on the original text ("GIS", "PA"). */
  private readonly shortAbbr = new Map<string, string>();
  /** Chinese forms of 4+ characters by one-character wildcard, for typo correction ("油脂?取"). */
  private readonly wildcard = new Map<string, string[]>();
  /** Code units in some wildcard form: a window with two outside them is one character from none. */
  private readonly wildAlpha = new Uint8Array(65536);
  /**
   * Bits by (length, which end, two code units) of the wildcard keys' ends that hold no '?': a window
   * whose ends are in none is one character from no form, and typo correction then builds no key for it.
   */
  private readonly wildEnds = new Int32Array(1 << 15);
  /** English words that occur in some form, for typo correction. */
  readonly englishWords: ReadonlySet<string>;
  private readonly ancestors = new Map<string, string[]>();
  /** The concepts as given (lexicon entries included), for snapshots. */
  private readonly all: Concept[];

  /** Builds from concepts, or takes a snapshot built from the same concepts. */
  constructor(glossary: readonly Concept[], lexicon: readonly LexiconEntry[] = [], snapshot?: GlossarySnapshot) {
    // Glossary forms are added first, so where a lexicon word repeats one the concept wins.
    const concepts: Concept[] = snapshot?.concepts ?? [...glossary, ...lexicon.map((e, i) => ({ id: `${LEXICON_PREFIX}${i}`, zh: e.zh, en: e.en, sectors: [] }))];
    this.all = concepts;
    this.concepts = new Map(concepts.map((c) => [c.id, c]));
    if (snapshot) {
      this.conceptIds = snapshot.conceptIds;
      this.chars = snapshot.chars;
      for (let i = 0; i < this.chars.length; i++) this.alpha[this.chars.charCodeAt(i)] = i + 1;
      this.charTrie = DoubleArray.fromJSON(snapshot.charTrie);
      snapshot.stems.forEach((st, i) => this.stemIds.set(st, i + 1));
      this.tokTrie = DoubleArray.fromJSON(snapshot.tokTrie);
      for (const [k, v] of snapshot.shortAbbr) this.shortAbbr.set(k, v);
      for (const [k, v] of snapshot.wildcard) this.wildcard.set(k, v);
      this.englishWords = new Set(snapshot.englishWords);
    } else {
      this.conceptIds = concepts.map((c) => c.id);
      const charKeys: Key[] = [];
      const tokKeys: Key[] = [];
      const words = new Set<string>();
      concepts.forEach((c, ci) => {
        for (const form of c.zh) this.addForm(ci, form, charKeys, tokKeys);
        for (const form of c.en) {
          this.addForm(ci, form, charKeys, tokKeys);
          for (const t of latinTokens(normalize(form))) if (t.text.length >= 4 && !/\d/.test(t.text)) words.add(t.text);
        }
        for (const a of c.abbr ?? []) {
          // Long abbreviations are distinctive in any case ("pemfc"); short ones only as written.
          // "MOFs" is MOF in the plural: three letters, so matched as written.
          if (a.replace(/[^A-Za-z0-9]/g, '').replace(/s$/, '').length >= 4) this.addForm(ci, a, charKeys, tokKeys);
          else this.shortAbbr.set(a.normalize('NFKC'), c.id);
        }
      });
      this.charTrie = DoubleArray.build(charKeys);
      this.tokTrie = DoubleArray.build(tokKeys);
      this.englishWords = words;
    }
    for (const key of this.wildcard.keys()) for (let i = 0; i < key.length; i++) this.wildAlpha[key.charCodeAt(i)] = 1;
    this.wildAlpha['?'.charCodeAt(0)] = 0;
    for (const key of this.wildcard.keys()) {
      const n = key.length;
      const q = key.indexOf('?');
      if (q >= 2) this.setEnd(n, 0, key.charCodeAt(0), key.charCodeAt(1));
      if (q <= n - 3) this.setEnd(n, 1, key.charCodeAt(n - 2), key.charCodeAt(n - 1));
    }
    for (const c of concepts) {
      const chain: string[] = [];
      let b = c.broader;
      while (b && !chain.includes(b) && b !== c.id) {
        chain.push(b);
        b = this.concepts.get(b)?.broader;
      }
      this.ancestors.set(c.id, chain);
    }
  }

  /**
   * The glossary of these files; a snapshot (built at install time, see build-automaton.ts) is used
   * when it was made from exactly these files, else everything is validated and built here.
   */
  static load(url: URL = GLOSSARY_FILE, lexicon: URL | null = LEXICON_FILE, snapshot?: URL): Glossary {
    const text = readFileSync(url, 'utf8');
    const lexText = lexicon ? readFileSync(lexicon, 'utf8') : '';
    if (snapshot) {
      const snap = readSnapshot(snapshot);
      if (snap && snap.hash === snapshotHash(text, lexText)) return new Glossary([], [], snap);
    }
    const concepts = GlossaryFile.parse(JSON.parse(text)).concepts;
    const entries = lexicon ? LexiconFile.parse(JSON.parse(lexText)).entries : [];
    return new Glossary(concepts, entries);
  }

  /** Everything `load` would otherwise build, for files with this hash. */
  snapshot(hash: string): GlossarySnapshot {
    return {
      format: SNAPSHOT_FORMAT, hash, concepts: this.all, conceptIds: this.conceptIds, chars: this.chars,
      charTrie: this.charTrie.toJSON(), stems: [...this.stemIds.keys()], tokTrie: this.tokTrie.toJSON(),
      shortAbbr: [...this.shortAbbr], wildcard: [...this.wildcard], englishWords: [...this.englishWords],
    };
  }

  private label(code: number): number {
    let l = this.alpha[code]!;
    if (!l) {
      this.chars += String.fromCharCode(code);
      l = this.alpha[code] = this.chars.length;
    }
    return l;
  }

  private addForm(concept: number, raw: string, charKeys: Key[], tokKeys: Key[]): void {
    const form = normalize(raw).trim();
    if (!form) return;
    const chars = [...form];
    if (chars.some(isCJK)) {
      // Texts are walked by code unit: a form with a character outside the BMP could never match.
      if (chars.length === form.length) charKeys.push({ labels: chars.map((ch) => this.label(ch.charCodeAt(0))), value: concept });
      if (chars.length >= 4 && chars.every(isCJK)) {
        for (const key of wildcardKeys(chars)) {
          const list = this.wildcard.get(key) ?? [];
          if (!list.includes(form)) list.push(form);
          this.wildcard.set(key, list);
        }
      }
    } else {
      const toks = latinTokens(form).map((t) => t.stem);
      if (toks.length) tokKeys.push({ labels: toks.map((t) => this.stemIds.get(t) ?? (this.stemIds.set(t, this.stemIds.size + 1), this.stemIds.size)), value: concept });
    }
  }

  ancestorsOf(concept: string): readonly string[] {
    return this.ancestors.get(concept) ?? [];
  }

  /** The concept a normalized Chinese form belongs to, if any. */
  conceptOfForm(form: string): string | undefined {
    let s = 0;
    for (let i = 0; i < form.length && s >= 0; i++) {
      const l = this.alpha[form.charCodeAt(i)]!;
      s = l ? this.charTrie.next(s, l) : -1;
    }
    const v = s >= 0 ? this.charTrie.value[s]! : -1;
    return v >= 0 ? this.conceptIds[v] : undefined;
  }

  /**
   * Every glossary form in a normalized text: Chinese forms anywhere (overlaps allowed, so
   * 质子交换膜燃料电池 yields the fuel cell too), English forms on token boundaries (stemmed),
   * short abbreviations case-sensitively in the original text.
   */
  find(norm: string, original?: string, tokens?: readonly Token[]): ConceptHit[] {
    const hits: ConceptHit[] = [];
    // Chinese (and mixed) forms: the character automaton from every position.
    const { alpha, charTrie, conceptIds } = this;
    const value = charTrie.value;
    for (let i = 0; i < norm.length; i++) {
      const first = alpha[norm.charCodeAt(i)]!;
      if (!first) continue;
      let s = charTrie.next(0, first);
      let j = i + 1;
      while (s >= 0) {
        const v = value[s]!;
        if (v >= 0 && boundaryOk(norm, i, j)) hits.push({ concept: conceptIds[v]!, form: norm.slice(i, j), start: i, end: j });
        if (j >= norm.length) break;
        const l = alpha[norm.charCodeAt(j)]!;
        s = l ? charTrie.next(s, l) : -1;
        j++;
      }
    }
    // English forms: the stem automaton from every token; longest match per start.
    const toks = tokens ?? latinTokens(norm);
    if (toks.length) {
      const ids = toks.map((t) => this.stemIds.get(t.stem) ?? 0);
      const tv = this.tokTrie.value;
      for (let i = 0; i < toks.length; i++) {
        if (!ids[i]) continue;
        let s = 0;
        let best: ConceptHit | undefined;
        for (let j = i; j < toks.length && s >= 0; j++) {
          if (j > i && !adjacent(norm, toks[j - 1]!.end, toks[j]!.start)) break;
          const l = ids[j]!;
          s = l ? this.tokTrie.next(s, l) : -1;
          const v = s >= 0 ? tv[s]! : -1;
          if (v >= 0) best = { concept: conceptIds[v]!, form: norm.slice(toks[i]!.start, toks[j]!.end), start: toks[i]!.start, end: toks[j]!.end };
        }
        if (best) hits.push(best);
      }
    }
    // Short abbreviations are written in capitals (or with σ): most Chinese text has none to look at.
    const src = original === undefined || this.shortAbbr.size === 0 ? '' : original.normalize('NFKC');
    if (/[A-Zσ]/.test(src)) {
      const re = /[A-Za-z0-9σ][A-Za-z0-9σ+&/-]*[A-Za-z0-9σ+]|[A-Za-z]/g;
      const lookup = (w: string) => this.shortAbbr.get(w) ?? (w.endsWith('s') ? this.shortAbbr.get(w.slice(0, -1)) : undefined);
      for (let m = re.exec(src); m; m = re.exec(src)) {
        // "PLC/HMI", "PLC-based": the whole token, else each part.
        const parts = m[0].includes('/') || m[0].includes('-') ? [m[0], ...m[0].split(/[/-]/)] : [m[0]];
        for (const w of parts) {
          const id = lookup(w);
          if (id) {
            hits.push({ concept: id, form: w, start: -1, end: -1 });
            break;
          }
        }
      }
    }
    return hits;
  }

  /** Chinese glossary forms one character away from a window of the text (typo candidates). */
  nearForms(window: string): string[] {
    const n = window.length;
    if (!this.mayBeNear(window, 0, n)) return [];
    const head = this.hasEnd(n, 0, window.charCodeAt(0), window.charCodeAt(1));
    const tail = this.hasEnd(n, 1, window.charCodeAt(n - 2), window.charCodeAt(n - 1));
    // Past mayBeNear every character is one code unit (a surrogate pair is two outside), so the
    // keys are built by slicing, in wildcardKeys' order.
    let out: Set<string> | undefined;
    for (let i = 0; i < n; i++) {
      // A key with its '?' here keeps the window's first two characters (i ≥ 2) or its last two (i ≤ n − 3).
      if ((i >= 2 && !head) || (i <= n - 3 && !tail)) continue;
      const list = this.wildcard.get(window.slice(0, i) + '?' + window.slice(i + 1));
      if (list) for (const f of list) if (f !== window) (out ??= new Set()).add(f);
    }
    return out ? [...out] : [];
  }

  /**
   * Whether the window text[start, start + n) of 4+ code units may be one character from a form (false:
   * nearForms finds none), read in place: typo correction asks it of every window before slicing one.
   */
  mayBeNear(text: string, start: number, n: number): boolean {
    let outside = 0;
    for (let i = start; i < start + n && outside < 2; i++) if (!this.wildAlpha[text.charCodeAt(i)]) outside++;
    if (outside >= 2) return false;
    const end = start + n;
    return this.hasEnd(n, 0, text.charCodeAt(start), text.charCodeAt(start + 1)) || this.hasEnd(n, 1, text.charCodeAt(end - 2), text.charCodeAt(end - 1));
  }

  private static endBit(n: number, last: number, a: number, b: number): number {
    return Math.imul(((a << 16) | b) ^ Math.imul(2 * n + last, 0x9e3779b1), 0x85ebca6b) >>> 12;
  }

  private setEnd(n: number, last: number, a: number, b: number): void {
    const bit = Glossary.endBit(n, last, a, b);
    this.wildEnds[bit >>> 5]! |= 1 << (bit & 31);
  }

  private hasEnd(n: number, last: number, a: number, b: number): boolean {
    const bit = Glossary.endBit(n, last, a, b);
    return (this.wildEnds[bit >>> 5]! & (1 << (bit & 31))) !== 0;
  }
}

function isWordChar(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

/** Latin ends of a mixed form must not be glued to other Latin letters ("co2" inside "co2e" is fine to skip). */
function boundaryOk(text: string, start: number, end: number): boolean {
  if (isWordChar(text[start]) && isWordChar(text[start - 1])) return false;
  if (isWordChar(text[end - 1]) && isWordChar(text[end])) return false;
  return true;
}

/** Tokens of one form must be separated only by spaces or hyphens. */
function adjacent(text: string, prevEnd: number, nextStart: number): boolean {
  for (let i = prevEnd; i < nextStart; i++) {
    const ch = text[i];
    if (ch !== ' ' && ch !== '-' && ch !== '/') return false;
  }
  return true;
}

/** The install-time snapshot beside the compiled code (dist/); from src/ under tsx there is none, so it is built. */
export const SNAPSHOT_FILE = new URL('../../glossary.automaton.json', import.meta.url);

export function snapshotHash(glossaryText: string, lexiconText: string): string {
  return createHash('sha256').update(`${SNAPSHOT_FORMAT}\0${glossaryText}\0${lexiconText}`).digest('hex');
}

function readSnapshot(url: URL): GlossarySnapshot | undefined {
  try {
    const s = JSON.parse(readFileSync(url, 'utf8')) as GlossarySnapshot;
    return s.format === SNAPSHOT_FORMAT ? s : undefined;
  } catch {
    return undefined;
  }
}

let shared: Glossary | undefined;
export function defaultGlossary(): Glossary {
  shared ??= Glossary.load(GLOSSARY_FILE, LEXICON_FILE, SNAPSHOT_FILE);
  return shared;
}

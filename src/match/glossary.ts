// The bilingual technical glossary: concepts with Chinese and English surface forms, abbreviations,
// sectors and an optional broader concept. Loaded once; matchers are built from it.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
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

/** A trie over characters (Chinese forms) or stemmed tokens (English forms). */
interface TrieNode { next: Map<string, TrieNode>; concept?: string; form?: string }

/** Adds a path of keys; the first concept to claim a form keeps it. */
function insert(root: TrieNode, keys: Iterable<string>, concept: string, raw: string): void {
  let node = root;
  for (const k of keys) {
    let n = node.next.get(k);
    if (!n) node.next.set(k, (n = { next: new Map() }));
    node = n;
  }
  node.concept ??= concept;
  node.form ??= raw;
}

/** "油脂提取" → "?脂提取", "油?提取", …: one key per character left out. */
function wildcardKeys(chars: readonly string[]): string[] {
  return chars.map((_, i) => chars.map((c, j) => (j === i ? '?' : c)).join(''));
}

export class Glossary {
  readonly concepts: ReadonlyMap<string, Concept>;
  private readonly charTrie: TrieNode = { next: new Map() };
  /** Code units that start some Chinese form: most positions of a text start none. */
  private readonly starts = new Uint8Array(65536);
  private readonly tokTrie: TrieNode = { next: new Map() };
  /** Short abbreviations, matched case-sensitively on the original text ("GIS", "PA"). */
  private readonly shortAbbr = new Map<string, string>();
  /** Chinese forms of 4+ characters by one-character wildcard, for typo correction ("油脂?取"). */
  private readonly wildcard = new Map<string, string[]>();
  /** English words that occur in some form, for typo correction. */
  readonly englishWords: ReadonlySet<string>;
  private readonly ancestors = new Map<string, string[]>();

  constructor(glossary: readonly Concept[], lexicon: readonly LexiconEntry[] = []) {
    // Glossary forms are added first, so where a lexicon word repeats one the concept wins.
    const concepts: Concept[] = [...glossary, ...lexicon.map((e, i) => ({ id: `${LEXICON_PREFIX}${i}`, zh: e.zh, en: e.en, sectors: [] }))];
    this.concepts = new Map(concepts.map((c) => [c.id, c]));
    const words = new Set<string>();
    for (const c of concepts) {
      for (const form of c.zh) this.addForm(c.id, form);
      for (const form of c.en) {
        this.addForm(c.id, form);
        for (const t of latinTokens(normalize(form))) if (t.text.length >= 4 && !/\d/.test(t.text)) words.add(t.text);
      }
      for (const a of c.abbr ?? []) {
        // Long abbreviations are distinctive in any case ("pemfc"); short ones only as written.
        // "MOFs" is MOF in the plural: three letters, so matched as written.
        if (a.replace(/[^A-Za-z0-9]/g, '').replace(/s$/, '').length >= 4) this.addForm(c.id, a);
        else this.shortAbbr.set(a.normalize('NFKC'), c.id);
      }
    }
    this.englishWords = words;
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

  static load(url: URL = GLOSSARY_FILE, lexicon: URL | null = LEXICON_FILE): Glossary {
    const concepts = GlossaryFile.parse(JSON.parse(readFileSync(url, 'utf8'))).concepts;
    const entries = lexicon ? LexiconFile.parse(JSON.parse(readFileSync(lexicon, 'utf8'))).entries : [];
    return new Glossary(concepts, entries);
  }

  private addForm(concept: string, raw: string): void {
    const form = normalize(raw).trim();
    if (!form) return;
    const chars = [...form];
    if (chars.some(isCJK)) {
      this.starts[form.charCodeAt(0)] = 1;
      insert(this.charTrie, chars, concept, raw);
      if (chars.length >= 4 && chars.every(isCJK)) {
        for (const key of wildcardKeys(chars)) {
          const list = this.wildcard.get(key) ?? [];
          if (!list.includes(form)) list.push(form);
          this.wildcard.set(key, list);
        }
      }
    } else {
      const toks = latinTokens(form).map((t) => t.stem);
      if (toks.length) insert(this.tokTrie, toks, concept, raw);
    }
  }

  ancestorsOf(concept: string): readonly string[] {
    return this.ancestors.get(concept) ?? [];
  }

  /** The concept a normalized Chinese form belongs to, if any. */
  conceptOfForm(form: string): string | undefined {
    let node: TrieNode | undefined = this.charTrie;
    for (const ch of form) {
      node = node.next.get(ch);
      if (!node) return undefined;
    }
    return node.concept;
  }

  /**
   * Every glossary form in a normalized text: Chinese forms anywhere (overlaps allowed, so
   * 质子交换膜燃料电池 yields the fuel cell too), English forms on token boundaries (stemmed),
   * short abbreviations case-sensitively in the original text.
   */
  find(norm: string, original?: string, tokens?: readonly Token[]): ConceptHit[] {
    const hits: ConceptHit[] = [];
    // Chinese (and mixed) forms: a character trie from every position.
    for (let i = 0; i < norm.length; i++) {
      if (!this.starts[norm.charCodeAt(i)]) continue;
      const first = this.charTrie.next.get(norm[i]!);
      if (!first) continue;
      let node: TrieNode | undefined = first;
      let j = i + 1;
      while (node) {
        if (node.concept && boundaryOk(norm, i, j)) hits.push({ concept: node.concept, form: norm.slice(i, j), start: i, end: j });
        if (j >= norm.length) break;
        node = node.next.get(norm[j]!);
        j++;
      }
    }
    // English forms: a token trie from every token; longest match per start.
    const toks = tokens ?? latinTokens(norm);
    for (let i = 0; i < toks.length; i++) {
      let node: TrieNode | undefined = this.tokTrie;
      let best: ConceptHit | undefined;
      for (let j = i; j < toks.length && node; j++) {
        if (j > i && !adjacent(norm, toks[j - 1]!.end, toks[j]!.start)) break;
        node = node.next.get(toks[j]!.stem);
        if (node?.concept) best = { concept: node.concept, form: norm.slice(toks[i]!.start, toks[j]!.end), start: toks[i]!.start, end: toks[j]!.end };
      }
      if (best) hits.push(best);
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
    const out = new Set<string>();
    for (const key of wildcardKeys([...window])) for (const f of this.wildcard.get(key) ?? []) if (f !== window) out.add(f);
    return [...out];
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

let shared: Glossary | undefined;
export function defaultGlossary(): Glossary {
  shared ??= Glossary.load();
  return shared;
}

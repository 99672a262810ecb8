// Typo correction of queries: Chinese windows one character away from a glossary term
// (题取 → 提取 inside 油脂提取), English words a small edit away from a glossary word (fuell → fuel).
import Fuse from 'fuse.js';
import { pinyin } from 'pinyin-pro';
import { editDistance } from '../domain/suggest.ts';
import { featureOf, type Glossary } from './glossary.ts';
import { cjkRuns, latinTokens, normalize, stem, STOPWORDS } from './normalize.ts';

export interface Correction { from: string; to: string }

/** Whether the target index holds a feature; corrections must lead somewhere. */
export type Known = (feature: string) => boolean;

const MAX_CORRECTIONS = 6;

const sounds = new Map<string, string[]>();
/** Pinyin syllables of a character, folded the way input methods confuse them (in/ing, zh/z, l/n …). */
function soundsOf(ch: string): string[] {
  let out = sounds.get(ch);
  if (!out) {
    const raw = pinyin(ch, { toneType: 'none', multiple: true, type: 'array' });
    out = raw.map((p) => p.replace(/^zh/, 'z').replace(/^ch/, 'c').replace(/^sh/, 's').replace(/^l/, 'n').replace(/ng$/, 'n'));
    sounds.set(ch, out);
  }
  return out;
}

/** Chinese typos are mostly homophones typed through a pinyin input method (题取 for 提取, 光福 for 光伏). */
export function soundsAlike(a: string, b: string): boolean {
  const sb = soundsOf(b);
  return soundsOf(a).some((p) => sb.includes(p));
}

/** Glossary words bucketed by their first two and last three letters: fuse.js then only sees a handful. */
class WordBuckets {
  private buckets = new Map<string, string[]>();
  constructor(words: Iterable<string>) {
    for (const w of words) for (const k of this.keysOf(w)) this.buckets.set(k, [...(this.buckets.get(k) ?? []), w]);
  }
  private keysOf(w: string): string[] {
    return ['^' + w.slice(0, 2), '$' + w.slice(-3)];
  }
  candidates(w: string): string[] {
    const out = new Set<string>();
    for (const k of this.keysOf(w)) for (const c of this.buckets.get(k) ?? []) if (Math.abs(c.length - w.length) <= 2) out.add(c);
    return [...out];
  }
}
const bucketCache = new WeakMap<Glossary, WordBuckets>();

function nearWords(g: Glossary, word: string): { item: string; score?: number }[] {
  let b = bucketCache.get(g);
  if (!b) bucketCache.set(g, (b = new WordBuckets(g.englishWords)));
  const pool = b.candidates(word);
  if (pool.length === 0) return [];
  return new Fuse(pool, { includeScore: true, threshold: 0.3, ignoreLocation: true }).search(word, { limit: 3 });
}

/** Finds corrections in a text; returns them and the corrected text (original case kept elsewhere). */
export function correct(text: string, g: Glossary, known: Known, common: Known = () => false): { text: string; corrections: Correction[] } {
  const corrections: Correction[] = [];
  let out = text.normalize('NFKC');
  const norm = normalize(text);
  // Spans of terms already found: a window inside one is a correct term ("金属注射成形"), not a typo.
  const spans = g.find(norm).filter((h) => h.start >= 0);
  const insideTerm = (start: number, end: number) => spans.some((h) => h.start <= start && h.end >= end);
  // Chinese: windows of 4–6 characters that are not terms but are one character from one.
  for (const { run, start: runStart } of cjkRuns(norm)) {
    const chars = [...run];
    for (let i = 0; i + 4 <= chars.length && corrections.length < MAX_CORRECTIONS; i++) {
      let fixed = false;
      for (let len = 6; len >= 4 && !fixed; len--) {
        if (i + len > chars.length) continue;
        const window = chars.slice(i, i + len).join('');
        if (g.conceptOfForm(window) || insideTerm(runStart + i, runStart + i + len)) continue;
        for (const form of g.nearForms(window)) {
          const concept = g.conceptOfForm(form);
          if (!concept || !known(featureOf(concept))) continue;
          const at = [...form].findIndex((c, j) => c !== chars[i + j]);
          if (!soundsAlike(chars[i + at]!, [...form][at]!)) continue;
          // "燃料电池低" is the term 燃料电池 and the next word, not a typo of 燃料电池堆.
          if ((at === 0 || at === len - 1) && g.conceptOfForm(at === 0 ? window.slice(1) : window.slice(0, -1))) continue;
          const bigrams = [chars.slice(i + at - 1, i + at + 1), chars.slice(i + at, i + at + 2)].filter((b) => b.length === 2).map((b) => b.join(''));
          // Only where the text's own characters lead nowhere: a real word is not a typo.
          if (bigrams.some((b) => known('b:' + b))) continue;
          corrections.push({ from: window, to: form });
          out = out.split(window).join(form);
          fixed = true;
          i += len - 1;
          break;
        }
      }
    }
  }
  // English: unknown words of 5+ letters close to a glossary word the target knows.
  const seen = new Set<string>();
  for (const t of latinTokens(norm)) {
    if (corrections.length >= MAX_CORRECTIONS) break;
    if (t.text.length < 5 || /\d/.test(t.text) || seen.has(t.text) || STOPWORDS.has(t.stem)) continue;
    seen.add(t.text);
    // A word the target knows, or that others in the directory use too, is no typo.
    if (g.englishWords.has(t.text) || known('w:' + t.stem) || common('w:' + t.stem)) continue;
    const best = nearWords(g, t.text).find((r) => {
      const d = editDistance(t.text, r.item);
      return d > 0 && d <= Math.max(1, Math.floor(t.text.length / 4)) && known('w:' + stem(r.item));
    });
    if (!best) continue;
    corrections.push({ from: t.text, to: best.item });
    out = out.replace(new RegExp(`\\b${t.text}\\b`, 'gi'), best.item);
  }
  return { text: out, corrections };
}

// Text normalization and tokens: NFKC (full-width → half-width), case folding, English stems.
import { americanize } from './spelling.ts';

/** NFKC, lower case, unified dashes and spaces. Keeps string length stable enough for display runs. */
export function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[‐-―−﹣－]/g, '-')
    .replace(/\s+/g, ' ');
}

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
export function isCJK(ch: string): boolean {
  return CJK.test(ch);
}

/** Runs of CJK characters, with their start offsets in the normalized text. */
export function cjkRuns(text: string): { start: number; run: string }[] {
  const out: { start: number; run: string }[] = [];
  const re = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ start: m.index, run: m[0] });
  return out;
}

export interface Token { text: string; stem: string; start: number; end: number }

/** Latin/digit tokens of normalized text ("metal-organic" → metal, organic). */
/** Three or more letters, then a version of one or two digits (and a letter): wifi6, usb3, ddr5, pcie4x. */
const VERSIONED = /^([a-z]{3,})(\d{1,2}[a-z]?)$/;

export function latinTokens(text: string): Token[] {
  const out: Token[] = [];
  const re = /[a-z0-9]+(?:\.[0-9]+)?/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    // A name with its version glued on (wifi6, usb3, ddr5) reads as the name and the number, as "Wi-Fi 6" does.
    // (Only a token ending in a digit, or a digit and a letter, can be one: digits sort below letters.)
    const n = m[0].length;
    const v = n >= 4 && (m[0].charCodeAt(n - 1) <= 57 || m[0].charCodeAt(n - 2) <= 57) ? VERSIONED.exec(m[0]) : null;
    if (v) {
      out.push({ text: v[1]!, stem: stem(v[1]!), start: m.index, end: m.index + v[1]!.length });
      out.push({ text: v[2]!, stem: v[2]!, start: m.index + v[1]!.length, end: m.index + m[0].length });
      continue;
    }
    out.push({ text: m[0], stem: stem(m[0]), start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** Light English stemming: British spellings as American, plurals and a few verb endings. Applied alike to text and glossary. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  const w = americanize(word);
  if (w.endsWith('ies') && w.length > 4) return w.slice(0, -3) + 'y';
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('ches') || w.endsWith('shes') || w.endsWith('xes')) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) return w.slice(0, -1);
  let s = w;
  if (s.endsWith('ing') && s.length > 5) s = s.slice(0, -3);
  else if (s.endsWith('ed') && s.length > 4 && !s.endsWith('eed')) s = s.slice(0, -2);
  // clogged / clogging → clog, stopped → stop: a doubled consonant left by the ending is the verb's.
  if (s !== w && /([bdgmnprt])\1$/.test(s)) s = s.slice(0, -1);
  return s;
}

/** Words that carry no matching signal in this domain. */
export const STOPWORDS = new Set(
  ('a an and are as at be been but by can could do does for from had has have how if in into is it its of on or our over per ' +
    'such than that the their them then there these they this those to under up us was we were what when where which while who ' +
    'will with within without would you your also about after all any both each more most other some very via using use used ' +
    'need needs want wants seek seeking looking require required requirement company co ltd inc limited provide provides ' +
    'offer offers service services lab laboratory center centre university college school institute department group team ' +
    'research develop development technology technologies technical solution solutions project projects current currently ' +
    'new high low based year years month months support work working able help problem problems improve improvement ' +
    'partner partnership cooperation joint target goal shanghai china chinese above below less than least most ' +
    'kg mm cm km ml mg per day days hour hours run runs rate today within about around approx etc including include ' +
    'one two three four five six seven eight nine ten first second make made get got many much well only still since')
    .split(' ')
    .map(stem),
);

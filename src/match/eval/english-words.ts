// npm run gen:words: writes data/english-near-words.txt, the real English words (from the
// an-array-of-english-words list) within a correction's reach of a glossary word. Typo correction
// leaves them alone. Rerun after the glossary or lexicon changes.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { editDistance } from '../../domain/suggest.ts';
import { maxEdits, REAL_WORDS_FILE, WordBuckets } from '../correct.ts';
import { defaultGlossary } from '../glossary.ts';

const words = createRequire(import.meta.url)('an-array-of-english-words') as string[];
const g = defaultGlossary();
const buckets = new WordBuckets(g.englishWords);
const out: string[] = [];
for (const w of words) {
  if (w.length < 5 || !/^[a-z]+$/.test(w) || g.englishWords.has(w)) continue;
  if (buckets.candidates(w).some((c) => {
    const d = editDistance(w, c);
    return d > 0 && d <= maxEdits(w);
  })) out.push(w);
}
writeFileSync(REAL_WORDS_FILE, out.sort().join('\n') + '\n');
process.stdout.write(`${out.length} real words near glossary words → ${REAL_WORDS_FILE.pathname}\n`);

import { GLOSSARY_FILE, Glossary, LEXICON_FILE } from '../src/match/glossary.ts';
for (let i = 0; i < 3; i++) {
  let t = performance.now();
  Glossary.load(GLOSSARY_FILE, LEXICON_FILE);
  const a = performance.now() - t;
  t = performance.now();
  Glossary.load(GLOSSARY_FILE, LEXICON_FILE, new URL('file:///tmp/ga.json'));
  console.log('build', a.toFixed(0), 'snapshot', (performance.now() - t).toFixed(0));
}

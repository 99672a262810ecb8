// npm run build:automaton (part of npm run build, so of npm install): validates data/glossary.json and
// data/lexicon.json once and writes the glossary's automata beside the compiled code, so a start
// reads them instead of building them. A stale snapshot is never used (see Glossary.load).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GLOSSARY_FILE, Glossary, LEXICON_FILE, SNAPSHOT_FILE, snapshotHash } from './glossary.ts';

export function buildSnapshot(): string {
  const hash = snapshotHash(readFileSync(GLOSSARY_FILE, 'utf8'), readFileSync(LEXICON_FILE, 'utf8'));
  return JSON.stringify(Glossary.load(GLOSSARY_FILE, LEXICON_FILE).snapshot(hash));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2] ? new URL(process.argv[2], `file://${process.cwd()}/`) : SNAPSHOT_FILE;
  writeFileSync(out, buildSnapshot());
  process.stderr.write(`wrote ${fileURLToPath(out)}\n`);
}

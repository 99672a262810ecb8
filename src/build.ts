// The tail of npm run build (run by npm install through prepare): the compiled code in dist/ finds
// data/ where the sources do (dist/data → ../data), and the glossary's automata are precomputed.
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSnapshot } from './match/build-automaton.ts';
import { SNAPSHOT_FILE } from './match/glossary.ts';

const dist = new URL('../', import.meta.url);
const link = fileURLToPath(new URL('data', dist));
rmSync(link, { recursive: true, force: true });
symlinkSync('../data', link, 'dir');
writeFileSync(SNAPSHOT_FILE, buildSnapshot());
process.stderr.write(`built ${fileURLToPath(dist)} (glossary automata in ${fileURLToPath(SNAPSHOT_FILE)})\n`);

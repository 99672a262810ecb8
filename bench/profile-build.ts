// Profiling aid: builds the engine over a synthetic directory (npx tsx bench/profile-build.ts 100000).
import { Engine } from '../src/match/engine.ts';
import { generateCorpus } from './corpus.ts';

const size = Number(process.argv[2] ?? 20000);
const d = generateCorpus(size);
const docs = [...d.needs.map((record) => ({ type: 'need' as const, record })), ...d.capabilities.map((record) => ({ type: 'capability' as const, record }))];
const t = performance.now();
const e = new Engine(docs);
process.stdout.write(`built ${e.size} entries in ${(performance.now() - t).toFixed(0)} ms\n`);

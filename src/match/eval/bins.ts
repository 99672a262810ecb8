// Measurement: reliability in 0.05 bins over the sets never fitted on (both directions), where the display
// cut and the /watch threshold are read (tsx src/match/eval/bins.ts).
import { Engine } from '../engine.ts';
import { evaluate, reliability, reliabilityLines, type Row } from './run.ts';
import { docsOf, hasSet, loadSet, SETS } from './sets.ts';
import { TRAIN_SETS } from './calibrate.ts';

const rows: Row[] = [];
for (const s of SETS) {
  if (!hasSet(s.name) || (TRAIN_SETS as readonly string[]).includes(s.name)) continue;
  const { data, labels } = loadSet(s.name);
  const e = evaluate(new Engine(docsOf(data)), labels);
  rows.push(...e.n2c, ...e.c2n);
}
process.stdout.write(reliabilityLines(reliability(rows, 0.05)).join('\n') + '\n');

// Golden rankings: `rank --json --top 10` on the dev and held-out sets, committed so that speed work
// can prove it changed no ranking. `npm run golden:update` rewrites them after an intended change.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseDatasetText } from '../../src/domain/dataset.ts';
import { rankDataset } from '../../src/match/rank.ts';

export const GOLDEN_SETS = ['devset', 'holdout'] as const;
const fixture = (name: string) => new URL(`../fixtures/${name}.json`, import.meta.url);
export const goldenFile = (name: string) => new URL(`../fixtures/golden/${name}.rank.json`, import.meta.url);

/** What `npm run cli -- rank --data <set> --top 10 --json` prints. */
export function rankJson(name: string): string {
  return JSON.stringify(rankDataset(parseDatasetText(readFileSync(fixture(name), 'utf8')), 10)) + '\n';
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/test\//, '/test/'))) {
  for (const name of GOLDEN_SETS) {
    writeFileSync(goldenFile(name), rankJson(name));
    process.stderr.write(`wrote test/fixtures/golden/${name}.rank.json\n`);
  }
}

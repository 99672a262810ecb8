import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GOLDEN_SETS, goldenFile, rankJson } from './golden.ts';

// Speed work must not move a single ranking. After an intended scoring change: npm run golden:update.
describe('golden rankings (rank --json --top 10)', () => {
  for (const name of GOLDEN_SETS) {
    it(`${name}: byte-identical to test/fixtures/golden/${name}.rank.json`, () => {
      const got = rankJson(name);
      const want = readFileSync(goldenFile(name), 'utf8');
      if (got !== want) {
        const g = JSON.parse(got) as Record<string, Record<string, unknown>>;
        const w = JSON.parse(want) as Record<string, Record<string, unknown>>;
        const diff = Object.keys(w).flatMap((list) => Object.keys(w[list]!).filter((id) => JSON.stringify(g[list]?.[id]) !== JSON.stringify(w[list]![id])).map((id) => `${list} ${id}`));
        expect.fail(`rankings changed for ${diff.length} entries (first: ${diff.slice(0, 5).join(', ')}); if intended, run npm run golden:update`);
      }
    });
  }

  it('a changed ranking is caught', () => {
    const want = readFileSync(goldenFile('devset'), 'utf8');
    expect(want.replace(/"score":0\.\d+/, '"score":0.001')).not.toBe(rankJson('devset'));
  });
});

// Every set `npm run eval` reports must load: a set that fails to parse (an untagged case, a label naming an
// entry the set lacks) would crash the eval for everyone.
import { describe, expect, it } from 'vitest';
import { hasSet, Labels, loadSet, SETS } from '../../../src/match/eval/sets.ts';

describe('labelled eval sets', () => {
  for (const s of SETS) {
    it(`${s.name}: parses, and every label names an entry of the set`, () => {
      expect(hasSet(s.name)).toBe(true);
      const { data, labels } = loadSet(s.name);
      const needs = new Set(data.needs.map((n) => n.id));
      const caps = new Set(data.capabilities.map((c) => c.id));
      for (const c of labels.cases) {
        expect(needs.has(c.need), `${s.name}: label for unknown need ${c.need}`).toBe(true);
        for (const id of Object.keys(c.relevant)) expect(caps.has(id), `${s.name}: ${c.need} → unknown ${id}`).toBe(true);
        // No-answer needs are tagged so; answerable ones are not.
        expect(c.tags.includes('no-answer'), `${s.name}: ${c.need} no-answer tag`).toBe(Object.keys(c.relevant).length === 0);
      }
    });
  }

  it('refuses a case without a tag', () => {
    const bad = { version: 1, cases: [{ need: 'N-1', tags: [], relevant: { 'C-1': 3 } }] };
    expect(Labels.safeParse(bad).success).toBe(false);
  });
});

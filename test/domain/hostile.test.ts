// Import problem lines stay short and cheap whatever the file holds: no fuzzy match of a huge
// string against the sector names, no quoted value longer than 60 characters or cut inside an emoji.
import { describe, expect, it } from 'vitest';
import { DatasetError, parseDatasetText } from '../../src/domain/dataset.ts';
import { closest, MAX_SUGGEST_INPUT } from '../../src/domain/suggest.ts';

const problemsOf = (text: string): readonly string[] => {
  try {
    parseDatasetText(text);
  } catch (err) {
    if (err instanceof DatasetError) return err.problems;
    throw err;
  }
  return [];
};

describe('hostile import files', () => {
  it('a near-miss sector still gets a suggestion; a long string gets none (no quadratic match)', () => {
    expect(closest('fuel-cell', ['fuel-cells', 'power-grid'])).toBe('fuel-cells');
    expect(closest('fuel-cells'.padEnd(MAX_SUGGEST_INPUT + 1, 'x'), ['fuel-cells'])).toBeUndefined();
  });

  it('odd sector strings are quoted short and well-formed', () => {
    const entry = (sector: string) => ({ id: 'N-0001', org: 'o', title: 't', description: 'd', sectors: [sector] });
    const [line] = problemsOf(JSON.stringify({ version: 1, needs: [entry('🔋'.repeat(100_000))], capabilities: [] }));
    expect(line).toMatch(/unknown sector "(🔋){59}…"/u);
    expect(line!.length).toBeLessThan(600);
    expect(line).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    const [typo] = problemsOf(JSON.stringify({ version: 1, needs: [entry('fuel-cell')], capabilities: [] }));
    expect(typo).toContain('did you mean "fuel-cells"');
  });
});

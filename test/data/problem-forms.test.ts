// Rules of the problem lexicon that the loader does not check: a form two families of one sector
// share fires neither where the context fits both, and every family reads in both languages.
import { describe, expect, it } from 'vitest';
import { loadProblemFiles } from '../../src/match/problems.ts';

const key = (form: string) => form.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

describe('data/problems forms', () => {
  const files = loadProblemFiles();

  it('no problem form is shared by two families of one sector', () => {
    const shared: string[] = [];
    for (const { file, data } of files) {
      const owner = new Map<string, string>();
      for (const f of data.families) {
        for (const form of new Set([...f.problem.zh, ...f.problem.en].map(key))) {
          const prev = owner.get(form);
          if (prev && prev !== f.id) shared.push(`${file}: "${form}" in ${prev} and ${f.id}`);
          owner.set(form, f.id);
        }
      }
    }
    expect(shared).toEqual([]);
  });

  it('every family has Chinese and English problem forms and methods in both', () => {
    const thin = files.flatMap(({ data }) => data.families.filter((f) => f.problem.zh.length === 0 || f.problem.en.length === 0 || f.methods.zh.length === 0 || f.methods.en.length === 0).map((f) => f.id));
    expect(thin).toEqual([]);
  });
});

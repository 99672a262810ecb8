// British and American spellings stem alike; words that only look British are left as they are.
import { describe, expect, it } from 'vitest';
import { stem } from '../../src/match/normalize.ts';
import { americanize } from '../../src/match/spelling.ts';

describe('americanize inside stem', () => {
  it.each([
    ['optimisation', 'optimization'], ['characterised', 'characterized'], ['moulding', 'molding'], ['fibres', 'fiber'],
    ['colours', 'colors'], ['modelling', 'modeling'], ['labelled', 'labeled'], ['analyser', 'analyzer'],
    ['aluminium', 'aluminum'], ['sulphuric', 'sulfuric'], ['haemoglobin', 'hemoglobin'], ['tyres', 'tires'],
    ['programme', 'program'], ['catalogue', 'catalog'], ['ageing', 'aging'], ['centre', 'center'],
  ])('%s stems as %s', (uk, us) => expect(stem(uk)).toBe(stem(us)));

  it.each(['advertise', 'surprising', 'exercise', 'premises', 'otherwise', 'porpoise', 'programmer', 'programmed',
    'spelling', 'selling', 'drilling', 'crisis', 'analysis', 'existing', 'raised', 'appraiser', 'merchandising'])(
    'leaves %s alone', (w) => expect(americanize(w)).toBe(w),
  );
});

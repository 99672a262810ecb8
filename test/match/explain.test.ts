import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/match/analyze.ts';
import { explain, type Side } from '../../src/match/explain.ts';
import { defaultGlossary } from '../../src/match/glossary.ts';
import { StopTerms } from '../../src/match/stopterms.ts';

// Shared terms from the parts of long query words: worked out once per query and reused for every
// suggestion, so each suggestion must still get its own answer.
const stop = new StopTerms({ version: 1, zh: ['系统'], en: [] });
const query: Analysis = { features: new Map(), length: 0, concepts: new Map(), marks: new Map(), codes: new Map(), bridged: new Map() };
const words = () => ['设备故障诊断系统', '故障区段定位'];
const side = (...bigrams: string[]): Side => {
  const held = new Set(bigrams.map((b) => 'b:' + b));
  return { has: (f) => held.has(f), says: (f) => held.has(f), concepts: new Map(), marks: new Map(), codes: new Map() };
};
const terms = (target: Side) => {
  const r = explain({ glossary: defaultGlossary(), query, queryTexts: ['设备故障诊断系统，故障区段定位'], corrections: [], target, querySectors: [], target_sectors: [], targetInferred: false, idf: () => 1, words, stop });
  return r.flatMap((x) => (x.kind === 'terms' ? x.terms : []));
};

describe('shared parts of long query words', () => {
  it('shows the shared parts once each, in the order met, and no filler', () => {
    // 故障 comes from both words (once); 系统 is shared but a filler; 设备 and 区段 are not shared.
    expect(terms(side('故障', '诊断', '系统', '定位'))).toEqual(['故障', '诊断', '定位']);
  });
  it('gives the next suggestion of the same query its own answer', () => {
    expect(terms(side('故障', '诊断', '系统', '定位'))).toEqual(['故障', '诊断', '定位']);
    expect(terms(side())).toEqual([]);
    expect(terms(side('设备', '系统'))).toEqual(['设备']);
  });
  it('shows a whole word when every bigram of it is shared, not its parts', () => {
    expect(terms(side('故障', '障区', '区段', '段定', '定位'))).toEqual(['故障区段定位']);
  });
});

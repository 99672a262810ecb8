import { describe, expect, it } from 'vitest';
import { parseDatasetText } from '../../src/domain/dataset.ts';
import { analyze, recordFields } from '../../src/match/analyze.ts';
import { analysisKey, analyserVersion, decodeAnalysis, encodeAnalysis, type AnalysisCache } from '../../src/match/analysis-cache.ts';
import { defaultBridge } from '../../src/match/bridge.ts';
import { createRanker } from '../../src/match/engine.ts';
import { defaultGlossary } from '../../src/match/glossary.ts';
import { createSegmenter } from '../../src/match/segment.ts';
import type { Doc } from '../../src/match/types.ts';
import { demoText } from '../support.ts';

const data = parseDatasetText(demoText());
const docs: Doc[] = [...data.needs.map((record) => ({ type: 'need' as const, record })), ...data.capabilities.map((record) => ({ type: 'capability' as const, record }))];

class MapCache implements AnalysisCache {
  hits = 0;
  puts = 0;
  constructor(readonly m = new Map<string, string>()) {}
  get(key: string) {
    const v = this.m.get(key);
    if (v !== undefined) this.hits++;
    return v;
  }
  put(key: string, data: string) {
    this.puts++;
    this.m.set(key, data);
  }
}

/** Every fifth entry's suggestions, with reasons and evidence, as text. */
function rankings(r: ReturnType<typeof createRanker>): string {
  return JSON.stringify(docs.filter((_, i) => i % 5 === 0).map((d) => r.matchEntry(d.type, d.record.id, { top: 10, minScore: 0 })));
}

describe('stored analyses', () => {
  it('decode(encode(a)) gives the analysis back, Map order and float weights included', () => {
    const g = defaultGlossary();
    const a = { glossary: g, segment: createSegmenter('none', g), bridge: defaultBridge(g) };
    for (const d of docs.slice(0, 40)) {
      const x = analyze(a, recordFields(d.record, { org: true }), { sectors: d.record.sectors ?? [] });
      const y = decodeAnalysis(encodeAnalysis(x)!)!;
      expect([...y.features]).toEqual([...x.features]);
      expect(y).toEqual(x);
    }
  });

  it('an engine built from stored analyses analyses nothing and ranks and explains exactly as one that analyses', () => {
    const fresh = new MapCache();
    const a = createRanker(docs, { analyses: fresh });
    expect(fresh.puts).toBe(fresh.m.size);
    expect(fresh.m.size).toBeGreaterThan(docs.length * 0.9); // identical texts share one
    const stored = new MapCache(fresh.m);
    const b = createRanker(docs, { analyses: stored });
    expect(stored.puts).toBe(0);
    expect(stored.hits).toBe(docs.length);
    expect(rankings(b)).toBe(rankings(a));
    expect(rankings(b)).toBe(rankings(createRanker(docs)));
  });

  it('what this format did not write is analysed again, and the ranking does not move', () => {
    const broken = new MapCache();
    createRanker(docs, { analyses: broken });
    const keys = [...broken.m.keys()];
    broken.m.set(keys[0]!, 'not json');
    broken.m.set(keys[1]!, '[99, 1, "", [], [], [], [], []]');
    broken.m.set(keys[2]!, '{"features": 1}');
    broken.puts = 0;
    broken.m.set(keys[3]!, '[2, 1, "b:a\\u0001b:b", [1], [], [], [], []]');
    expect(broken.puts).toBe(0);
    const r = createRanker(docs, { analyses: broken });
    expect(broken.puts).toBe(4);
    expect(decodeAnalysis(broken.m.get(keys[0]!)!)).toBeDefined();
    expect(rankings(r)).toBe(rankings(createRanker(docs)));
  });

  it('an analysis whose feature names hold the separator is not stored', () => {
    const a = { features: new Map([['b:\u0001x', 1]]), length: 1, concepts: new Map(), marks: new Map(), codes: new Map(), bridged: new Map() };
    expect(encodeAnalysis(a)).toBeUndefined();
    const empty = { ...a, features: new Map<string, number>() };
    expect(decodeAnalysis(encodeAnalysis(empty)!)).toEqual(empty);
  });

  it('keys follow the text, the analyser and the options that change an analysis; not the id or status', () => {
    const r = docs[0]!.record;
    const v = analyserVersion();
    expect(analysisKey(v, r)).toBe(analysisKey(v, { ...r, id: 'N-9999' }));
    expect(analysisKey(v, r)).not.toBe(analysisKey(v, { ...r, description: `${r.description}.` }));
    expect(analysisKey(v, r)).not.toBe(analysisKey(v, { ...r, sectors: ['fuel-cells'] }));
    expect(analysisKey(v, r)).not.toBe(analysisKey(`${v}x`, r));
    const none = new MapCache();
    const jieba = new MapCache();
    createRanker(docs.slice(0, 3), { analyses: none });
    createRanker(docs.slice(0, 3), { analyses: jieba, segmenter: 'jieba' });
    for (const k of jieba.m.keys()) expect(none.m.has(k)).toBe(false);
    // A glossary of one's own is not what the stored analyses were made with: none are read or written.
    const own = new MapCache(none.m);
    createRanker(docs.slice(0, 3), { analyses: own, glossary: defaultGlossary() });
    expect(own.hits + own.puts).toBe(0);
  });
});

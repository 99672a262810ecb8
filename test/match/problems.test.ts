import { describe, expect, it } from 'vitest';
import { SECTOR_IDS } from '../../src/domain/sectors.ts';
import { analyze } from '../../src/match/analyze.ts';
import { Bridge, GAPPED_SHARE } from '../../src/match/bridge.ts';
import { Engine } from '../../src/match/engine.ts';
import { defaultGlossary } from '../../src/match/glossary.ts';
import { lexiconProblems, loadProblemFiles, loadStandards, ProblemFile, standardKey, standardKeys } from '../../src/match/problems.ts';
import { defaultSymptomHeads } from '../../src/match/symptoms.ts';
import type { Doc } from '../../src/match/types.ts';

describe('problem lexicon (data/problems) and standards (data/standards.json)', () => {
  const files = loadProblemFiles();
  const standards = loadStandards();

  it('one file per sector, each parses; ids unique across files; concepts exist in the glossary', () => {
    expect(files.map((f) => f.data.sector).sort()).toEqual([...SECTOR_IDS].sort());
    const ids = new Set(defaultGlossary().concepts.keys());
    expect(lexiconProblems(files, standards, ids)).toEqual([]);
    expect(files.reduce((n, f) => n + f.data.families.length, 0)).toBeGreaterThan(200);
  });

  it('a bad family is rejected naming the field; a duplicate id or unknown concept is reported', () => {
    const bad = ProblemFile.safeParse({ version: 1, sector: 'yachts', families: [{ id: 'Bad Id', kind: 'defect', problem: { zh: [], en: [] }, methods: { zh: [], en: [] } }] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.some((i) => i.path.join('.') === 'families.0.id')).toBe(true);
    const fam = { id: 'x-a', kind: 'defect' as const, problem: { zh: ['银纹'], en: ['splay'] }, methods: { zh: ['原料干燥'], en: ['drying'] }, concepts: ['no-such-concept'] };
    const probs = lexiconProblems([
      { file: 'yachts.json', data: { version: 1, sector: 'yachts', families: [fam] } },
      { file: 'telecom.json', data: { version: 1, sector: 'telecom', families: [{ ...fam, concepts: [] }] } },
    ], [], new Set());
    expect(probs).toContain('yachts.json: family "x-a": unknown concept "no-such-concept"');
    expect(probs).toContain('telecom.json: family "x-a" also in yachts.json');
  });

  it('standard codes: sub-parts, years and spacing fold to one key; prose is not a code', () => {
    expect(standardKey('GB 4806')).toBe('GB4806');
    expect(standardKeys('符合GB 4806.7-2016和GB/T 2423.17要求，通过 IEC 62133-2 与 UL94 V-0')).toEqual(['GB4806', 'GB/T2423', 'IEC62133', 'UL94']);
    expect(standardKeys('en 1090 and iso 9001 in lower case, 2023 was a year')).toEqual([]);
  });
});

describe('bridging', () => {
  const docs: Doc[] = [
    { type: 'need', record: { id: 'N-1', org: '某塑料制品厂', title: '注塑件表面老有银纹', description: '外壳注塑件表面经常出现银纹和料花，客户投诉外观不良。' } },
    { type: 'capability', record: { id: 'C-DRY', org: '某大学', title: '高分子材料加工实验室', description: '研究方向：原料干燥与水分控制、注塑工艺参数优化、材料吸湿性分析。' } },
    { type: 'capability', record: { id: 'C-MOULD', org: '某研究院', title: '注塑模具设计', description: '注塑模具结构设计、外壳类注塑件模流分析与浇口设计。' } },
  ];
  const engine = new Engine(docs);

  it('a symptom finds the lab that writes the method, above a lab sharing only product words, with a bridge reason', () => {
    const r = engine.matchEntry('need', 'N-1', { minScore: 0 });
    expect(r[0]?.id).toBe('C-DRY');
    expect(r[0]!.reasons.some((x) => x.kind === 'bridge')).toBe(true);
  });

  it('and the other way round: the lab finds the need that describes the symptom', () => {
    expect(engine.matchEntry('capability', 'C-DRY', { minScore: 0 })[0]?.id).toBe('N-1');
  });

  it('a bridged method weighs below the same method named directly', () => {
    const [direct] = engine.search('原料干燥与水分控制', ['capability'], { minScore: 0 });
    const [bridged] = engine.search('注塑件银纹', ['capability'], { minScore: 0 });
    expect(direct?.id).toBe('C-DRY');
    expect(bridged?.id).toBe('C-DRY');
    expect(bridged!.score).toBeLessThan(direct!.score);
  });

  it('families repeated across files merge their forms and methods; the lexicon holds a few hundred', () => {
    const fam = (methods: string[]) => ({ id: 'x-a', kind: 'defect' as const, problem: { zh: ['银纹'], en: ['splay'] }, methods: { zh: methods, en: ['drying'] } });
    const b = new Bridge([fam(['原料干燥']), fam(['水分控制'])], [], () => new Map());
    expect(b.size).toBe(1);
    expect(b.family('x-a')!.methods.zh).toEqual(['原料干燥', '水分控制']);
    expect(Bridge.load(() => new Map()).size).toBeGreaterThan(200);
  });
});

describe('gapped forms (线路…跳闸): two parts a few words apart in one clause', () => {
  const g = defaultGlossary();
  const fam = { id: 'x-trip', kind: 'failure' as const, problem: { zh: ['线路…跳闸'], en: ['breaker … trips'] }, methods: { zh: ['故障定位'], en: ['fault location'] }, sectors: ['yachts' as const] };
  const b = new Bridge([fam], [], () => new Map(), defaultSymptomHeads());
  const read = (text: string, sectors: string[] = ['yachts']) => analyze({ glossary: g, segment: () => [], bridge: b }, [{ text, weight: 1 }], { sectors });

  it('meet with words between them, in both languages, at GAPPED_SHARE of a form met as written', () => {
    const a = read('船上10kV线路老是跳闸');
    expect(a.marks.get('x-trip')?.form).toBe('线路老是跳闸');
    expect(a.features.get('p:x-trip')).toBeCloseTo(GAPPED_SHARE);
    expect(read('the main breaker often trips at night').marks.get('x-trip')?.form).toBe('breaker often trips');
  });

  it('not across the end of a clause, not farther apart than GAP, not in the wrong order', () => {
    expect(read('线路图已经画好。跳闸记录另附').marks.has('x-trip')).toBe(false);
    expect(read('线路的走向和杆塔位置都要重新规划设计然后跳闸').marks.has('x-trip')).toBe(false);
    expect(read('跳闸以后检查线路').marks.has('x-trip')).toBe(false);
    expect(read('a new breaker. It trips the alarm').marks.has('x-trip')).toBe(false);
    expect(read('breaker replaced in the cabinet by a contractor last year trips').marks.has('x-trip')).toBe(false);
  });

  it('only where the context agrees (the family\'s sectors or object words): 客户…退货 is said in every trade', () => {
    expect(read('线路老是跳闸', ['agri-food']).marks.has('x-trip')).toBe(false);
  });

  it('a gapped form has two parts around one "…", the first of 2 or more characters', () => {
    const file = (zh: string[]) => ProblemFile.safeParse({ version: 1, sector: 'yachts', families: [{ ...fam, problem: { zh, en: [] } }] });
    expect(file(['轴承…响', 'won\'t … start']).success).toBe(true);
    for (const bad of ['…跳闸', '线路…', '轴…断', '线路…老是…跳闸']) {
      const r = file([bad]);
      expect(r.success, bad).toBe(false);
      expect(r.error!.issues[0]!.message).toMatch(/gapped form/);
    }
  });
});

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDatasetText, type Dataset } from '../../src/domain/dataset.ts';
import type { CapabilityRecord, NeedRecord } from '../../src/domain/entry.ts';
import { UserError } from '../../src/domain/errors.ts';
import type { SectorId } from '../../src/domain/sectors.ts';
import { Engine } from '../../src/match/engine.ts';
import { docsOf } from '../../src/match/eval/run.ts';
import { normalize } from '../../src/match/normalize.ts';
import { rankDataset } from '../../src/match/rank.ts';
import { DEFAULT_MIN_SCORE, probability } from '../../src/match/score.ts';
import type { Doc, Reason, Suggestion } from '../../src/match/types.ts';
import { checkQuery, MAX_QUERY_CHARS } from '../../src/views/query.ts';

// ---------------------------------------------------------------------------------------------
// Hand-made directory: realistic Shanghai-style entries in both languages, most without sectors.

type Extra = Partial<Omit<CapabilityRecord, 'id' | 'org' | 'title' | 'description'>>;
const cap = (id: string, org: string, title: string, description: string, extra: Extra = {}): Doc => ({
  type: 'capability', record: { id, org, title, description, ...extra },
});
const need = (id: string, org: string, title: string, description: string, extra: Extra = {}): Doc => ({
  type: 'need', record: { id, org, title, description, ...extra } satisfies NeedRecord,
});

const DOCS: Doc[] = [
  cap('C-LIPID', 'Eastbay University, School of Bioengineering', 'Microalgae lipid extraction and downstream processing',
    'We develop cell disruption (bead milling, high-pressure homogenisation) and solvent or supercritical CO2 lipid extraction ' +
    'from wet microalgae biomass such as Chlorella and Nannochloropsis. Pilot-scale extraction line of 200 L per batch, lipid ' +
    'class profiling by GC-FID.', { keywords: ['lipid extraction', 'microalgae', 'downstream processing'] }),
  cap('C-CULT', '沪南海洋大学水产与生命学院', '微藻养殖光生物反应器实验室',
    '实验室研究微藻养殖与光生物反应器设计，包括管式和平板式反应器、光照与二氧化碳供给优化、防污染控制，已建成500升中试养殖系统，' +
    '可提供规模化养藻工艺开发和藻种筛选。', { keywords: ['微藻养殖', '光生物反应器'] }),
  cap('C-MOF', 'Jinhui Institute of Technology', 'MOF synthesis and gas adsorption lab',
    'Kilogram-scale solvothermal and mechanochemical synthesis of MOFs for CO2 capture and gas separation; BET surface area, ' +
    'breakthrough curves and shaping of MOF powders into pellets.', { keywords: ['MOF', 'adsorption', 'scale-up'] }),
  cap('C-PEM', 'Lingang Hydrogen Energy Research Institute', 'PEMFC stack testing and cold start lab',
    'Single-cell and stack testing of proton exchange membrane fuel cells up to 150 kW, sub-zero cold start down to -40 °C, ' +
    'membrane electrode assembly durability and water management.'),
  cap('C-GRID', '金汇理工学院电气学院', '配电网故障定位与自愈控制实验室',
    '研究10千伏配电网单相接地故障选线与区段定位、行波测距和馈线自动化自愈控制，拥有配电网动态模拟平台。', { sectors: ['power-grid'] }),
  cap('C-PCB', 'Huajing University of Science and Technology', 'Solder joint reliability lab',
    'Thermal cycling, drop testing and failure analysis of BGA solder joints on printed circuit boards; X-ray inspection of voiding.',
    { sectors: ['electronics'] }),
  cap('C-JUICE', '奉贤农业科学院', '果蔬汁加工与保鲜实验室', '研究非浓缩还原果汁的非热杀菌、酶促褐变控制和冷链保鲜，提供中试加工线。'),
  cap('C-WELD', 'Shanghai Eastbay Polytechnic', 'Robotic welding and seam tracking lab',
    'Laser vision seam tracking, weld path planning and offline programming for robotic arc welding of thick steel plates.'),
  need('N-ALGAE', '上海蓝藻生物科技有限公司', '微藻油脂题取效率低',
    '公司在崇明养殖小球藻，采收后的湿藻泥油脂题取效率只有40%，溶剂消耗大，希望与高校合作改进破壁和提取工艺。'),
  need('N-MOF', '上海碳捕集新材料有限公司', '金属有机骨架材料公斤级放大合成',
    '公司需要把一种用于二氧化碳吸附的金属有机骨架材料从克级放大到公斤级，目前批次间比表面积波动大。'),
  need('N-PEM', '上海氢程动力科技有限公司', 'PEMFC 电堆零下30度冷启动失败',
    '我们的燃料电池电堆在零下30度无法冷启动，希望找到有低温测试能力的实验室。', { sectors: ['fuel-cells'] }),
  need('N-GRID', '上海泓柘配电设备有限公司', '10kV配电网单相接地故障区段定位',
    '小电流接地系统单相接地故障区段定位准确率低，希望合作开发定位算法。'),
];

const ids = (s: readonly Suggestion[]) => s.map((x) => x.id);
const byKind = <K extends Reason['kind']>(s: Suggestion | undefined, kind: K) =>
  (s?.reasons ?? []).filter((r): r is Extract<Reason, { kind: K }> => r.kind === kind);

function expectWellFormed(list: readonly Suggestion[], minScore: number, top = 10): void {
  expect(list.length).toBeLessThanOrEqual(top);
  for (const s of list) {
    expect(s.score).toBeGreaterThanOrEqual(0);
    expect(s.score).toBeLessThanOrEqual(1);
    expect(s.score).toBeGreaterThanOrEqual(minScore);
    expect(s.record.id).toBe(s.id);
  }
  for (let i = 1; i < list.length; i++) expect(list[i - 1]!.score).toBeGreaterThanOrEqual(list[i]!.score);
  expect(new Set(ids(list)).size).toBe(list.length);
}

let engine: Engine;
let demo: Dataset;
let demoEngine: Engine;
beforeAll(() => {
  engine = new Engine(DOCS);
  demo = parseDatasetText(readFileSync(new URL('../../data/demo.json', import.meta.url), 'utf8'));
  demoEngine = new Engine(docsOf(demo));
});
const fresh = () => new Engine(DOCS);

// ---------------------------------------------------------------------------------------------

describe('directions', () => {
  it('need → capabilities', () => {
    const r = engine.matchEntry('need', 'N-MOF');
    expect(r[0]?.id).toBe('C-MOF');
    expect(r.every((s) => s.type === 'capability')).toBe(true);
    expect(ids(engine.matchEntry('need', 'N-GRID'))[0]).toBe('C-GRID');
  });

  it('capability → needs', () => {
    const r = engine.matchEntry('capability', 'C-MOF');
    expect(r[0]?.id).toBe('N-MOF');
    expect(r.every((s) => s.type === 'need')).toBe(true);
    expect(ids(engine.matchEntry('capability', 'C-PEM'))[0]).toBe('N-PEM');
  });

  it('free text → both types, or only the types asked for', () => {
    const both = engine.search('金属有机骨架 吸附', ['need', 'capability']);
    expect(both.find((s) => s.type === 'need')?.id).toBe('N-MOF');
    expect(both.find((s) => s.type === 'capability')?.id).toBe('C-MOF');
    const caps = engine.search('金属有机骨架 吸附', ['capability']);
    expect(caps.length).toBeGreaterThan(0);
    expect(caps.every((s) => s.type === 'capability')).toBe(true);
    expect(engine.search('金属有机骨架', [])).toEqual([]);
  });

  it('an unknown id, or an id of the other type, gives no suggestions', () => {
    expect(engine.matchEntry('need', 'N-NOPE')).toEqual([]);
    expect(engine.matchEntry('need', 'C-MOF')).toEqual([]);
    expect(engine.matchEntry('capability', 'N-MOF')).toEqual([]);
  });

  it('free text that is an entry id puts that entry first', () => {
    const r = engine.search('C-MOF', ['capability']);
    expect(r[0]).toMatchObject({ id: 'C-MOF', score: 1 });
    expect(engine.search('c-mof', ['capability'])[0]?.id).toBe('C-MOF');
  });
});

describe('cross-lingual matching through the glossary', () => {
  it('a Chinese need finds an English-described lab, with a concept reason naming both forms', () => {
    const r = engine.matchEntry('need', 'N-MOF');
    expect(r[0]?.id).toBe('C-MOF');
    const mof = byKind(r[0], 'concept').find((c) => c.concept === 'mof');
    expect(mof).toBeDefined();
    expect(normalize(mof!.query)).toBe('金属有机骨架');
    expect(normalize(mof!.target)).toMatch(/^mofs?$/);
  });

  it('works the other way: the English lab finds the Chinese need, forms swapped', () => {
    const r = engine.matchEntry('capability', 'C-MOF');
    const mof = byKind(r[0], 'concept').find((c) => c.concept === 'mof');
    expect(normalize(mof!.query)).toMatch(/^mofs?$/);
    expect(normalize(mof!.target)).toBe('金属有机骨架');
  });

  it('English free text reaches a Chinese-only lab', () => {
    expect(ids(engine.search('distribution network fault location', ['capability']))[0]).toBe('C-GRID');
  });

  it('labs without a shared concept get no concept reason for it', () => {
    for (const s of engine.matchEntry('need', 'N-MOF').slice(1)) {
      expect(byKind(s, 'concept').some((c) => c.concept === 'mof')).toBe(false);
    }
    expect(ids(engine.matchEntry('need', 'N-MOF'))).not.toContain('C-WELD');
  });
});

describe('typo tolerance', () => {
  it('微藻油脂题取效率低 ranks the lipid-extraction lab above the cultivation lab, with a typo reason', () => {
    const r = engine.matchEntry('need', 'N-ALGAE');
    expect(ids(r)[0]).toBe('C-LIPID');
    // The cultivation lab shares 微藻 and 养殖: it is a candidate, just a weaker one.
    const all = engine.matchEntry('need', 'N-ALGAE', { minScore: 0 });
    const lipid = all.find((s) => s.id === 'C-LIPID')!;
    const cult = all.find((s) => s.id === 'C-CULT')!;
    expect(cult).toBeDefined();
    expect(lipid.score).toBeGreaterThan(cult.score);
    expect(byKind(r[0], 'typo')).toContainEqual({ kind: 'typo', from: '油脂题取', to: '油脂提取' });
    const concept = byKind(r[0], 'concept').find((c) => c.concept === 'lipid-extraction');
    expect(concept && normalize(concept.query)).toBe('油脂提取');
  });

  it('the distractor gets no typo reason, and unrelated labs are not suggested', () => {
    const r = engine.matchEntry('need', 'N-ALGAE');
    expect(byKind(r.find((s) => s.id === 'C-CULT'), 'typo')).toEqual([]);
    for (const id of ['C-PCB', 'C-WELD', 'C-GRID']) expect(ids(r)).not.toContain(id);
  });

  it('free text with the typo finds the lab too; correctly spelled text carries no typo reason', () => {
    const typo = engine.search('微藻油脂题取', ['capability']);
    expect(typo[0]?.id).toBe('C-LIPID');
    expect(byKind(typo[0], 'typo')).toContainEqual({ kind: 'typo', from: '油脂题取', to: '油脂提取' });
    const right = engine.search('微藻油脂提取', ['capability']);
    expect(right[0]?.id).toBe('C-LIPID');
    expect(byKind(right[0], 'typo')).toEqual([]);
  });

  it("English typo: 'fuell cell' still finds the PEMFC lab", () => {
    const r = engine.search('fuell cell cold start', ['capability']);
    expect(r[0]?.id).toBe('C-PEM');
    expect(byKind(r[0], 'typo')).toContainEqual({ kind: 'typo', from: 'fuell', to: 'fuel' });
  });

  it('a correctly written 质子交换膜燃料电池 is not "corrected" to 氢燃料电池', () => {
    const r = engine.search('质子交换膜燃料电池电堆冷启动', ['capability']);
    expect(r[0]?.id).toBe('C-PEM');
    expect(byKind(r[0], 'typo')).toEqual([]);
  });
});

describe('rehearse', () => {
  it('asks its own entries a step at a time and changes no answer', () => {
    const e = fresh();
    const before = e.matchEntry('need', 'N-PEM');
    const steps = [...e.rehearse(6)].length;
    // One step for the typo tables, then one a query.
    expect(steps).toBe(7);
    expect(e.matchEntry('need', 'N-PEM')).toEqual(before);
  });
});

describe('incremental updates', () => {
  const coldStartLab = cap('C-NEW', 'Tongji Road Institute of Automotive Engineering', 'Fuel cell cold start and low-temperature stack testing',
    'PEMFC stack cold start from -30 °C: purge strategies, ice formation in the catalyst layer, low-temperature climate chamber for 120 kW stacks.',
    { keywords: ['cold start', 'PEMFC', 'fuel cell stack'] });

  it('add: a new entry is found at once and counted', () => {
    const e = fresh();
    expect(ids(e.matchEntry('need', 'N-PEM'))).not.toContain('C-NEW');
    const before = e.size;
    e.upsert(coldStartLab);
    expect(e.size).toBe(before + 1);
    expect(ids(e.matchEntry('need', 'N-PEM'))).toContain('C-NEW');
    expect(ids(e.search('cold start climate chamber', ['capability']))[0]).toBe('C-NEW');
  });

  it('edit: a strongly matching new text jumps to first; the old text no longer matches', () => {
    const e = fresh();
    const editedTitle = 'Fuel cell cold start and low-temperature stack testing';
    // C-WELD becomes a cold-start lab: it overtakes the PEMFC lab for the cold-start need.
    expect(ids(e.matchEntry('need', 'N-PEM'))).not.toContain('C-WELD');
    e.upsert({ ...coldStartLab, record: { ...coldStartLab.record, id: 'C-WELD' } });
    expect(e.size).toBe(DOCS.length);
    const r = e.matchEntry('need', 'N-PEM');
    expect(r[0]?.id).toBe('C-WELD');
    expect(r[0]?.record.title).toBe(editedTitle);
    // Its old welding text leads nowhere now.
    expect(ids(e.search('robotic welding seam tracking', ['capability']))).not.toContain('C-WELD');
    // And the edited PEMFC lab, now about juice, drops out of the fuel-cell results.
    e.upsert(cap('C-PEM', 'Lingang Hydrogen Energy Research Institute', 'Fruit juice browning lab', 'Enzymatic browning of NFC fruit juices.'));
    expect(ids(e.matchEntry('need', 'N-PEM'))).not.toContain('C-PEM');
    expect(ids(e.search('fruit juice browning', ['capability']))).toContain('C-PEM');
  });

  it('edit keeps document frequencies right: repeated upserts do not inflate the index', () => {
    const e = fresh();
    const first = e.matchEntry('need', 'N-MOF');
    for (let i = 0; i < 5; i++) e.upsert(DOCS.find((d) => d.record.id === 'C-MOF')!);
    expect(e.size).toBe(DOCS.length);
    expect(e.matchEntry('need', 'N-MOF')).toEqual(first);
  });

  it('remove: gone from suggestions, search and autocomplete; removing again is harmless', () => {
    const e = fresh();
    e.remove('capability', 'C-MOF');
    expect(e.size).toBe(DOCS.length - 1);
    expect(ids(e.matchEntry('need', 'N-MOF'))).not.toContain('C-MOF');
    expect(ids(e.search('MOF adsorption', ['capability']))).not.toContain('C-MOF');
    expect(e.complete('capability', 'C-MOF', 10, 'all').map((r) => r.id)).not.toContain('C-MOF');
    expect(e.matchEntry('capability', 'C-MOF')).toEqual([]);
    e.remove('capability', 'C-MOF');
    e.remove('need', 'C-MOF'); // wrong type: nothing happens
    expect(e.size).toBe(DOCS.length - 1);
    expect(ids(e.matchEntry('capability', 'C-PEM'))[0]).toBe('N-PEM');
  });

  it('close: not suggested but still listed as closed; reopen: back', () => {
    const e = fresh();
    const mof = DOCS.find((d) => d.record.id === 'C-MOF')!;
    e.upsert({ ...mof, status: 'closed' });
    expect(ids(e.matchEntry('need', 'N-MOF'))).not.toContain('C-MOF');
    expect(ids(e.search('MOF adsorption', ['capability']))).not.toContain('C-MOF');
    expect(ids(e.search('C-MOF', ['capability']))).not.toContain('C-MOF');
    expect(e.complete('capability', 'C-MOF', 10, 'closed').map((r) => r.id)).toContain('C-MOF');
    expect(e.complete('capability', 'C-MOF', 10, 'open').map((r) => r.id)).not.toContain('C-MOF');
    expect(e.complete('capability', 'C-MOF', 10, 'all').map((r) => r.id)).toContain('C-MOF');
    expect(e.complete('capability', '', 50, 'closed').map((r) => r.id)).toEqual(['C-MOF']);
    e.upsert({ ...mof, status: 'open' });
    expect(ids(e.matchEntry('need', 'N-MOF'))[0]).toBe('C-MOF');
    expect(e.complete('capability', 'C-MOF', 10, 'closed')).toEqual([]);
  });

  it('an upsert without status counts as open', () => {
    const e = fresh();
    e.upsert({ ...DOCS[2]!, status: 'closed' });
    e.upsert(DOCS[2]!);
    expect(ids(e.matchEntry('need', 'N-MOF'))[0]).toBe('C-MOF');
  });
});

describe('scores, top, minScore, sector filter', () => {
  const queries = ['燃料电池 cold start', '金属有机骨架', 'microalgae 微藻', '配电网', 'fruit juice 果汁褐变', 'welding'];

  it('every score is in [0, 1], best first, nothing under engine.minScore', () => {
    expect(engine.minScore).toBe(DEFAULT_MIN_SCORE);
    for (const d of DOCS) expectWellFormed(engine.matchEntry(d.type, d.record.id), DEFAULT_MIN_SCORE);
    for (const q of queries) expectWellFormed(engine.search(q, ['need', 'capability']), DEFAULT_MIN_SCORE);
  });

  it('minScore: 0 lets weak matches through; a higher minScore keeps them out', () => {
    // Without explanations: a shown suggestion also needs a reason, which weak ones often lack.
    const all = engine.matchEntry('need', 'N-GRID', { minScore: 0, explain: false });
    expectWellFormed(all, 0);
    expect(all.some((s) => s.score < DEFAULT_MIN_SCORE)).toBe(true);
    const kept = engine.matchEntry('need', 'N-GRID', { explain: false });
    expect(kept.length).toBeLessThan(all.length);
    expect(ids(kept)).toEqual(ids(all.filter((s) => s.score >= DEFAULT_MIN_SCORE)));
    const strict = new Engine(DOCS, { minScore: 0.8 });
    expect(strict.minScore).toBe(0.8);
    for (const d of DOCS) expectWellFormed(strict.matchEntry(d.type, d.record.id), 0.8);
    expect(engine.matchEntry('need', 'N-GRID', { minScore: 1.01 })).toEqual([]);
  });

  it('top is respected, for matchEntry and for search over both types', () => {
    expect(engine.matchEntry('need', 'N-MOF', { top: 1, minScore: 0 })).toHaveLength(1);
    expect(engine.matchEntry('need', 'N-MOF', { top: 3, minScore: 0 })).toHaveLength(3);
    expect(engine.search('燃料电池 cold start', ['need', 'capability'], { top: 1, minScore: 0 })).toHaveLength(1);
    expectWellFormed(engine.search('燃料电池 cold start', ['need', 'capability'], { top: 2, minScore: 0 }), 0, 2);
    const big = engine.matchEntry('need', 'N-MOF', { top: 100, minScore: 0 });
    expect(big.length).toBeGreaterThanOrEqual(3);
    expect(big.length).toBeLessThanOrEqual(DOCS.filter((d) => d.type === 'capability').length);
  });

  it('the sector filter keeps only entries of that sector, explicit or inferred', () => {
    const grid = engine.search('单相接地故障定位', ['need', 'capability'], { sector: 'power-grid' });
    expect(ids(grid)).toContain('C-GRID'); // explicit
    expect(ids(grid)).toContain('N-GRID'); // inferred
    const fc = engine.search('cold start', ['capability'], { sector: 'fuel-cells' });
    expect(ids(fc)).toEqual(['C-PEM']); // inferred from PEMFC
    const check = (list: Suggestion[], sector: SectorId) => {
      for (const s of list) {
        const own = s.record.sectors ?? [];
        expect(own.length ? own : engine.inferredSectors(s.type, s.id)).toContain(sector);
      }
    };
    check(grid, 'power-grid');
    check(fc, 'fuel-cells');
    check(engine.matchEntry('need', 'N-ALGAE', { sector: 'agri-food', minScore: 0 }), 'agri-food');
  });

  it('a sector nobody is in filters everything out', () => {
    expect(engine.search('cold start', ['capability'], { sector: 'yachts' })).toEqual([]);
    expect(engine.matchEntry('need', 'N-MOF', { sector: 'electronics', minScore: 0 })).toEqual([]);
  });

  it('a feature weight of 0 never lists an entry twice', () => {
    const e = new Engine([cap('C-1', 'x', '甲乙丙丁戊', '己庚辛'), cap('C-2', 'x', 'fuel cell testing lab', 'PEMFC stack testing')], { weights: { b: 0 } });
    const r = e.search('甲乙丙丁戊 fuel', ['capability'], { minScore: 0 });
    expect(new Set(ids(r)).size).toBe(r.length);
  });

  it('probability grows with coverage and with absolute evidence, is 0 without evidence, rounded to 3 places', () => {
    const m = { intercept: -5, coverage: 3, evidence: 2 };
    expect(probability({ coverage: 0.5, units: 2 }, m)).toBeLessThan(probability({ coverage: 0.8, units: 2 }, m));
    expect(probability({ coverage: 0.5, units: 2 }, m)).toBeLessThan(probability({ coverage: 0.5, units: 4 }, m));
    expect(probability({ coverage: 0, units: 2 }, m)).toBe(0);
    expect(probability({ coverage: 0.5, units: 0 }, m)).toBe(0);
    const p = probability({ coverage: 1, units: 1 }, m);
    expect(p).toBe(Math.round((1 / (1 + Math.exp(2))) * 1000) / 1000);
    // Coverage past 1.5 counts as 1.5: a long target cannot buy certainty.
    expect(probability({ coverage: 9, units: 1 }, m)).toBe(probability({ coverage: 1.5, units: 1 }, m));
    // Evidence beyond one concept's lineage counts where the model weighs it; without a figure, all evidence is.
    const r = { ...m, rest: 0.3 };
    expect(probability({ coverage: 0.5, units: 4, rest: 0 }, r)).toBeLessThan(probability({ coverage: 0.5, units: 4, rest: 3 }, r));
    expect(probability({ coverage: 0.5, units: 4 }, r)).toBe(probability({ coverage: 0.5, units: 4, rest: 4 }, r));
    expect(probability({ coverage: 0.5, units: 4, rest: 0 }, m)).toBe(probability({ coverage: 0.5, units: 4, rest: 3 }, m));
  });

  it('evidence beyond the lineage: one shared concept with its broader ones is none; a second, unrelated concept is', () => {
    const e = new Engine([
      cap('C-IM', 'Polymer lab', '注塑成型工艺', '注塑成型工艺与模具流动分析。'),
      cap('C-IM2', 'Polymer lab 2', '注塑成型与原料干燥', '注塑成型工艺，原料干燥与水分控制。'),
    ]);
    const only = e.search('求购二手注塑机', ['capability'], { minScore: 0, explain: false })[0]!;
    expect(only.evidence!.units).toBeGreaterThan(0);
    expect(only.evidence!.rest).toBe(0);
    const two = e.search('注塑件银纹，想改进原料干燥', ['capability'], { minScore: 0, explain: false }).find((s) => s.id === 'C-IM2')!;
    expect(two.evidence!.rest).toBeGreaterThan(0);
  });

  it('scores never rise down the list', () => {
    for (const id of ['N-MOF', 'N-PEM', 'N-GRID']) {
      const r = engine.matchEntry('need', id, { minScore: 0 });
      for (let i = 1; i < r.length; i++) expect(r[i]!.score, id).toBeLessThanOrEqual(r[i - 1]!.score);
    }
  });
});

describe('sectors: inference and reasons', () => {
  it('an entry without sectors gets them from its concepts', () => {
    expect(engine.inferredSectors('capability', 'C-PEM')).toEqual(['fuel-cells']);
    expect(engine.inferredSectors('capability', 'C-MOF')).toEqual(['new-materials']);
    expect(engine.inferredSectors('need', 'N-GRID')).toEqual(['power-grid']);
  });

  it('an entry with its own sectors, an unknown entry and an entry with no concepts get []', () => {
    expect(engine.inferredSectors('capability', 'C-GRID')).toEqual([]);
    expect(engine.inferredSectors('need', 'N-PEM')).toEqual([]);
    expect(engine.inferredSectors('capability', 'C-NOPE')).toEqual([]);
    const e = new Engine([cap('C-X', 'Some Org', 'Misc odds and ends', 'We do various things for various people.')]);
    expect(e.inferredSectors('capability', 'C-X')).toEqual([]);
  });

  it('inference follows edits: a fuel-cell lab rewritten as a grid lab changes sector', () => {
    const e = fresh();
    e.upsert(cap('C-PEM', 'Lingang', '配电网单相接地故障定位', '配电网故障定位与行波测距，配电自动化终端研制。'));
    expect(e.inferredSectors('capability', 'C-PEM')).toEqual(['power-grid']);
    e.upsert(cap('C-PEM', 'Lingang', 'Fuel cell lab', 'PEMFC testing', { sectors: ['new-energy'] }));
    expect(e.inferredSectors('capability', 'C-PEM')).toEqual([]);
  });

  it('a sector reason appears when sectors are shared, flagged inferred or not', () => {
    const toPem = engine.matchEntry('need', 'N-PEM').find((s) => s.id === 'C-PEM');
    expect(byKind(toPem, 'sector')).toEqual([{ kind: 'sector', sectors: ['fuel-cells'], inferred: true }]);
    const toGrid = engine.matchEntry('need', 'N-GRID').find((s) => s.id === 'C-GRID');
    expect(byKind(toGrid, 'sector')).toEqual([{ kind: 'sector', sectors: ['power-grid'], inferred: false }]);
  });

  it('no sector reason when sectors differ', () => {
    for (const s of engine.matchEntry('need', 'N-PEM', { minScore: 0 }).filter((x) => x.id !== 'C-PEM')) {
      expect(byKind(s, 'sector')).toEqual([]);
    }
  });
});

describe('empty, huge and garbage queries', () => {
  const keyOf = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      if (e instanceof UserError) return e.key;
      throw e;
    }
    return undefined;
  };

  it('checkQuery rejects empty, punctuation-only and over-long queries with a clear key', () => {
    expect(keyOf(() => checkQuery(''))).toBe('error.queryEmpty');
    expect(keyOf(() => checkQuery('   　 '))).toBe('error.queryEmpty');
    expect(keyOf(() => checkQuery(undefined))).toBe('error.queryEmpty');
    expect(keyOf(() => checkQuery('！！！ ？？'))).toBe('error.queryNoTerms');
    expect(keyOf(() => checkQuery('x'.repeat(MAX_QUERY_CHARS + 1)))).toBe('error.queryTooLong');
    expect(() => checkQuery('燃'.repeat(2001))).toThrow(UserError);
  });

  it('checkQuery accepts and trims ordinary queries, up to the limit', () => {
    expect(checkQuery('  燃料电池 cold start ')).toBe('燃料电池 cold start');
    expect(checkQuery('ＰＥＭＦＣ')).toBe('PEMFC');
    expect(checkQuery('5G')).toBe('5G');
    expect(checkQuery('x'.repeat(MAX_QUERY_CHARS))).toHaveLength(MAX_QUERY_CHARS);
  });

  it('the engine survives a 4,000-character mixed query', () => {
    let text = '';
    for (const n of [...demo.needs, ...demo.capabilities]) text += `${n.title} ${n.description} ！？ 123 `;
    text = text.slice(0, 4000);
    expect(text).toHaveLength(4000);
    const t0 = performance.now();
    const r = demoEngine.search(text, ['need', 'capability']);
    expect(performance.now() - t0).toBeLessThan(3000);
    expectWellFormed(r, DEFAULT_MIN_SCORE);
  });

  it('no suggestion on the demo data says the same thing twice (a complaint worded alike is one line, not two)', () => {
    for (const type of ['need', 'capability'] as const) {
      for (const e of type === 'need' ? demo.needs : demo.capabilities) {
        for (const s of demoEngine.matchEntry(type, e.id)) {
          const lines = s.reasons.filter((r) => r.kind === 'concept').map((r) => `${normalize(r.query)}|${normalize(r.target)}`);
          expect(new Set(lines).size, `${e.id} → ${s.id}: ${lines.join(', ')}`).toBe(lines.length);
        }
      }
    }
  });

  it('a complaint both sides share is shown once, and not again among the shared terms', () => {
    // "false alarms" is a vision-inspection complaint only beside vision or inspection (data/problems/opto-mechatronics.json).
    const e = new Engine([
      need('N-1', 'Plant', 'Vision inspection gives too many false alarms', 'Our AOI vision inspection on the SMT line raises false alarms on good boards.'),
      cap('C-1', 'Lab', 'Machine vision defect inspection', 'Machine vision inspection of PCBA: fewer false alarms through deep learning defect recognition.'),
    ]);
    const s = e.matchEntry('need', 'N-1').find((x) => x.id === 'C-1')!;
    const complaint = s.reasons.filter((r) => r.kind === 'concept' && r.concept === 'p:opt-vision-missed');
    expect(complaint).toHaveLength(1);
    const terms = s.reasons.flatMap((r) => (r.kind === 'terms' ? r.terms.map(normalize) : []));
    expect(terms.filter((t) => t.includes('alarm'))).toEqual([]);
  });

  it('a bare "false alarm" is no vision complaint: the PD-monitoring need N-0002 gets no battery or AOI lab through it', () => {
    const found = demoEngine.matchEntry('need', 'N-0002');
    expect(found.map((x) => x.id)).not.toContain('C-0022');
    expect(found.flatMap((x) => x.reasons).some((r) => r.kind === 'concept' && normalize(r.query) === 'false alarm')).toBe(false);
  });

  it('garbage, unknown words and empty text give [] without throwing', () => {
    expect(engine.search('zzzzqqq', ['need', 'capability'])).toEqual([]);
    expect(engine.search('zzzzqqq', ['need', 'capability'], { minScore: 0 })).toEqual([]);
    expect(engine.search('', ['need', 'capability'])).toEqual([]);
    expect(engine.search('！！！ ？？', ['need', 'capability'])).toEqual([]);
    expect(engine.search('\u0000\uffff😀'.repeat(500), ['need', 'capability'])).toEqual([]);
    expect(new Engine().search('燃料电池', ['need', 'capability'])).toEqual([]);
  });
});

describe('autocomplete', () => {
  it("complete('need', 'N-00', 25) returns at most 25 needs whose ids start with N-00", () => {
    const r = demoEngine.complete('need', 'N-00', 25);
    expect(r.length).toBeGreaterThan(0);
    expect(r.length).toBeLessThanOrEqual(25);
    for (const x of r) expect(x.id.startsWith('N-00')).toBe(true);
    expect(demoEngine.complete('need', 'N-00', 3)).toHaveLength(3);
  });

  it('an exact id comes first, in any case; ids of the other type are not offered', () => {
    expect(demoEngine.complete('capability', 'C-0002', 5)[0]?.id).toBe('C-0002');
    expect(demoEngine.complete('capability', 'c-0002', 5)[0]?.id).toBe('C-0002');
    expect(demoEngine.complete('capability', 'N-0001', 5).map((r) => r.id)).not.toContain('N-0001');
  });

  it('a partial Chinese title finds the entry', () => {
    const target = demo.needs.find((n) => n.title.includes('自动光学检测'))!;
    expect(demoEngine.complete('need', '光学检测误报', 5)[0]?.id).toBe(target.id);
  });

  it('a typo in an English title word still finds the entry', () => {
    const target = demo.needs.find((n) => /partial discharge/i.test(n.title))!;
    expect(demoEngine.complete('need', 'swichgear', 5)[0]?.id).toBe(target.id);
    expect(demoEngine.complete('need', 'partal discharge', 5)[0]?.id).toBe(target.id);
  });

  it('nothing for a query that matches nothing', () => {
    expect(demoEngine.complete('need', 'zzzzqqq', 10)).toEqual([]);
  });

  it('an empty query lists the newest first', () => {
    const newest = demo.needs.slice(-3).map((n) => n.id).reverse();
    expect(demoEngine.complete('need', '', 3).map((r) => r.id)).toEqual(newest);
    expect(demoEngine.complete('need', '   ', 3).map((r) => r.id)).toEqual(newest);
    const e = fresh();
    e.upsert(need('N-LATE', 'Late Co', 'A late need', 'Added last.'));
    expect(e.complete('need', '', 1)[0]?.id).toBe('N-LATE');
    // Editing an entry makes it the newest.
    e.upsert(DOCS.find((d) => d.record.id === 'N-MOF')!);
    expect(e.complete('need', '', 1)[0]?.id).toBe('N-MOF');
  });
});

describe('data/demo.json', () => {
  it('every need finds capabilities and every capability finds needs, well-formed', () => {
    for (const n of demo.needs) {
      const r = demoEngine.matchEntry('need', n.id);
      expect(r.length, n.id).toBeGreaterThan(0);
      expect(r.every((s) => s.type === 'capability')).toBe(true);
      expectWellFormed(r, DEFAULT_MIN_SCORE);
      expect(r[0]!.reasons.length, n.id).toBeGreaterThan(0);
    }
    for (const c of demo.capabilities) expectWellFormed(demoEngine.matchEntry('capability', c.id), DEFAULT_MIN_SCORE);
  });

  it('entries without sectors get inferred ones; entries with sectors keep theirs', () => {
    for (const d of docsOf(demo)) {
      const inferred = demoEngine.inferredSectors(d.type, d.record.id);
      if (d.record.sectors?.length) expect(inferred).toEqual([]);
    }
    const bare = docsOf(demo).filter((d) => !d.record.sectors?.length);
    expect(bare.length).toBeGreaterThan(0);
    expect(bare.some((d) => demoEngine.inferredSectors(d.type, d.record.id).length > 0)).toBe(true);
  });

  it('rankDataset ranks every need and capability, at most top each, scores in [0, 1] best first', () => {
    const top = 3;
    const r = rankDataset(demo, top);
    expect(Object.keys(r.needs).sort()).toEqual(demo.needs.map((n) => n.id).sort());
    expect(Object.keys(r.capabilities).sort()).toEqual(demo.capabilities.map((c) => c.id).sort());
    const capIds = new Set(demo.capabilities.map((c) => c.id));
    const needIds = new Set(demo.needs.map((n) => n.id));
    for (const [list, other] of [[r.needs, capIds], [r.capabilities, needIds]] as const) {
      for (const ranked of Object.values(list)) {
        expect(ranked.length).toBeLessThanOrEqual(top);
        for (const x of ranked) {
          expect(other.has(x.id)).toBe(true);
          expect(x.score).toBeGreaterThanOrEqual(0);
          expect(x.score).toBeLessThanOrEqual(1);
        }
        for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1]!.score).toBeGreaterThanOrEqual(ranked[i]!.score);
      }
    }
    expect(Object.values(r.needs).every((x) => x.length > 0)).toBe(true);
  });

  it('rankDataset of an empty dataset is empty', () => {
    expect(rankDataset({ version: 1, needs: [], capabilities: [] }, 5)).toEqual({ needs: {}, capabilities: {} });
  });
});

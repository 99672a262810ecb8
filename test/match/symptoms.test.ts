import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/match/analyze.ts';
import { defaultBridge } from '../../src/match/bridge.ts';
import { Engine } from '../../src/match/engine.ts';
import { defaultGlossary } from '../../src/match/glossary.ts';
import { canonOf, defaultSymptomHeads, SymptomHeads, SymptomHeadsFile } from '../../src/match/symptoms.ts';
import { stem } from '../../src/match/normalize.ts';
import type { Doc } from '../../src/match/types.ts';

describe('symptom heads (data/symptom-heads.json)', () => {
  it('the data file parses; a head in two classes or a filler inside a canonical head is rejected by name', () => {
    expect(defaultSymptomHeads().heads.length).toBeGreaterThan(30);
    const bad = SymptomHeadsFile.safeParse({ version: 1, fillers: ['很'], genericObjects: [], heads: [{ canon: '变硬', forms: ['发硬'] }, { canon: '硬化', forms: ['发硬'] }], en: { fillers: [], genericObjects: [], heads: [] } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toContain('"发硬" is in the heads of both "变硬" and "硬化"');
    const filler = SymptomHeadsFile.safeParse({ version: 1, fillers: ['很'], genericObjects: [], heads: [{ canon: '很硬', forms: ['发硬'] }], en: { fillers: [], genericObjects: [], heads: [] } });
    expect(filler.success).toBe(false);
    expect(filler.error!.issues[0]!.message).toContain('contains a filler');
  });

  it('one complaint written several ways reads the same: fillers dropped, heads unified', () => {
    expect(canonOf('年糕放两天老是发硬')).toBe(canonOf('年糕放两天变硬'));
    // characters that start words (得率, 太阳能) are no fillers
    expect(canonOf('得率低')).toBe('得率低');
    expect(canonOf('接头老是长锈')).toBe(canonOf('接头生锈'));
    expect(canonOf('磨损得很快')).toBe(canonOf('磨损严重'));
    // different complaints stay different
    expect(canonOf('漆面起泡')).not.toBe(canonOf('漆面开裂'));
  });

  it('offsets map back to the text as written; a form splits into heads and object words', () => {
    const h = new SymptomHeads({ version: 1, fillers: ['老是'], genericObjects: ['表面'], heads: [{ canon: '起泡', forms: ['鼓包'] }], en: { fillers: [], genericObjects: [], heads: [] } });
    const c = h.canon('电池老是鼓包了');
    expect(c.text).toBe('电池起泡了');
    expect([...Array.from(c.at)].slice(0, 3)).toEqual([0, 1, 4]);
    expect(h.split('电池起泡')).toEqual({ heads: ['起泡'], objects: ['电池'] });
    expect(h.split('表面起泡')).toEqual({ heads: ['起泡'], objects: [] });
  });

  it('English inflections of one verb share a stem (clogged, clogging, clogs)', () => {
    expect(stem('clogged')).toBe(stem('clogs'));
    expect(stem('clogging')).toBe('clog');
    expect(stem('stopped')).toBe('stop');
    expect(stem('rusting')).toBe(stem('rusts'));
    expect(stem('called')).toBe('call');
  });
});

describe('context-read symptoms', () => {
  const docs: Doc[] = [
    { type: 'need', record: { id: 'N-CAKE', org: '某食品厂', title: '年糕放两天就发硬', description: '真空包装切片年糕，放两三天就硬得像石头，经销商说卖不动。', sectors: ['agri-food'] } },
    { type: 'need', record: { id: 'N-PAINT', org: '某机械厂', title: '设备外壳涂层鼓包', description: '喷涂后的钢制外壳在户外用半年涂层就鼓包，想找人分析。', sectors: ['advanced-manufacturing'] } },
    { type: 'need', record: { id: 'N-CELL', org: '某电池厂', title: '软包电芯鼓包', description: '软包锂电池循环三百次后电芯鼓包，容量下降。', sectors: ['new-energy'] } },
    { type: 'need', record: { id: 'N-PUFF', org: 'Acme Energy', title: 'Pouch cells keep puffing up', description: 'Our pouch cells puff up badly after 300 cycles at 45 °C.' } },
    { type: 'capability', record: { id: 'C-STARCH', org: '某大学', title: '谷物与淀粉科学实验室', description: '淀粉老化抑制、米制品品质改良、食品质构分析。', sectors: ['agri-food'] } },
    { type: 'capability', record: { id: 'C-PACK', org: '某研究院', title: '食品包装实验室', description: '真空包装、包装材料阻隔性与迁移测试。', sectors: ['agri-food'] } },
    { type: 'capability', record: { id: 'C-COAT', org: '某大学', title: '涂层与表面工程实验室', description: '涂层前处理与附着力、涂层配方设计、涂层性能测试。', sectors: ['new-materials'] } },
    { type: 'capability', record: { id: 'C-BATT', org: '某研究院', title: '锂电池电化学实验室', description: '电池产气机理与电解液添加剂、SEI膜调控、电芯膨胀力测试。', sectors: ['new-energy'] } },
  ];
  const engine = new Engine(docs);

  it('a head without the lexicon\'s object (年糕发硬; the lexicon has 面包变硬) finds the method lab, with a bridge reason', () => {
    const r = engine.matchEntry('need', 'N-CAKE', { minScore: 0 });
    expect(r[0]?.id).toBe('C-STARCH');
    expect(r[0]!.reasons.some((x) => x.kind === 'bridge')).toBe(true);
  });

  it('鼓包 is a coating blister on a painted housing and battery gassing in a pouch cell', () => {
    expect(engine.matchEntry('need', 'N-PAINT', { minScore: 0 })[0]?.id).toBe('C-COAT');
    expect(engine.matchEntry('need', 'N-CELL', { minScore: 0 })[0]?.id).toBe('C-BATT');
  });

  it('in English too: "pouch cells keep puffing up" is battery swelling (puff, bloat, bulge → one head; keep, badly skipped)', () => {
    const r = engine.matchEntry('need', 'N-PUFF', { minScore: 0 });
    expect(r[0]?.id).toBe('C-BATT');
    // The lab names the symptom too (电芯膨胀力测试): the reason says both sides describe one complaint.
    expect(r[0]!.reasons).toContainEqual({ kind: 'concept', concept: 'p:ne-battery-swelling', query: 'pouch cells keep puffing', target: '电芯膨胀' });
  });

  it('a one-word English symptom (swelling) with no context that agrees bridges to no family', () => {
    const g = defaultGlossary();
    const a = { glossary: g, segment: () => [], bridge: defaultBridge(g) };
    expect([...analyze(a, [{ text: 'customers report swelling', weight: 1 }]).marks.keys()]).toEqual([]);
    expect([...analyze(a, [{ text: 'battery swelling after storage', weight: 1 }]).marks.keys()]).toContain('ne-battery-swelling');
  });

  it('a head with no context that agrees brings nothing: 发硬 alone in an unrelated text finds no starch lab', () => {
    const r = engine.search('数控机床主轴发硬', ['capability'], { minScore: 0 });
    expect(r.map((x) => x.id)).not.toContain('C-STARCH');
  });
});

// Synthetic directories for the benchmark: realistic mixed-language entries built from the
// glossary's terms and everyday phrasing, seeded so every run measures the same text.
import type { Dataset } from '../src/domain/dataset.ts';
import { CAPABILITY_KINDS, type CapabilityRecord, type NeedRecord } from '../src/domain/entry.ts';
import { SECTOR_IDS, type SectorId } from '../src/domain/sectors.ts';
import { defaultGlossary, type Concept } from '../src/match/glossary.ts';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ZH_ORGS = ['沪南理工大学', '东海大学', '华泾科技大学', '奉城职业技术学院', '临港工程研究院', '申江材料研究所', '浦江医药研究院'];
const ZH_UNITS = ['重点实验室', '工程技术研究中心', '课题组', '中试基地', '检测中心'];
const ZH_COS = ['上海奉贤', '上海临港', '苏州', '杭州', '上海闵行'];
const ZH_CO_SUFFIX = ['科技有限公司', '设备有限公司', '新材料有限公司', '生物科技有限公司', '智能装备有限公司'];
const EN_ORGS = ['Eastbay Polytechnic', 'Huangpu Institute of Technology', 'Fengxian University', 'Lingang Research Institute'];
const EN_UNITS = ['Key Laboratory', 'Engineering Center', 'Research Group', 'Pilot Plant'];
const ZH_PROBLEMS = ['效率偏低', '良率不足', '成本过高', '稳定性差', '寿命短', '能耗高', '精度不够', '一致性差', '误报率高', '污染排放超标'];
const EN_PROBLEMS = ['low yield', 'poor stability', 'high cost', 'short service life', 'high energy consumption', 'insufficient accuracy', 'high false alarm rate'];
const ZH_FILLER = [
  '目前产线日产能约{n}件，', '现有工艺的合格率为{n}%，', '希望在{n}个月内完成样机验证，', '预算约{n}万元，', '公司可提供试验场地和历史数据，',
  '合作方式为联合攻关或委托开发，', '需满足相关国家标准，', '客户对交付周期要求严格，', '希望与高校或重点实验室合作，', '目标指标提升{n}%以上，',
];
const EN_FILLER = [
  'Current throughput is about {n} units per day. ', 'The pass rate is {n}% today. ', 'We expect a prototype within {n} months. ',
  'Budget is around {n}k USD. ', 'We can provide test sites and historical data. ', 'Joint development or contract research is welcome. ',
  'The solution must meet national standards. ', 'We target an improvement of at least {n}%. ',
];
const ZH_CAP = ['长期从事{a}与{b}研究，', '拥有{a}中试线和{b}测试平台，', '在{a}方面承担过国家级项目，', '可提供{a}、{b}的技术服务与人才培养，', '团队{n}人，其中教授{m}人，'];
const EN_CAP = ['We work on {a} and {b}. ', 'The lab runs a {a} pilot line and a {b} test bench. ', 'Projects on {a} were funded nationally. ', 'Services: {a}, {b}, training. ', 'The team has {n} researchers. '];

export function generateCorpus(size: number, seed = 42): Dataset {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const g = defaultGlossary();
  const bySector = new Map<SectorId, Concept[]>();
  for (const c of g.concepts.values()) for (const s of c.sectors) bySector.set(s, [...(bySector.get(s) ?? []), c]);
  const methods = [...g.concepts.values()].filter((c) => c.sectors.length === 0);
  const zh = (c: Concept) => c.zh[0] ?? c.en[0] ?? c.id;
  const en = (c: Concept) => c.en[0] ?? c.abbr?.[0] ?? c.zh[0] ?? c.id;
  const fill = (t: string, a?: string, b?: string) =>
    t.replace('{n}', String(2 + Math.floor(r() * 500))).replace('{m}', String(1 + Math.floor(r() * 9))).replace('{a}', a ?? '').replace('{b}', b ?? '');

  const needs: NeedRecord[] = [];
  const caps: CapabilityRecord[] = [];
  for (let i = 0; i < size; i++) {
    const sector = pick(SECTOR_IDS);
    const pool = bySector.get(sector) ?? [];
    const [a, b, c] = [pick(pool), pick(pool), r() < 0.3 ? pick(methods) : pick(pool)];
    const lang = r();
    const isNeed = i % 2 === 0;
    const chinese = lang < 0.55;
    const mixed = lang >= 0.8;
    const term = (x: Concept) => (chinese ? zh(x) : mixed ? (r() < 0.5 ? zh(x) : en(x)) : en(x));
    const sectors = r() < 0.75 ? [sector] : undefined;
    if (isNeed) {
      const title = chinese || mixed ? `${term(a)}${pick(ZH_PROBLEMS)}` : `${pick(EN_PROBLEMS)} in ${term(a)}`;
      const parts: string[] = [];
      const n = 3 + Math.floor(r() * 6);
      for (let k = 0; k < n; k++) parts.push(chinese || mixed ? fill(pick(ZH_FILLER)) : fill(pick(EN_FILLER)));
      parts.splice(1, 0, chinese || mixed ? `主要涉及${term(b)}和${term(c)}，` : `It involves ${term(b)} and ${term(c)}. `);
      needs.push({
        id: `N-${String(i + 1).padStart(6, '0')}`,
        org: chinese || mixed ? `${pick(ZH_COS)}${'甲乙丙丁戊己庚辛'[i % 8]}${pick(ZH_CO_SUFFIX)}` : `${pick(['Sino', 'Hua', 'Dong', 'Xin'])}${i % 97} Technology Co., Ltd.`,
        title,
        description: parts.join(''),
        ...(sectors ? { sectors } : {}),
        keywords: [term(a), term(b)],
        region: pick(['奉贤区', '闵行区', '临港新片区', '上海']),
      });
    } else {
      const title = chinese || mixed ? `${term(a)}与${term(b)}${pick(ZH_UNITS)}` : `${term(a)} and ${term(b)} ${pick(EN_UNITS)}`;
      const parts: string[] = [];
      const n = 3 + Math.floor(r() * 5);
      for (let k = 0; k < n; k++) parts.push(chinese || mixed ? fill(pick(ZH_CAP), term(pick(pool)), term(c)) : fill(pick(EN_CAP), term(pick(pool)), term(c)));
      caps.push({
        id: `C-${String(i + 1).padStart(6, '0')}`,
        org: chinese || mixed ? `${pick(ZH_ORGS)}${pick(ZH_UNITS)}` : `${pick(EN_ORGS)} ${pick(EN_UNITS)}`,
        kind: pick(CAPABILITY_KINDS),
        title,
        description: parts.join(''),
        ...(sectors ? { sectors } : {}),
        keywords: [term(a), term(c)],
      });
    }
  }
  return { version: 1, needs, capabilities: caps };
}

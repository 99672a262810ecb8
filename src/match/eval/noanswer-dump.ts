// Measurement: for every labelled query of every set, the pool the engine re-ranks and what each of the top 10
// shares with the query (feature, BM25 part, df, whether the query's title or first clause holds it).
// eval/noanswer.ts reads it; `tsx src/match/eval/noanswer-dump.ts OUT.json` writes it for other tools.
import { writeFileSync } from 'node:fs';
import { analyze } from '../analyze.ts';
import { Engine } from '../engine.ts';
import type { InvertedIndex } from '../inverted.ts';
import type { Evidence } from '../score.ts';
import { docsOf, hasSet, loadSet, SETS } from './sets.ts';
import { GENERIC_QUERIES } from './calibrate.ts';

interface Probe { query: ReadonlyMap<string, number>; carried: number; unit: number; self: number; pool: { doc: number; raw: number; bonus: number; id: string }[]; inv: InvertedIndex }

/** One shared feature: name, BM25 part, df, in the query's title or first clause (1/0), in its title (1/0). */
export type Shared = [string, number, number, number, number];
/** One suggestion: raw evidence (sector lift included), score, evidence, label (grade; −1: not labelled). */
export interface Top { id: string; raw: number; bonus: number; score: number; ev: Evidence; y: number; contrib: Shared[] }
export interface Query {
  set: string;
  /** n2c / c2n: an entry's partners; title, kw: a need's title or keywords typed; generic: a one-word query. */
  kind: 'n2c' | 'c2n' | 'title' | 'kw' | 'generic';
  qid: string;
  answerable?: boolean;
  carried: number;
  unit: number;
  self: number;
  /** Entries of the target type in the index. */
  live: number;
  /** Raw evidence of every candidate re-ranked, best first. */
  pool: number[];
  top: Top[];
}

export function collectQueries(): Query[] {
  const out: Query[] = [];
  for (const s of SETS) {
    if (!hasSet(s.name)) continue;
    const { data, labels } = loadSet(s.name);
    const engine = new Engine(docsOf(data), { specific: true });
    const a = (engine as unknown as { a: Parameters<typeof analyze>[0] }).a;
    let last: Probe | undefined;
    engine.probe = (p) => void (last = p);
    const grade = new Map<string, number>();
    for (const c of labels.cases) for (const [cap, g] of Object.entries(c.relevant)) grade.set(`${c.need}|${cap}`, g);
    const labelled = new Set(labels.cases.map((c) => c.need));
    const byId = new Map([...data.needs, ...data.capabilities].map((r) => [r.id, r]));
    const featuresOf = (id: string | undefined, first: boolean) => {
      if (!id) return new Set<string>();
      const r = byId.get(id)!;
      const fields = [{ text: r.title, weight: 1 }];
      if (first) fields.push({ text: r.description.split(/[。；！？!?;\n]|\.\s/)[0] ?? '', weight: 1 });
      return new Set(analyze(a, fields).features.keys());
    };
    const push = (kind: Query['kind'], qid: string, src: string | undefined, fit: (id: string) => number, list: ReturnType<Engine['search']>, answerable?: boolean) => {
      const p = last!;
      const main = featuresOf(src, true);
      const title = featuresOf(src, false);
      const top = list.filter((x) => x.evidence).slice(0, 10).map((x): Top => {
        const h = p.pool.find((y) => y.id === x.id)!;
        const contrib: Shared[] = [];
        for (const [f, qw] of p.query) {
          const id = p.inv.idOf(f);
          if (id < 0) continue;
          const v = p.inv.termScoreId(h.doc, id, qw);
          if (v > 0) contrib.push([f, v, p.inv.dfOf(id), main.has(f) ? 1 : 0, title.has(f) ? 1 : 0]);
        }
        return { id: x.id, raw: h.raw, bonus: h.bonus, score: x.score, ev: x.evidence!, y: fit(x.id), contrib };
      });
      const live = kind === 'c2n' ? data.needs.length : data.capabilities.length;
      out.push({ set: s.name, kind, qid, ...(answerable === undefined ? {} : { answerable }), carried: p.carried, unit: p.unit, self: p.self, live, pool: p.pool.map((x) => x.raw), top });
    };
    const opts = { top: 10, minScore: 0, explain: false };
    for (const c of labels.cases) {
      const fit = (cap: string) => grade.get(`${c.need}|${cap}`) ?? 0;
      push('n2c', c.need, c.need, fit, engine.matchEntry('need', c.need, opts), Object.keys(c.relevant).length > 0);
      const rec = data.needs.find((n) => n.id === c.need)!;
      push('title', c.need, undefined, fit, engine.search(rec.title, ['capability'], opts));
      if (rec.keywords?.length) push('kw', c.need, undefined, fit, engine.search(rec.keywords.join(' '), ['capability'], opts));
    }
    for (const cap of data.capabilities) {
      push('c2n', cap.id, cap.id, (n) => (labelled.has(n) ? grade.get(`${n}|${cap.id}`) ?? 0 : -1), engine.matchEntry('capability', cap.id, opts));
    }
    for (const q of GENERIC_QUERIES) push('generic', q, undefined, () => 0, engine.search(q, ['capability'], { ...opts, top: 5 }));
  }
  return out;
}

if (process.argv[1]?.endsWith('noanswer-dump.ts')) writeFileSync(process.argv[2] ?? '/tmp/noanswer.json', JSON.stringify(collectQueries()));

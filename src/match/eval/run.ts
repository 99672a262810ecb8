// npm run eval: the labelled dev set (test/fixtures) through the engine and through plain fuse.js,
// both directions, overall and per tag; then the segmenter comparison.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseDatasetText, type Dataset } from '../../domain/dataset.ts';
import { FuseBaseline } from '../baseline.ts';
import { Engine } from '../engine.ts';
import type { SegmenterName } from '../segment.ts';
import type { Doc, Ranker } from '../types.ts';
import { summarize, type Grades, type Summary } from './metrics.ts';

export const TAGS = ['synonym', 'cross-lingual', 'abbreviation', 'typo', 'distractor', 'short', 'long'] as const;

export const Labels = z.object({
  version: z.literal(1),
  grades: z.record(z.string(), z.string()).optional(),
  cases: z.array(z.object({
    need: z.string(),
    tags: z.array(z.enum(TAGS)).min(1),
    relevant: z.record(z.string(), z.number().int().min(1).max(3)),
    note: z.string().optional(),
  })),
});
export type Labels = z.infer<typeof Labels>;

const FIXTURES = new URL('../../../test/fixtures/', import.meta.url);

/** A labelled set in test/fixtures: "devset" (the one tuned on) or "holdout" (written blind, never tuned on). */
export function loadSet(name: 'devset' | 'holdout'): { data: Dataset; labels: Labels } {
  return {
    data: parseDatasetText(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')),
    labels: Labels.parse(JSON.parse(readFileSync(new URL(`${name}-labels.json`, FIXTURES), 'utf8'))),
  };
}

export function loadDevSet(): { data: Dataset; labels: Labels } {
  return loadSet('devset');
}

export function docsOf(d: Dataset): Doc[] {
  return [
    ...d.needs.map((record) => ({ type: 'need' as const, record })),
    ...d.capabilities.map((record) => ({ type: 'capability' as const, record })),
  ];
}

interface Row { ranked: string[]; grades: Grades; tags: readonly string[] }

/** Both directions: need → capabilities from the labels; capability → needs from their inverse. */
export function evaluate(ranker: Ranker, labels: Labels, top = 10): { n2c: Row[]; c2n: Row[] } {
  const n2c = labels.cases.map((c) => ({
    ranked: ranker.matchEntry('need', c.need, { top, minScore: 0 }).map((s) => s.id),
    grades: new Map(Object.entries(c.relevant)),
    tags: c.tags,
  }));
  const inverse = new Map<string, { grades: Map<string, number>; tags: Set<string> }>();
  for (const c of labels.cases) {
    for (const [cap, g] of Object.entries(c.relevant)) {
      const e = inverse.get(cap) ?? { grades: new Map(), tags: new Set<string>() };
      e.grades.set(c.need, g);
      c.tags.forEach((t) => e.tags.add(t));
      inverse.set(cap, e);
    }
  }
  const c2n = [...inverse].map(([cap, e]) => ({
    ranked: ranker.matchEntry('capability', cap, { top, minScore: 0 }).map((s) => s.id),
    grades: e.grades,
    tags: [...e.tags],
  }));
  return { n2c, c2n };
}

function fmt(s: Summary): string {
  return `${s.ndcg5.toFixed(3)}  ${s.recall5.toFixed(3)}  ${s.mrr.toFixed(3)}  (n=${s.n})`;
}

export function report(name: string, rows: Row[], base: Row[]): string[] {
  const lines = [`${name}: engine nDCG@5 Recall@5 MRR | plain fuse.js nDCG@5 Recall@5 MRR`];
  const line = (label: string, f: (r: Row) => boolean) =>
    lines.push(`  ${label.padEnd(14)} ${fmt(summarize(rows.filter(f)))} | ${fmt(summarize(base.filter(f)))}`);
  line('overall', () => true);
  for (const t of TAGS) line(t, (r) => r.tags.includes(t));
  return lines;
}

function setReport(name: 'devset' | 'holdout', title: string): string[] {
  const { data, labels } = loadSet(name);
  const docs = docsOf(data);
  const e = evaluate(new Engine(docs), labels);
  const b = evaluate(new FuseBaseline(docs), labels);
  return [
    `${title}: ${data.needs.length} needs, ${data.capabilities.length} capabilities, ${labels.cases.length} labelled cases`,
    ...report('need → capability', e.n2c, b.n2c),
    ...report('capability → need', e.c2n, b.c2n),
    '',
  ];
}

async function main(): Promise<void> {
  const { data, labels } = loadDevSet();
  const docs = docsOf(data);
  const out = [
    ...setReport('devset', 'Dev set (tuned on)'),
    ...setReport('holdout', 'Held-out set (written blind, never tuned on)'),
    'Segmenter on the dev set (need → capability nDCG@5, build ms, mean ms per /match):',
  ];
  for (const seg of ['none', 'intl', 'jieba'] as SegmenterName[]) {
    const t0 = performance.now();
    const eng = new Engine(docs, { segmenter: seg });
    const build = performance.now() - t0;
    const t1 = performance.now();
    const r = evaluate(eng, labels);
    const per = (performance.now() - t1) / (r.n2c.length + r.c2n.length);
    out.push(`  ${seg.padEnd(6)} nDCG@5 ${summarize(r.n2c).ndcg5.toFixed(3)} / c→n ${summarize(r.c2n).ndcg5.toFixed(3)}  build ${build.toFixed(0)} ms  ${per.toFixed(2)} ms/query`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

if (process.argv[1]?.endsWith('run.ts')) await main();

// Scores mean the probability of a real fit: thin evidence scores low however short the query.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDatasetText } from '../../src/domain/dataset.ts';
import { Engine } from '../../src/match/engine.ts';
import { docsOf } from '../../src/match/eval/sets.ts';
import { CALIBRATION_FILE, CalibrationFile, DEFAULT_MIN_SCORE, probability, specificity, WATCH_MIN_SCORE } from '../../src/match/score.ts';

let demo: Engine;
beforeAll(() => {
  demo = new Engine(docsOf(parseDatasetText(readFileSync(new URL('../../data/demo.json', import.meta.url), 'utf8'))));
});

describe('calibration (data/calibration.json)', () => {
  it('parses, with slopes ≥ 0 (order kept) and a reliability table', () => {
    const f = CalibrationFile.parse(JSON.parse(readFileSync(CALIBRATION_FILE, 'utf8')));
    expect(f.model.coverage).toBeGreaterThan(0);
    expect(f.model.evidence).toBeGreaterThan(0);
    expect(f.table.length).toBeGreaterThan(3);
  });

  it('rejects a negative slope', () => {
    expect(CalibrationFile.safeParse({ version: 1, fitted: 'x', model: { intercept: 0, coverage: -1, evidence: 1 }, table: [] }).success).toBe(false);
  });
});

describe('specific evidence (what few entries of the directory hold)', () => {
  it('weighs a feature one entry holds in full, less the more entries hold it, nothing past 8 per 120', () => {
    expect(specificity(1, 120)).toBe(1);
    expect(specificity(2, 120)).toBeLessThan(1);
    expect(specificity(3, 120)).toBeLessThan(specificity(2, 120));
    expect(specificity(9, 120)).toBe(0);
    // Counted per 120 entries: in a directory of 12,000, 100 holders weigh as 1 does in 120; a small one is not scaled up.
    expect(specificity(100, 12_000)).toBe(1);
    expect(specificity(300, 12_000)).toBeCloseTo(specificity(3, 120), 10);
    expect(specificity(2, 20)).toBe(specificity(2, 120));
  });

  it('raises the probability where the model weighs it, and is ignored where it does not', () => {
    const m = { intercept: -4, coverage: 3, evidence: 0.7, rest: 0.15, specific: 0.8 };
    expect(probability({ coverage: 0.4, units: 5, rest: 1, specific: 0.2 }, m)).toBeLessThan(probability({ coverage: 0.4, units: 5, rest: 1, specific: 3 }, m));
    const { specific: _, ...old } = m;
    expect(probability({ coverage: 0.4, units: 5, rest: 1, specific: 0.2 }, old)).toBe(probability({ coverage: 0.4, units: 5, rest: 1, specific: 3 }, old));
  });

  it('a negative slope is rejected', () => {
    expect(CalibrationFile.safeParse({ version: 1, fitted: 'x', model: { intercept: 0, coverage: 1, evidence: 1, specific: -0.1 }, table: [] }).success).toBe(false);
  });
});

describe('new-user queries on the demo data', () => {
  it('"测试" alone gets no partner at or above the display cut', () => {
    expect(demo.search('测试', ['need', 'capability'])).toEqual([]);
  });

  it('焊接机器人: labs sharing only 机器人 stay under the watch line', () => {
    for (const s of demo.search('焊接机器人', ['need', 'capability'], { minScore: 0 })) expect(s.score, s.id).toBeLessThan(WATCH_MIN_SCORE);
  });

  it('a query echoing only 变形 scores nothing at or above the watch line', () => {
    for (const s of demo.search('变形', ['need', 'capability'], { minScore: 0 })) expect(s.score, s.id).toBeLessThan(WATCH_MIN_SCORE);
  });

  it('a specific query still finds its partner above the watch line, with reasons', () => {
    const [best] = demo.search('质子交换膜燃料电池低温冷启动', ['capability']);
    expect(best?.score).toBeGreaterThanOrEqual(WATCH_MIN_SCORE);
    expect(best!.reasons.some((r) => r.kind !== 'sector')).toBe(true);
  });

  it('every suggestion shown for every demo entry carries a reason beyond a shared sector', () => {
    for (const type of ['need', 'capability'] as const) {
      for (const id of ['N-0001', 'N-0002', 'N-0009', 'C-0001', 'C-0002'].filter((x) => x.startsWith(type === 'need' ? 'N' : 'C'))) {
        for (const s of demo.matchEntry(type, id)) {
          expect(s.score).toBeGreaterThanOrEqual(DEFAULT_MIN_SCORE);
          expect(s.reasons.some((r) => r.kind !== 'sector'), `${id} → ${s.id}`).toBe(true);
        }
      }
    }
  });
});

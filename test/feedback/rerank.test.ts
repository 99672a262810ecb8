// The learned re-ranking: blocking, a lab without capacity, what transfers to entries nobody rated (the
// generic shape of the evidence, and keys several entries rated), thin or contradictory feedback changing
// nothing, and the eval figure.
import { describe, expect, it } from 'vitest';
import type { SectorId } from '../../src/domain/sectors.ts';
import { evaluateFeedback, prepare } from '../../src/feedback/eval.ts';
import { lowestLifted, shifted } from '../../src/feedback/learn.ts';
import { EMPTY_MODEL, learn, ratedKeys, rerank, RERANK, type FeedbackRow } from '../../src/feedback/rerank.ts';
import type { Reason, Suggestion } from '../../src/match/types.ts';

const sectors: Record<string, SectorId[]> = {
  'need:N-1': ['power-grid'], 'need:N-2': ['power-grid'], 'need:N-3': ['power-grid'],
  'capability:C-1': ['power-grid'], 'capability:C-2': ['biomedicine'], 'capability:C-3': ['power-grid'],
};
const sectorsOf = (type: string, id: string) => sectors[`${type}:${id}`] ?? [];
const s = (id: string, score: number, reasons: Reason[] = []): Suggestion => ({
  type: 'capability', id, score, record: { id, org: 'o', title: id, description: 'd' }, reasons, evidence: { coverage: 0.3, units: 5 },
});
const terms = (...t: string[]): Reason => ({ kind: 'terms', terms: t });
const concept = (c: string): Reason => ({ kind: 'concept', concept: c, query: c, target: c });
const bridge = (p: string, m: string): Reason => ({ kind: 'bridge', problem: p, method: m });
const need = (id: string) => ({ type: 'need' as const, id });
const down = (entryId: string, partnerId: string, reason: FeedbackRow['reason'], features?: string[]): FeedbackRow => ({ entryType: 'need', entryId, partnerId, vote: 'down', reason, ...(features ? { features } : {}) });
/** A rating of a suggestion as the pair card records it (its evidence keys and shape). */
const rate = (entryId: string, x: Suggestion, fits: boolean): FeedbackRow => (fits
  ? { entryType: 'need', entryId, partnerId: x.id, vote: 'up', features: ratedKeys(x) }
  : down(entryId, x.id, 'wrong-field', ratedKeys(x)));
const ids = (l: readonly Suggestion[]) => l.map((x) => x.id);

describe('rerank', () => {
  it('changes nothing without feedback', () => {
    const items = [s('C-1', 0.8), s('C-2', 0.5)];
    expect(rerank(EMPTY_MODEL, need('N-1'), items, sectorsOf)).toEqual(items);
  });

  it('drops a pair marked wrong field or already partners, both ways, and only that pair (not for free text)', () => {
    const model = learn([down('N-1', 'C-2', 'wrong-field'), down('N-2', 'C-3', 'already-partners')], sectorsOf);
    expect(ids(rerank(model, need('N-1'), [s('C-1', 0.8), s('C-2', 0.5), s('C-3', 0.4)], sectorsOf))).toEqual(['C-1', 'C-3']);
    expect(ids(rerank(model, { type: 'capability', id: 'C-2' }, [{ ...s('N-1', 0.6), type: 'need' }, { ...s('N-3', 0.5), type: 'need' }], sectorsOf))).toEqual(['N-3']);
    expect(ids(rerank(model, need('N-3'), [s('C-2', 0.5), s('C-3', 0.4)], sectorsOf))).toEqual(['C-2', 'C-3']);
    expect(ids(rerank(model, { type: 'text' }, [s('C-2', 0.5), s('C-3', 0.4)], sectorsOf))).toEqual(['C-2', 'C-3']);
  });

  it('a lab several entries found without capacity moves down for everyone; one entry alone, or 👍 since, move nothing', () => {
    expect(learn([down('N-1', 'C-2', 'no-capacity')], sectorsOf).capacity.size).toBe(0);
    const twice = learn([down('N-1', 'C-2', 'no-capacity'), down('N-2', 'C-2', 'no-capacity')], sectorsOf);
    const ranked = rerank(twice, need('N-3'), [s('C-2', 0.6), s('C-1', 0.58)], sectorsOf);
    expect(ids(ranked)).toEqual(['C-1', 'C-2']);
    expect(0.6 - ranked[1]!.score).toBeLessThanOrEqual(RERANK.maxCapacity + 1e-9);
    const cancelled = learn([down('N-1', 'C-2', 'no-capacity'), down('N-2', 'C-2', 'no-capacity'), { entryType: 'need', entryId: 'N-3', partnerId: 'C-2', vote: 'up' }, { entryType: 'need', entryId: 'N-1', partnerId: 'C-2', vote: 'up' }], sectorsOf);
    expect(cancelled.capacity.size).toBe(0);
  });
});

describe('what transfers to entries nobody rated', () => {
  // Six entries each rate their list: the partner sharing a concept fits, the one sharing only words
  // (scored higher by the engine) does not.
  const rows = ['N-11', 'N-12', 'N-13', 'N-14', 'N-15', 'N-16'].flatMap((n, i) => [
    rate(n, s(`C-1${i}`, 0.45, [concept(`k${i}`)]), true),
    rate(n, s(`C-2${i}`, 0.5, [terms(`w${i}`, `v${i}`)]), false),
  ]);

  it('success: the shape of the evidence the office kept 👍 lifts a pair of an entry nobody rated, and of free text', () => {
    const model = learn(rows, sectorsOf);
    const list = [s('C-8', 0.42, [terms('x', 'y')]), s('C-9', 0.38, [concept('z')])];
    const mine = rerank(model, need('N-3'), list, sectorsOf);
    expect(ids(mine)).toEqual(['C-9', 'C-8']);
    expect(ids(rerank(model, { type: 'text' }, list, sectorsOf))).toEqual(['C-9', 'C-8']);
    // Scores keep their meaning: moved by a bounded logit shift, never past it.
    expect(mine[0]!.score).toBeLessThanOrEqual(shifted(0.38, RERANK.maxShift));
  });

  it('success: a bridge that keeps earning 👍 lifts other pairs resting on it; one that keeps earning 👎 sinks', () => {
    const good = bridge('局放', '超声检测');
    const bad = bridge('噪声', '声学');
    const model = learn(['N-1', 'N-2'].flatMap((n, i) => [rate(n, s(`C-4${i}`, 0.4, [good]), true), rate(n, s(`C-5${i}`, 0.45, [bad]), false)]), sectorsOf);
    expect(model.logistic.keys.get('b:局放>超声检测')).toBeGreaterThan(0);
    expect(model.logistic.keys.get('b:噪声>声学')).toBeLessThan(0);
    expect(ids(rerank(model, need('N-3'), [s('C-8', 0.42, [bad]), s('C-9', 0.38, [good])], sectorsOf))).toEqual(['C-9', 'C-8']);
  });

  it('failure: thin feedback (one entry) changes nothing for the others', () => {
    const model = learn(rows.slice(0, 2), sectorsOf);
    const list = [s('C-8', 0.42, [terms('x', 'y')]), s('C-9', 0.38, [concept('z')])];
    expect(rerank(model, need('N-3'), list, sectorsOf)).toEqual(list);
  });

  it('failure: contradictory feedback changes nothing (as many entries say the opposite)', () => {
    const opposite = ['N-21', 'N-22', 'N-23', 'N-24', 'N-25', 'N-26'].flatMap((n, i) => [
      rate(n, s(`C-3${i}`, 0.5, [concept(`k${i}`)]), false),
      rate(n, s(`C-4${i}`, 0.45, [terms(`w${i}`, `v${i}`)]), true),
    ]);
    const model = learn([...rows, ...opposite], sectorsOf);
    const list = [s('C-8', 0.42, [terms('x', 'y')]), s('C-9', 0.38, [concept('z')])];
    const after = rerank(model, need('N-3'), list, sectorsOf);
    expect(ids(after)).toEqual(['C-8', 'C-9']);
    for (const [i, x] of after.entries()) expect(Math.abs(x.score - list[i]!.score)).toBeLessThan(0.02);
  });

  it('the engine is asked for everything a lift could bring above the display cut', () => {
    const floor = lowestLifted(0.15);
    expect(shifted(floor - 0.001, RERANK.maxShift)).toBeLessThan(0.15);
    expect(shifted(floor + 0.002, RERANK.maxShift)).toBeGreaterThanOrEqual(0.15);
  });
});

describe('the eval figure (npm run eval:feedback), on two sets the learner was tuned on', () => {
  it('feedback improves the rated needs, and needs nobody rated on average without falling beyond noise', () => {
    const figures = ['devset', 'sme-holdout-2'].map((n) => evaluateFeedback(prepare(n)));
    for (const r of figures) {
      expect(r.ratings).toBeGreaterThan(40);
      expect(r.rated.delta).toBeGreaterThan(0.01);
      expect(r.heldOut.delta).toBeGreaterThan(-Math.max(r.heldOut.sd, 0.005));
      expect(r.unrated.delta).toBeGreaterThan(-Math.max(r.unrated.sd, 0.005));
      expect(r.reverse.delta).toBeGreaterThan(-Math.max(r.reverse.sd, 0.005));
    }
    expect(figures.reduce((a, r) => a + r.heldOut.delta, 0)).toBeGreaterThan(0);
  }, 120_000);
});

// The learned re-ranking: blocking, recurring patterns only, bounded moves, and the eval figure.
import { describe, expect, it } from 'vitest';
import type { SectorId } from '../../src/domain/sectors.ts';
import { evaluateFeedback } from '../../src/feedback/eval.ts';
import { EMPTY_MODEL, learn, rerank, RERANK, type FeedbackRow } from '../../src/feedback/rerank.ts';
import type { Suggestion } from '../../src/match/types.ts';

const sectors: Record<string, SectorId[]> = {
  'need:N-1': ['power-grid'], 'need:N-2': ['power-grid'], 'need:N-3': ['power-grid'],
  'capability:C-1': ['power-grid'], 'capability:C-2': ['biomedicine'], 'capability:C-3': ['power-grid'],
};
const sectorsOf = (type: string, id: string) => sectors[`${type}:${id}`] ?? [];
const s = (id: string, score: number, terms: string[] = []): Suggestion => ({
  type: 'capability', id, score, record: { id, org: 'o', title: id, description: 'd' }, reasons: terms.length ? [{ kind: 'terms', terms }] : [],
});
const down = (entryId: string, partnerId: string, reason: FeedbackRow['reason'], features?: string[]): FeedbackRow => ({ entryType: 'need', entryId, partnerId, vote: 'down', reason, ...(features ? { features } : {}) });

describe('rerank', () => {
  it('changes nothing without feedback', () => {
    const items = [s('C-1', 0.8), s('C-2', 0.5)];
    expect(rerank(EMPTY_MODEL, 'need', 'N-1', items, sectorsOf)).toEqual(items);
  });

  it('drops a pair marked wrong field or already partners, both ways, and only that pair', () => {
    const model = learn([down('N-1', 'C-2', 'wrong-field'), down('N-2', 'C-3', 'already-partners')], sectorsOf);
    expect(rerank(model, 'need', 'N-1', [s('C-1', 0.8), s('C-2', 0.5), s('C-3', 0.4)], sectorsOf).map((x) => x.id)).toEqual(['C-1', 'C-3']);
    expect(rerank(model, 'capability', 'C-2', [{ ...s('N-1', 0.6), type: 'need' }, { ...s('N-3', 0.5), type: 'need' }], sectorsOf).map((x) => x.id)).toEqual(['N-3']);
    expect(rerank(model, 'need', 'N-3', [s('C-2', 0.5), s('C-3', 0.4)], sectorsOf).map((x) => x.id)).toEqual(['C-2', 'C-3']);
  });

  it('a partner rejected by several entries moves down for the others; one entry alone moves nothing', () => {
    const once = learn([down('N-1', 'C-2', 'no-capacity')], sectorsOf);
    expect(once.partner.size).toBe(0);
    const twice = learn([down('N-1', 'C-2', 'no-capacity'), down('N-2', 'C-2', 'no-capacity')], sectorsOf);
    const ranked = rerank(twice, 'need', 'N-3', [s('C-2', 0.6), s('C-1', 0.58)], sectorsOf);
    expect(ranked.map((x) => x.id)).toEqual(['C-1', 'C-2']);
    expect(0.6 - ranked[1]!.score).toBeLessThanOrEqual(RERANK.maxPartner + 1e-9);
    // 👍 from others cancel it
    const cancelled = learn([down('N-1', 'C-2', 'no-capacity'), down('N-2', 'C-2', 'no-capacity'), { entryType: 'need', entryId: 'N-3', partnerId: 'C-2', vote: 'up' }, { entryType: 'need', entryId: 'N-1', partnerId: 'C-2', vote: 'up' }], sectorsOf);
    expect(cancelled.partner.size).toBe(0);
  });

  it('evidence that keeps leading to wrong-field pairs weighs less, and the display cut stays exact', () => {
    const model = learn([down('N-1', 'C-2', 'wrong-field', ['t:测试']), down('N-2', 'C-1', 'wrong-field', ['t:测试'])], sectorsOf);
    const ranked = rerank(model, 'need', 'N-3', [s('C-3', 0.3, ['测试']), s('C-1', 0.25, ['变压器'])], sectorsOf, 0.15);
    expect(ranked.map((x) => x.id)).toEqual(['C-1', 'C-3']);
    expect(rerank(model, 'need', 'N-3', [s('C-3', 0.2, ['测试'])], sectorsOf, 0.15)).toEqual([]);
  });
});

describe('the eval figure (npm run eval:feedback), dev set', () => {
  it('feedback improves the rated needs, and does not hurt needs or pairs nobody rated', () => {
    const r = evaluateFeedback('devset');
    expect(r.ratings).toBeGreaterThan(100);
    expect(r.rated.fed).toBeGreaterThan(r.rated.base + 0.01);
    // Needs nobody rated: no worse on average (within 0.01 of nDCG@5), and at most one need in 20 worse.
    expect(r.heldOut.fed).toBeGreaterThanOrEqual(r.heldOut.base - 0.01);
    expect(r.heldOut.worse).toBeLessThanOrEqual(Math.ceil(r.heldOut.n / 20));
    expect(r.unrated.fed).toBeGreaterThanOrEqual(r.unrated.base);
  }, 120_000);
});

import { describe, expect, it } from 'vitest';
import {
  canMove,
  Carrier,
  daysLeft,
  Feedback,
  INTRO_STAGES,
  Introduction,
  isExpired,
  isRefusal,
  moveIntroduction,
  nextStages,
  progress,
  reminderDue,
  renew,
  reviewDate,
  Target,
} from '../../src/domain/collaboration.ts';

const ALICE = '100000000000000001';
const BOB = '100000000000000002';
const T0 = new Date('2026-06-01T09:00:00Z');
const day = (n: number) => new Date(T0.getTime() + n * 86_400_000);

const requested = (): Introduction => Introduction.parse({
  id: 'I-0001', needId: 'N-0001', capabilityId: 'C-0007', requestedBy: ALICE, stage: 'requested',
  history: [{ stage: 'requested', at: T0.toISOString(), by: ALICE }],
});

function move(intro: Introduction, to: Parameters<typeof moveIntroduction>[1], reason?: string): Introduction {
  const next = moveIntroduction(intro, to, BOB, day(1), reason);
  if (isRefusal(next)) throw new Error(JSON.stringify(next));
  return next;
}

describe('introduction stages', () => {
  it('walks requested → accepted → in talks → agreement → project started → closed, keeping history', () => {
    let intro = requested();
    for (const to of ['accepted', 'in-talks', 'agreement', 'project-started'] as const) intro = move(intro, to);
    intro = move(intro, 'closed', 'completed');
    expect(intro.stage).toBe('closed');
    expect(intro.history.map((h) => h.stage)).toEqual(['requested', 'accepted', 'in-talks', 'agreement', 'project-started', 'closed']);
    expect(Introduction.safeParse(intro).success).toBe(true);
    expect(nextStages('closed')).toEqual([]);
  });

  it('refuses skipping stages, leaving an end stage, and closing without a known reason; the original is untouched', () => {
    const intro = requested();
    expect(moveIntroduction(intro, 'agreement', BOB, day(1))).toEqual({ refused: 'stage', from: 'requested', to: 'agreement' });
    const declined = move(intro, 'declined', 'no-capacity');
    expect(canMove(declined.stage, 'accepted')).toBe(false);
    expect(moveIntroduction(declined, 'accepted', BOB, day(2))).toMatchObject({ refused: 'stage' });
    expect(moveIntroduction(intro, 'closed', BOB, day(1))).toMatchObject({ refused: 'reason' });
    expect(moveIntroduction(intro, 'closed', BOB, day(1), 'bored')).toMatchObject({ refused: 'reason' });
    expect(moveIntroduction(intro, 'declined', BOB, day(1), 'bored')).toMatchObject({ refused: 'reason' });
    expect(intro.history).toHaveLength(1);
  });

  it('every stage but declined and closed can still be closed', () => {
    for (const s of INTRO_STAGES) expect(canMove(s, 'closed'), s).toBe(s !== 'declined' && s !== 'closed');
  });

  it('rejects a stored introduction whose history is impossible, naming the entry', () => {
    const bad = Introduction.safeParse({
      ...requested(), stage: 'agreement',
      history: [{ stage: 'requested', at: T0.toISOString(), by: ALICE }, { stage: 'agreement', at: day(1).toISOString(), by: BOB }],
    });
    expect(bad.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['history.1.stage', 'cannot move from requested to agreement']]);
    expect(Introduction.safeParse({ ...requested(), id: '7' }).error?.issues[0]?.path).toEqual(['id']);
  });
});

describe('feedback', () => {
  const base = { entryId: 'N-0001', partnerId: 'C-0002', by: ALICE, at: T0.toISOString() };

  it('takes a 👎 with a reason code and a 👍 without', () => {
    expect(Feedback.parse({ ...base, vote: 'down', reason: 'wrong-scale' })).toMatchObject({ reason: 'wrong-scale', source: 'suggestion' });
    expect(Feedback.parse({ ...base, vote: 'up' }).vote).toBe('up');
  });

  it('refuses a 👎 without a reason, a 👍 with one, an unknown code, and a pair with itself', () => {
    const problems = (v: unknown) => Feedback.safeParse(v).error?.issues.map((i) => i.path.join('.'));
    expect(problems({ ...base, vote: 'down' })).toEqual(['reason']);
    expect(problems({ ...base, vote: 'up', reason: 'location' })).toEqual(['reason']);
    expect(problems({ ...base, vote: 'down', reason: 'too-far' })).toEqual(['reason']);
    expect(problems({ ...base, partnerId: 'N-0001', vote: 'up' })).toEqual(['partnerId']);
  });
});

describe('carriers and targets', () => {
  const carriers = [
    { kind: 'enterprise-tech-center', level: 'municipal' },
    { kind: 'enterprise-tech-center', level: 'district' },
    { kind: 'enterprise-tech-center' },
    { kind: 'key-lab', level: 'national' },
  ].map((c) => Carrier.parse(c));

  it('counts progress by kind, and by level when the target names one', () => {
    expect(progress(Target.parse({ kind: 'enterprise-tech-center', count: 20 }), carriers)).toBe(3);
    expect(progress(Target.parse({ kind: 'enterprise-tech-center', level: 'municipal', count: 5 }), carriers)).toBe(1);
    expect(progress(Target.parse({ kind: 'incubator', count: 1 }), carriers)).toBe(0);
  });

  it('refuses an unknown kind or level and a target of zero', () => {
    expect(Carrier.safeParse({ kind: 'enterprise-tech-center', level: 'provincial' }).success).toBe(false);
    expect(Target.safeParse({ kind: 'tech-centre', count: 20 }).error?.issues[0]?.path).toEqual(['kind']);
    expect(Target.safeParse({ kind: 'incubator', count: 0 }).error?.issues[0]?.message).toBe('must be at least 1');
  });
});

describe('posting review', () => {
  it('defaults to 180 days, reminds 14 and then 3 days before, once each, and expires after the date', () => {
    const review = { reviewBy: reviewDate(T0), reminded: [] as number[] };
    expect(review.reviewBy).toBe('2026-11-28');
    expect(reminderDue(review, day(165))).toBeUndefined();
    expect(daysLeft(review, day(166))).toBe(14);
    expect(reminderDue(review, day(166))).toBe(14);
    expect(reminderDue({ ...review, reminded: [14] }, day(170))).toBeUndefined();
    expect(reminderDue({ ...review, reminded: [14] }, day(177))).toBe(3);
    expect(reminderDue({ ...review, reminded: [14, 3] }, day(179))).toBeUndefined();
    expect(isExpired(review, day(180))).toBe(false);
    expect(isExpired(review, day(181))).toBe(true);
    expect(reminderDue(review, day(181))).toBeUndefined();
  });

  it('sends only the closest reminder when a posting is already near its date, and renew starts over', () => {
    const late = { reviewBy: reviewDate(T0, 7), reminded: [] as number[] };
    expect(reminderDue(late, day(5))).toBe(3);
    expect(reminderDue({ ...late, reminded: [3] }, day(6))).toBeUndefined();
    expect(renew(day(6), 90)).toEqual({ reviewBy: '2026-09-05', reminded: [] });
  });

  it('refuses a review period outside 7–730 days', () => {
    expect(() => reviewDate(T0, 3)).toThrow(/7–730/);
    expect(() => reviewDate(T0, 1.5)).toThrow(RangeError);
  });
});

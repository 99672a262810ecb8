// The collaboration loop's vocabulary (issue 11): introduction stages and their moves, feedback reason codes,
// carriers (kind and level) with the office's targets, and posting review dates. Pure: no store, no Discord.
import * as z from 'zod';
import { CARRIER_LEVELS, CarrierLevel, EntryId, type CapabilityKind } from './entry.ts';

export { CARRIER_LEVELS, CarrierLevel };

const Snowflake = z.string().regex(/^\d{17,20}$/, 'is not a Discord id');

// ------------------------------------------------------------------ introductions

/** requested → accepted / declined → in talks → agreement → project started; closed (with a reason) from any open stage. */
export const INTRO_STAGES = ['requested', 'accepted', 'declined', 'in-talks', 'agreement', 'project-started', 'closed'] as const;
export const IntroStage = z.enum(INTRO_STAGES);
export type IntroStage = z.infer<typeof IntroStage>;

const MOVES: Record<IntroStage, readonly IntroStage[]> = {
  requested: ['accepted', 'declined', 'closed'],
  accepted: ['in-talks', 'agreement', 'closed'],
  'in-talks': ['agreement', 'closed'],
  agreement: ['project-started', 'closed'],
  'project-started': ['closed'],
  declined: [],
  closed: [],
};

/** Stages an introduction may move to from `from` (empty once declined or closed). */
export function nextStages(from: IntroStage): readonly IntroStage[] {
  return MOVES[from];
}

export function canMove(from: IntroStage, to: IntroStage): boolean {
  return MOVES[from].includes(to);
}

/** Stages that count as "open" for reminders (a stage sitting still for 14 days gets one). */
export const isOpenStage = (s: IntroStage): boolean => MOVES[s].length > 0;

export const CLOSE_REASONS = ['completed', 'no-agreement', 'no-response', 'withdrawn', 'other'] as const;
export const CloseReason = z.enum(CLOSE_REASONS);
export type CloseReason = z.infer<typeof CloseReason>;

export const StageChange = z.strictObject({
  stage: IntroStage,
  at: z.iso.datetime(),
  by: Snowflake,
  /** Why it was declined or closed: a feedback reason on decline, a close reason on close. */
  reason: z.string().max(40).optional(),
  note: z.string().trim().max(500).optional(),
});
export type StageChange = z.infer<typeof StageChange>;

export const Introduction = z.strictObject({
  id: z.string().regex(/^I-\d{4,}$/, 'is not an introduction id (I-0001)'),
  needId: EntryId,
  capabilityId: EntryId,
  requestedBy: Snowflake,
  stage: IntroStage,
  /** Oldest first; the first change is always `requested`. */
  history: z.array(StageChange).min(1),
  threadId: Snowflake.optional(),
}).superRefine((intro, ctx) => {
  const stages = intro.history.map((h) => h.stage);
  if (stages[0] !== 'requested') ctx.addIssue({ code: 'custom', path: ['history', 0, 'stage'], message: 'must start with requested' });
  for (let i = 1; i < stages.length; i++) {
    if (!canMove(stages[i - 1]!, stages[i]!)) ctx.addIssue({ code: 'custom', path: ['history', i, 'stage'], message: `cannot move from ${stages[i - 1]} to ${stages[i]}` });
  }
  if (stages.at(-1) !== intro.stage) ctx.addIssue({ code: 'custom', path: ['stage'], message: 'differs from the last history entry' });
  const last = intro.history.at(-1);
  if (last?.stage === 'closed' && !CloseReason.safeParse(last.reason).success) {
    ctx.addIssue({ code: 'custom', path: ['history', intro.history.length - 1, 'reason'], message: `closing needs a reason: ${CLOSE_REASONS.join(', ')}` });
  }
});
export type Introduction = z.infer<typeof Introduction>;

/** Why a move was refused; the caller turns it into a UserError in the user's language. */
export type MoveRefusal = { refused: 'stage'; from: IntroStage; to: IntroStage } | { refused: 'reason'; allowed: readonly string[] };

/** The introduction after moving to `to`, or why it cannot move. Never mutates `intro`. */
export function moveIntroduction(intro: Introduction, to: IntroStage, by: string, at: Date, reason?: string): Introduction | MoveRefusal {
  if (!canMove(intro.stage, to)) return { refused: 'stage', from: intro.stage, to };
  if (to === 'closed' && !CloseReason.safeParse(reason).success) return { refused: 'reason', allowed: CLOSE_REASONS };
  if (to === 'declined' && reason !== undefined && !FeedbackReason.safeParse(reason).success) return { refused: 'reason', allowed: FEEDBACK_REASONS };
  const change: StageChange = { stage: to, at: at.toISOString(), by, ...(reason ? { reason } : {}) };
  return { ...intro, stage: to, history: [...intro.history, change] };
}

export const isRefusal = (r: Introduction | MoveRefusal): r is MoveRefusal => 'refused' in r;

// ------------------------------------------------------------------ feedback

export const FEEDBACK_REASONS = ['wrong-field', 'wrong-scale', 'already-partners', 'no-capacity', 'location', 'other'] as const;
export const FeedbackReason = z.enum(FEEDBACK_REASONS);
export type FeedbackReason = z.infer<typeof FeedbackReason>;

/** 👍 / 👎 on one suggested pair. A 👎 carries a reason code; a declined introduction is recorded as one. */
export const Feedback = z.strictObject({
  entryId: EntryId,
  partnerId: EntryId,
  vote: z.enum(['up', 'down']),
  reason: FeedbackReason.optional(),
  note: z.string().trim().max(200).optional(),
  by: Snowflake,
  at: z.iso.datetime(),
  source: z.enum(['suggestion', 'introduction']).default('suggestion'),
}).superRefine((f, ctx) => {
  if (f.vote === 'down' && !f.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: `a 👎 needs a reason: ${FEEDBACK_REASONS.join(', ')}` });
  if (f.vote === 'up' && f.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a 👍 takes no reason' });
  if (f.entryId === f.partnerId) ctx.addIssue({ code: 'custom', path: ['partnerId'], message: 'is the entry itself' });
});
export type Feedback = z.infer<typeof Feedback>;

/** Reasons after which the pair is never suggested to that entry again (the others only re-weight). */
export const BLOCKING_REASONS: ReadonlySet<FeedbackReason> = new Set(['wrong-field', 'already-partners']);

// ------------------------------------------------------------------ carriers and targets

/** The plan's carriers (平台载体). Each but transfer-base is already a capability kind with the same id and i18n key. */
export const CARRIER_KINDS = ['enterprise-tech-center', 'key-lab', 'engineering-center', 'incubator', 'transfer-base', 'testing-service'] as const;
export const CarrierKind = z.enum(CARRIER_KINDS);
export type CarrierKind = z.infer<typeof CarrierKind>;


/** A capability's carrier: its kind when that is a carrier kind, with its level. */
export function carrierOf(c: { kind?: CapabilityKind; level?: CarrierLevel }): Carrier | undefined {
  if (!c.kind || !(CARRIER_KINDS as readonly string[]).includes(c.kind)) return undefined;
  return { kind: c.kind as CarrierKind, ...(c.level ? { level: c.level } : {}) };
}

export const Carrier = z.strictObject({ kind: CarrierKind, level: CarrierLevel.optional() });
export type Carrier = z.infer<typeof Carrier>;

/** The office's target, e.g. "技术中心 20 家" = { kind: enterprise-tech-center, count: 20 }; no level = any level. */
export const Target = z.strictObject({
  kind: CarrierKind,
  level: CarrierLevel.optional(),
  count: z.int().min(1, 'must be at least 1').max(10_000),
});
export type Target = z.infer<typeof Target>;

/** How many carriers count towards `target`: same kind, and same level unless the target has none. */
export function progress(target: Target, carriers: readonly Carrier[]): number {
  return carriers.filter((c) => c.kind === target.kind && (target.level === undefined || c.level === target.level)).length;
}

// ------------------------------------------------------------------ posting review

export const REVIEW = { defaultDays: 180, minDays: 7, maxDays: 730, remindDaysBefore: [14, 3] as const };
const DAY = 86_400_000;

export const PostingReview = z.strictObject({
  /** The day the posting is due for review (UTC, yyyy-mm-dd); after it, the posting closes itself. */
  reviewBy: z.iso.date(),
  /** Reminders already sent, by days-before (14, 3), so none is sent twice. */
  reminded: z.array(z.int().positive()).default([]),
});
export type PostingReview = z.infer<typeof PostingReview>;

const dayOf = (d: Date): string => d.toISOString().slice(0, 10);

/** A new review date `days` after `from` (posting or renewal). */
export function reviewDate(from: Date, days: number = REVIEW.defaultDays): string {
  if (!Number.isInteger(days) || days < REVIEW.minDays || days > REVIEW.maxDays) {
    throw new RangeError(`review period must be ${REVIEW.minDays}–${REVIEW.maxDays} days, not ${days}`);
  }
  return dayOf(new Date(from.getTime() + days * DAY));
}

/** Whole days from `now` until the review date (negative once past). */
export function daysLeft(review: PostingReview, now: Date): number {
  return Math.round((Date.parse(review.reviewBy) - Date.parse(dayOf(now))) / DAY);
}

export const isExpired = (review: PostingReview, now: Date): boolean => daysLeft(review, now) < 0;

/** The reminder due now, if any: the closest threshold reached, unless it was sent (earlier ones missed are skipped). */
export function reminderDue(review: PostingReview, now: Date): number | undefined {
  const left = daysLeft(review, now);
  const reached = REVIEW.remindDaysBefore.filter((d) => left >= 0 && left <= d);
  if (reached.length === 0) return undefined;
  const closest = Math.min(...reached);
  return review.reminded.includes(closest) ? undefined : closest;
}

/** `renew` sets a fresh period from today and clears sent reminders. */
export function renew(now: Date, days: number = REVIEW.defaultDays): PostingReview {
  return { reviewBy: reviewDate(now, days), reminded: [] };
}

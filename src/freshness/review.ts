// Posting review dates in the store. A posting's review date is the later of its stored one (set by
// renew, or when a reminder was recorded) and its last change + the guild's review period: an edit or
// a reopen counts as a renewal, and changing the period moves every posting not renewed since.
import { reviewDate, renew as renewed, type PostingReview } from '../domain/collaboration.ts';
import type { EntryType, StoredEntry } from '../domain/entry.ts';
import { UserError } from '../domain/errors.ts';
import { auditRow, type Actor, type GuildDirectory } from '../store/directory.ts';
import { reviewDays } from '../office/settings.ts';

interface Row { review_by: string; reminded: string }

async function rows(g: GuildDirectory, type: EntryType, ids?: readonly string[]): Promise<Map<string, Row>> {
  let q = g.store.db.selectFrom('posting_review').select(['entry_id', 'review_by', 'reminded']).where('guild_id', '=', g.guildId).where('type', '=', type);
  if (ids) {
    if (ids.length === 0) return new Map();
    q = q.where('entry_id', 'in', [...ids]);
  }
  return new Map((await q.execute()).map((r) => [r.entry_id, r]));
}

/** The review an entry is under, from its stored row (if any) and the period. */
export function effectiveReview(entry: Pick<StoredEntry, 'updatedAt'>, row: Row | undefined, days: number): PostingReview {
  const fromChange = reviewDate(new Date(entry.updatedAt), days);
  const reviewBy = row && row.review_by > fromChange ? row.review_by : fromChange;
  const reminded = row && row.review_by === reviewBy ? (JSON.parse(row.reminded) as number[]) : [];
  return { reviewBy, reminded };
}

export async function reviewOf(g: GuildDirectory, type: EntryType, entry: StoredEntry): Promise<PostingReview> {
  return effectiveReview(entry, (await rows(g, type, [entry.id])).get(entry.id), await reviewDays(g));
}

/** Every open posting of a type with its review. */
export async function openReviews(g: GuildDirectory, type: EntryType): Promise<{ entry: StoredEntry; review: PostingReview }[]> {
  const days = await reviewDays(g);
  const stored = await rows(g, type);
  return (await g.list(type, { status: 'open' })).map((entry) => ({ entry, review: effectiveReview(entry, stored.get(entry.id), days) }));
}

/** A fresh review period from today, audited. Only open postings are renewed (reopen a closed one). */
export async function renewPosting(g: GuildDirectory, type: EntryType, id: string, actor: Actor, now: Date): Promise<PostingReview> {
  const entry = await g.require(type, id);
  if (entry.status !== 'open') throw new UserError('renew.notOpen', { id });
  const before = await reviewOf(g, type, entry);
  const after = renewed(now, await reviewDays(g));
  await g.store.tx(async (t) => {
    await t.insertInto('posting_review').values({ guild_id: g.guildId, type, entry_id: id, review_by: after.reviewBy, reminded: '[]' })
      .onConflict((oc) => oc.columns(['guild_id', 'type', 'entry_id']).doUpdateSet({ review_by: after.reviewBy, reminded: '[]' })).execute();
    await t.insertInto('audit').values(auditRow(g.guildId, now.toISOString(), actor, 'renew', {
      type, id, changes: { reviewBy: [before.reviewBy, after.reviewBy] },
    })).execute();
  });
  return after;
}

/**
 * Records that the `days`-before reminder was sent. Compare-and-set on the stored row, so of several
 * workers sweeping at once exactly one sends it.
 */
export async function claimReminder(g: GuildDirectory, type: EntryType, id: string, review: PostingReview, days: number): Promise<boolean> {
  const reminded = JSON.stringify([...review.reminded, days]);
  const ins = await g.store.db.insertInto('posting_review').values({ guild_id: g.guildId, type, entry_id: id, review_by: review.reviewBy, reminded })
    .onConflict((oc) => oc.columns(['guild_id', 'type', 'entry_id']).doNothing()).executeTakeFirst();
  if (Number(ins.numInsertedOrUpdatedRows ?? 0n) > 0) return true;
  // The row is as this review was computed from: the same date and reminders, or an older date whose reminders no longer apply.
  const r = await g.store.db.updateTable('posting_review').set({ review_by: review.reviewBy, reminded })
    .where('guild_id', '=', g.guildId).where('type', '=', type).where('entry_id', '=', id)
    .where((eb) => eb.or([
      eb.and([eb('review_by', '=', review.reviewBy), eb('reminded', '=', JSON.stringify(review.reminded))]),
      eb('review_by', '<', review.reviewBy),
    ])).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

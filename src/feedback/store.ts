// 👍 / 👎 on suggested pairs in the store (one row per member and pair, the latest vote wins; one
// transaction with its audit row), and the re-ranking model learned from them and from declined
// introductions.
import { Feedback, FEEDBACK_REASONS, type FeedbackReason } from '../domain/collaboration.ts';
import type { EntryType } from '../domain/entry.ts';
import type { SectorId } from '../domain/sectors.ts';
import { People } from '../intro/records.ts';
import type { Ranker } from '../match/types.ts';
import { auditRow, type Actor, type GuildDirectory } from '../store/directory.ts';
import { DEFAULT_MIN_SCORE } from '../match/score.ts';
import type { Suggestion } from '../match/types.ts';
import { featuresOf, learn, rerank, type FeedbackModel, type FeedbackRow, type SectorsOf } from './rerank.ts';

export interface PairVote { needId: string; capabilityId: string; vote: 'up' | 'down'; reason?: FeedbackReason }

/** Records one member's vote on a pair (need → capability), replacing their earlier one; `features`: its evidence now. */
export async function recordFeedback(g: GuildDirectory, v: PairVote, actor: Actor, now: Date, features: readonly string[] = []): Promise<Feedback> {
  const f = Feedback.parse({
    entryId: v.needId, partnerId: v.capabilityId, vote: v.vote, ...(v.reason ? { reason: v.reason } : {}),
    by: actor.id, at: now.toISOString(), source: 'suggestion',
  });
  await g.store.tx(async (t) => {
    const row = { guild_id: g.guildId, entry_type: 'need' as const, entry_id: f.entryId, partner_id: f.partnerId, by_user: f.by, vote: f.vote, reason: f.reason ?? null, note: null, at: f.at, source: f.source, features: JSON.stringify(features) };
    await t.insertInto('feedback').values(row)
      .onConflict((oc) => oc.columns(['guild_id', 'entry_type', 'entry_id', 'partner_id', 'by_user']).doUpdateSet({ vote: row.vote, reason: row.reason, at: row.at, source: row.source, features: row.features }))
      .execute();
    await t.insertInto('audit').values(auditRow(g.guildId, f.at, actor, 'feedback', {
      type: 'need', id: f.entryId, summary: `${f.entryId} → ${f.partnerId}: ${f.vote}${f.reason ? ` (${f.reason})` : ''}`,
    })).execute();
  });
  return f;
}

/** Every vote of the guild, and every declined introduction (with its reason, else "other"), as rows. */
export async function feedbackRows(g: GuildDirectory): Promise<FeedbackRow[]> {
  const rows = await g.store.db.selectFrom('feedback').selectAll().where('guild_id', '=', g.guildId).execute();
  const out: FeedbackRow[] = rows.map((r) => ({
    entryType: r.entry_type, entryId: r.entry_id, partnerId: r.partner_id, vote: r.vote,
    ...(r.reason && (FEEDBACK_REASONS as readonly string[]).includes(r.reason) ? { reason: r.reason as FeedbackReason } : {}),
    features: JSON.parse(r.features) as string[],
  }));
  for (const i of await new People(g).intros()) {
    const declined = i.history.find((h) => h.stage === 'declined');
    if (!declined) continue;
    const reason = (FEEDBACK_REASONS as readonly string[]).includes(declined.reason ?? '') ? declined.reason as FeedbackReason : 'other';
    out.push({ entryType: 'need', entryId: i.needId, partnerId: i.capabilityId, vote: 'down', reason });
  }
  return out;
}

/** Sectors of an entry as the engine sees them (its own, else inferred). */
export async function sectorsLookup(g: GuildDirectory, ranker: Ranker): Promise<SectorsOf> {
  const own = new Map<string, readonly SectorId[]>();
  for (const type of ['need', 'capability'] as const) for (const e of await g.list(type, { status: 'all' })) if (e.sectors?.length) own.set(`${type}:${e.id}`, e.sectors);
  return (type: EntryType, id: string) => own.get(`${type}:${id}`) ?? ranker.inferredSectors(type, id);
}

export async function feedbackModel(g: GuildDirectory, sectorsOf: SectorsOf): Promise<FeedbackModel> {
  return learn(await feedbackRows(g), sectorsOf);
}

/** The evidence the engine suggests a pair on right now (empty when it does not suggest it at all). */
export function pairFeatures(ranker: Ranker, needId: string, capabilityId: string): string[] {
  const s = ranker.matchEntry('need', needId, { top: 50, minScore: 0 }).find((x) => x.id === capabilityId);
  return s ? featuresOf(s) : [];
}

/** Blocked partners beyond `top` that may be needed to fill the list. */
const SPARE = 10;

/**
 * An entry's partners as /match shows them: the engine's ranking, then the guild's feedback — blocked
 * pairs dropped, learned adjustments applied (scores only go down, so the display cut stays exact).
 */
export async function rankWithFeedback(g: GuildDirectory, ranker: Ranker, type: EntryType, id: string, opts: { top: number; sector?: SectorId }): Promise<Suggestion[]> {
  const rows = await feedbackRows(g);
  const raw = ranker.matchEntry(type, id, { top: rows.length ? opts.top + SPARE : opts.top, ...(opts.sector ? { sector: opts.sector } : {}) });
  if (rows.length === 0) return raw;
  const sectorsOf = await sectorsLookup(g, ranker);
  return rerank(learn(rows, sectorsOf), type, id, raw, sectorsOf, DEFAULT_MIN_SCORE).slice(0, opts.top);
}

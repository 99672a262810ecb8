// 👍 / 👎 on suggested pairs in the store (one row per member and pair, the latest vote wins; one
// transaction with its audit row), and the re-ranking model learned from them and from declined
// introductions.
import { Feedback, FEEDBACK_REASONS, type FeedbackReason } from '../domain/collaboration.ts';
import type { EntryType } from '../domain/entry.ts';
import type { SectorId } from '../domain/sectors.ts';
import { People } from '../intro/records.ts';
import type { MatchOptions, Ranker } from '../match/types.ts';
import { auditRow, type Actor, type GuildDirectory } from '../store/directory.ts';
import { DEFAULT_MIN_SCORE } from '../match/score.ts';
import type { Suggestion } from '../match/types.ts';
import { lowestLifted, shapeFromKeys } from './learn.ts';
import { EMPTY_MODEL, learn, ratedKeys, rerank, type FeedbackModel, type FeedbackRow, type SectorsOf, type Source } from './rerank.ts';

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

/** What the learned model depends on: the directory's revision (sectors), the votes, the declined introductions. */
async function fingerprint(g: GuildDirectory): Promise<string> {
  const db = g.store.db;
  const f = await db.selectFrom('feedback').select((e) => [e.fn.countAll<number>().as('n'), e.fn.max('at').as('at')]).where('guild_id', '=', g.guildId).executeTakeFirst();
  const i = await db.selectFrom('introductions').select((e) => [e.fn.countAll<number>().as('n'), e.fn.max('stage_changed_at').as('at')])
    .where('guild_id', '=', g.guildId).where('stage', '=', 'declined').executeTakeFirst();
  return `${g.loadedRev ?? '-'}|${f?.n ?? 0}|${f?.at ?? ''}|${i?.n ?? 0}|${i?.at ?? ''}`;
}

interface Learned { key: string; ranker: Ranker; model: FeedbackModel; sectorsOf: SectorsOf }
const learned = new WeakMap<GuildDirectory, Learned>();

/** The guild's model, learned again only when the feedback or the directory changed (not per query). */
export async function guildModel(g: GuildDirectory, ranker: Ranker): Promise<Learned> {
  const key = await fingerprint(g);
  const hit = learned.get(g);
  if (hit && hit.key === key && hit.ranker === ranker) return hit;
  const rows = withShapes(await feedbackRows(g), ranker);
  const sectorsOf = await sectorsLookup(g, ranker);
  const out = { key, ranker, model: rows.length ? learn(rows, sectorsOf) : EMPTY_MODEL, sectorsOf };
  learned.set(g, out);
  return out;
}

/**
 * Declined introductions (and votes stored before shapes were kept) carry no evidence: the pair's evidence
 * now stands in for it, one ranking per entry.
 */
function withShapes(rows: FeedbackRow[], ranker: Ranker): FeedbackRow[] {
  const lists = new Map<string, Map<string, string[]>>();
  return rows.map((r) => {
    if (r.entryType !== 'need' || shapeFromKeys(r.features ?? [])) return r;
    let list = lists.get(r.entryId);
    if (!list) lists.set(r.entryId, (list = new Map(ranker.matchEntry('need', r.entryId, { top: 50, minScore: 0 }).map((x) => [x.id, ratedKeys(x)]))));
    const features = list.get(r.partnerId);
    return features ? { ...r, features } : r;
  });
}

/** The evidence the engine suggests a pair on right now (empty when it does not suggest it at all). */
export function pairFeatures(ranker: Ranker, needId: string, capabilityId: string): string[] {
  const s = ranker.matchEntry('need', needId, { top: 50, minScore: 0 }).find((x) => x.id === capabilityId);
  return s ? ratedKeys(s) : [];
}

/** Partners beyond `top` that may be needed to fill the list once blocked ones are dropped or others lifted. */
const SPARE = 10;

/** `minScore`: the display cut (default: the engine's own). */
interface ListOptions { top: number; minScore?: number; sector?: SectorId }

/**
 * A ranked list as the guild sees it: the engine's ranking, then the guild's feedback — blocked pairs dropped
 * (for an entry), each score moved by what was learned, re-sorted, cut at `minScore`. The engine is asked
 * for everything that feedback could lift above the cut, so the cut stays exact.
 */
async function withFeedback(g: GuildDirectory, ranker: Ranker, source: Source, rank: (o: MatchOptions) => Suggestion[], opts: ListOptions): Promise<Suggestion[]> {
  // Without feedback, exactly the engine's call.
  const base: MatchOptions = { top: opts.top, ...(opts.minScore !== undefined ? { minScore: opts.minScore } : {}), ...(opts.sector ? { sector: opts.sector } : {}) };
  const { model, sectorsOf } = await guildModel(g, ranker);
  if (model.size === 0) return rank(base);
  const cut = opts.minScore ?? DEFAULT_MIN_SCORE;
  const raw = rank({ ...base, top: opts.top + SPARE, minScore: lowestLifted(cut) });
  return rerank(model, source, raw, sectorsOf, cut).slice(0, opts.top);
}

/** An entry's partners as /match and watches show them. */
export function rankWithFeedback(g: GuildDirectory, ranker: Ranker, type: EntryType, id: string, opts: ListOptions): Promise<Suggestion[]> {
  return withFeedback(g, ranker, { type, id }, (o) => ranker.matchEntry(type, id, o), opts);
}

/** Free text ranked as /match text and /search show it: what generalises applies (no pair blocks). */
export function searchWithFeedback(g: GuildDirectory, ranker: Ranker, query: string, types: readonly EntryType[], opts: ListOptions): Promise<Suggestion[]> {
  return withFeedback(g, ranker, { type: 'text' }, (o) => ranker.search(query, types, o), opts);
}

// Ranked suggestions as a paged embed. Page state is in the button's custom_id; a free-text
// query is carried in the embed's author line, so pages can be recomputed after a restart.
import type { APIEmbed, APIMessageComponentInteraction } from 'discord-api-types/v10';
import type { EntryType } from '../domain/entry.ts';
import { UserError } from '../domain/errors.ts';
import { isSectorId, type SectorId } from '../domain/sectors.ts';
import type { Ctx } from '../interactions/command.ts';
import { message, row, select, update, type Reply } from '../interactions/reply.ts';
import { entryRef } from './entry-view.ts';
import { truncate } from '../interactions/text.ts';
import { DEFAULT_MIN_SCORE, SEARCH_MIN_SCORE } from '../match/score.ts';
import { OTHER, type Suggestion } from '../match/types.ts';
import { COLORS, reasonText, suggestionField, typeLabel } from './format.ts';
import { pageButtons, slicePage } from './pages.ts';
import { pairSelectRow } from './pair-actions.ts';
import { rankWithFeedback, searchWithFeedback } from '../feedback/store.ts';
import { checkQuery } from './query.ts';

export const MATCH_PAGE = 5;
export const SEARCH_PAGE = 8;
const QUERY_MARK = '🔎 ';

/** What is being matched: an entry of the directory, or typed text over some types. */
export type Target =
  | { mode: EntryType; id: string }
  | { mode: 'text'; query: string; types: EntryType[] };

export interface View { owner: string; page: number; sector: string; top: number }

const TYPE_CODE: Record<string, EntryType[]> = { n: ['need'], c: ['capability'], a: ['need', 'capability'] };
const codeOf = (types: EntryType[]) => (types.length === 2 ? 'a' : types[0] === 'need' ? 'n' : 'c');

async function rank(ctx: Ctx, target: Target, sector: SectorId | undefined, top: number): Promise<{ title: string; items: Suggestion[]; color: number }> {
  const ranker = await ctx.services.matcher.forGuild(ctx.dir);
  if (target.mode === 'text') {
    const items = await searchWithFeedback(ctx.dir, ranker, target.query, target.types, { top, ...(sector ? { sector } : {}) });
    return { title: ctx.t('match.title.text', { query: truncate(target.query, 80) }), items, color: COLORS.info };
  }
  const entry = await ctx.dir.require(target.mode, target.id);
  // Feedback: blocked pairs dropped, what was learned applied (free text: what generalises).
  const items = await rankWithFeedback(ctx.dir, ranker, target.mode, target.id, { top, ...(sector ? { sector } : {}) });
  return {
    title: ctx.t(target.mode === 'need' ? 'match.title.need' : 'match.title.capability', { id: entry.id, title: entry.title }),
    items,
    color: COLORS[OTHER[target.mode]],
  };
}

/** /match replies: cards with score and reasons, five to a page. */
export async function matchReply(ctx: Ctx, target: Target, view: View, asUpdate: boolean): Promise<Reply> {
  const sector = view.sector !== '-' && isSectorId(view.sector) ? view.sector : undefined;
  const { title, items, color } = await rank(ctx, target, sector, view.top);
  const slice = slicePage(items, view.page, MATCH_PAGE);
  const offset = (slice.page - 1) * MATCH_PAGE;
  const embed: APIEmbed = {
    title,
    color,
    ...(target.mode === 'text' ? { author: { name: QUERY_MARK + target.query } } : {}),
    description: items.length ? undefined : ctx.t('match.none', { min: DEFAULT_MIN_SCORE }),
    fields: slice.items.map((s, i) => ({
      ...suggestionField(offset + i + 1, s, ctx.locale, ctx.t),
      name: truncate(`${offset + i + 1}. ${typeLabel(s.type, ctx.t)} ${s.id} · ${s.record.title} — ${s.score.toFixed(2)}`, 256),
    })),
    footer: { text: pageFooter(ctx, slice.page, slice.pages, items.length) },
  };
  const state = target.mode === 'text' ? ['t', codeOf(target.types), view.sector, String(view.top)] : [target.mode === 'need' ? 'n' : 'c', target.id, view.sector, String(view.top)];
  const source = target.mode === 'text' ? undefined : { type: target.mode, id: target.id };
  const spec = {
    embeds: [embed],
    components: [...openRow('match', slice.items, offset, ctx), ...pairSelectRow(ctx, source, slice.items, offset), ...pageButtons('match', view.owner, slice.page, slice.pages, state, ctx.t)],
  };
  return asUpdate ? update(spec) : message(spec);
}

/** /search replies: a compact list, eight to a page. */
export async function searchReply(ctx: Ctx, query: string, types: EntryType[], view: View, asUpdate: boolean): Promise<Reply> {
  const sector = view.sector !== '-' && isSectorId(view.sector) ? view.sector : undefined;
  const ranker = await ctx.services.matcher.forGuild(ctx.dir);
  const items = await searchWithFeedback(ctx.dir, ranker, query, types, { top: view.top, ...(sector ? { sector } : {}), minScore: SEARCH_MIN_SCORE });
  const slice = slicePage(items, view.page, SEARCH_PAGE);
  const offset = (slice.page - 1) * SEARCH_PAGE;
  const lines = slice.items.map((s, i) => {
    const zh = ctx.locale === 'zh-CN';
    const why = s.reasons.slice(0, 2).map((r) => reasonText(r, ctx.locale, ctx.t)).join(zh ? '；' : '; ');
    const score = zh ? `（${s.score.toFixed(2)}）` : ` (${s.score.toFixed(2)})`;
    return `${offset + i + 1}. ${typeLabel(s.type, ctx.t)} **${s.id}** · ${s.record.title} — ${s.record.org}${score}${why ? `\n　${why}` : ''}`;
  });
  const embed: APIEmbed = {
    title: ctx.t('search.title', { query: truncate(query, 80) }),
    author: { name: QUERY_MARK + query },
    color: COLORS.info,
    description: lines.length ? lines.join('\n') : ctx.t('search.none', { query: truncate(query, 80) }),
    footer: { text: pageFooter(ctx, slice.page, slice.pages, items.length) },
  };
  const spec = { embeds: [embed], components: [...openRow('search', slice.items, offset, ctx), ...pageButtons('search', view.owner, slice.page, slice.pages, [codeOf(types), view.sector, String(view.top)], ctx.t)] };
  return asUpdate ? update(spec) : message(spec);
}

/** The page line, and a word when the guild's index is still taking in an import. */
function pageFooter(ctx: Ctx, page: number, pages: number, total: number): string {
  const text = ctx.t('label.page', { page, pages, count: total });
  const count = ctx.services.matcher.updating(ctx.dir.guildId);
  return count ? `${text} · ${ctx.t('label.indexUpdating', { count })}` : text;
}

/** A select menu to open any result of the page as a card (anyone may use it). */
function openRow(command: string, items: readonly Suggestion[], offset: number, ctx: Ctx) {
  if (items.length === 0) return [];
  return [row(select(`${command}:open`, ctx.t('label.openEntry'), items.map((s, i) => ({
    label: `${offset + i + 1}. ${s.id} · ${s.record.title}`,
    value: entryRef(s.type, s.id),
    description: s.record.org,
  }))))];
}

/** The free-text query a results message carries. */
export function queryFromMessage(interaction: Ctx['interaction']): string {
  const msg = (interaction as APIMessageComponentInteraction).message;
  const name = msg?.embeds?.[0]?.author?.name;
  if (!name?.startsWith(QUERY_MARK)) throw new UserError('error.pageExpired');
  return checkQuery(name.slice(QUERY_MARK.length));
}

export function typesOf(code: string | undefined): EntryType[] {
  const t = code ? TYPE_CODE[code] : undefined;
  if (!t) throw new UserError('error.pageExpired');
  return t;
}

export function topOf(value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 25) throw new UserError('error.pageExpired');
  return n;
}

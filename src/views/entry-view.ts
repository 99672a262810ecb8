// One entry as a card, with a "Find partners" button while it is open.
import { ButtonStyle } from 'discord-api-types/v10';
import type { EntryStatus, EntryType, StoredEntry } from '../domain/entry.ts';
import { UserError } from '../domain/errors.ts';
import type { Ctx } from '../interactions/command.ts';
import { DISCORD_LIMITS } from '../interactions/limits.ts';
import { button, choices, message, row, type Reply } from '../interactions/reply.ts';
import { entryEmbed } from './format.ts';
import { maySeeContacts } from '../intro/resolve.ts';
import { reviewOf } from '../freshness/review.ts';

export async function showEntry(ctx: Ctx, type: EntryType, e: StoredEntry, opts: { ephemeral?: boolean } = {}): Promise<Reply> {
  const ranker = await ctx.services.matcher.forGuild(ctx.dir);
  // Contact details only for curators and the entry's own contacts; others get them through an introduction.
  const shown = e.contact && !(await maySeeContacts(ctx, type, e.id)) ? { ...e, contact: undefined } : e;
  const embed = entryEmbed(type, shown, ctx.locale, ctx.t, ranker.inferredSectors(type, e.id), ctx.services.config.TIME_ZONE);
  // An open posting shows the day it is due for review (renew before it, or it closes itself).
  if (e.status === 'open') embed.fields = [...(embed.fields ?? []), { name: ctx.t('label.reviewBy'), value: (await reviewOf(ctx.dir, type, e)).reviewBy, inline: true }];
  const components = e.status === 'open'
    ? [row(button(`${type}:match:${e.id}`, ctx.t('label.findPartners'), { style: ButtonStyle.Primary }))]
    : [];
  return message({ embeds: [embed], components, ephemeral: opts.ephemeral });
}

/** Autocomplete choices for an entry id: "N-0003 · title — org". */
export async function idChoices(ctx: Ctx, type: EntryType, query: string, status: EntryStatus | 'all'): Promise<Reply> {
  const ranker = await ctx.services.matcher.forGuild(ctx.dir);
  return choices(ranker.complete(type, query, DISCORD_LIMITS.autocompleteChoices, status).map((r) => ({ name: `${r.id} · ${r.title} — ${r.org}`, value: r.id })));
}

/** The value of an "open an entry" select option: "need:N-0001". */
export function entryRef(type: EntryType, id: string): string {
  return `${type}:${id}`;
}

/** Opens the entry a result list's select menu names, for the person who picked it. */
export async function openSelected(ctx: Ctx, values: readonly string[]): Promise<Reply> {
  const [type, ...rest] = (values[0] ?? '').split(':');
  if (type !== 'need' && type !== 'capability') throw new UserError('error.pageExpired');
  return showEntry(ctx, type, await ctx.dir.require(type, rest.join(':')), { ephemeral: true });
}

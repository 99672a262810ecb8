// What a person can do with one suggested pair: a select on match result pages ("Act on a
// suggestion…") opens an ephemeral action card for the pair. The pair travels in custom ids
// (need id, capability id), like the pager's state, so cards keep working after a restart.
// Buttons: [Request introduction] (introductions), then the feedback buttons.
import { ButtonStyle, type APIButtonComponentWithCustomId } from 'discord-api-types/v10';
import type { EntryType } from '../domain/entry.ts';
import { UserError } from '../domain/errors.ts';
import type { Ctx } from '../interactions/command.ts';
import { button, message, row, select, type Reply } from '../interactions/reply.ts';
import type { Suggestion } from '../match/types.ts';
import { COLORS, typeLabel } from './format.ts';
import { feedbackButtons } from '../feedback/views.ts';

/** The select's custom id; routed to /match's component handler. */
export const PAIR_SELECT = 'match:act';

export interface Pair { needId: string; capabilityId: string }

export const pairValue = (p: Pair) => `${p.needId}|${p.capabilityId}`;

export function parsePair(value: string | undefined): Pair {
  const [needId, capabilityId, extra] = (value ?? '').split('|');
  if (!needId || !capabilityId || extra !== undefined) throw new UserError('error.pageExpired');
  return { needId, capabilityId };
}

/** The select row of a match page whose source is an entry (text queries have no pair). */
export function pairSelectRow(ctx: Ctx, source: { type: EntryType; id: string } | undefined, items: readonly Suggestion[], offset: number) {
  if (!source || items.length === 0) return [];
  return [row(select(PAIR_SELECT, ctx.t('pair.placeholder'), items.map((s, i) => ({
    label: `${offset + i + 1}. ${s.id} · ${s.record.title}`,
    value: pairValue(source.type === 'need' ? { needId: source.id, capabilityId: s.id } : { needId: s.id, capabilityId: source.id }),
  }))))];
}

/** The buttons of the action card, in order; each room adds its own here. */
export function pairButtons(ctx: Ctx, p: Pair): APIButtonComponentWithCustomId[] {
  return [
    // introductions
    button(`intro:req:${p.needId}:${p.capabilityId}`, ctx.t('pair.request'), { style: ButtonStyle.Primary }),
    // feedback and report
    ...feedbackButtons(ctx, p),
  ];
}

/** The ephemeral action card for one pair (titles and organisations only: no contact details). */
export async function pairActions(ctx: Ctx, p: Pair): Promise<Reply> {
  const need = await ctx.dir.require('need', p.needId);
  const capability = await ctx.dir.require('capability', p.capabilityId);
  return message({
    embeds: [{
      title: ctx.t('pair.title'),
      color: COLORS.info,
      fields: [
        { name: `${typeLabel('need', ctx.t)} ${need.id}`, value: `${need.title} — ${need.org}` },
        { name: `${typeLabel('capability', ctx.t)} ${capability.id}`, value: `${capability.title} — ${capability.org}` },
      ],
      footer: { text: ctx.t('pair.footer') },
    }],
    components: [row(...pairButtons(ctx, p))],
    ephemeral: true,
  });
}

// 👍 / 👎 on a suggested pair (buttons on the pair's action card, a reason select after 👎), and
// /feedback need|capability id: the votes on one entry. Who may rate or read is checked on every press.
import { ButtonStyle } from 'discord-api-types/v10';
import { BLOCKING_REASONS, FEEDBACK_REASONS, FeedbackReason } from '../domain/collaboration.ts';
import type { EntryType } from '../domain/entry.ts';
import { UserError } from '../domain/errors.ts';
import { formatTime, type MessageKey } from '../i18n/index.ts';
import { People } from '../intro/records.ts';
import type { CommandCtx, ComponentCtx, Ctx } from '../interactions/command.ts';
import { button, choices, message, row, select, update, type Reply } from '../interactions/reply.ts';
import { idChoices } from '../views/entry-view.ts';
import { actorName } from '../views/format.ts';
import { pairFeatures, recordFeedback } from './store.ts';

interface Pair { needId: string; capabilityId: string }

export function feedbackButtons(ctx: Ctx, p: Pair) {
  return [
    button(`feedback:up:${p.needId}:${p.capabilityId}`, ctx.t('feedback.up'), { style: ButtonStyle.Success }),
    button(`feedback:down:${p.needId}:${p.capabilityId}`, ctx.t('feedback.down'), { style: ButtonStyle.Secondary }),
  ];
}

/** Curators, and the people behind either entry (confirmed contacts, or its poster). */
async function mayRate(ctx: Ctx, p: Pair): Promise<boolean> {
  if (await ctx.isCurator()) return true;
  const people = new People(ctx.dir);
  for (const [type, id] of [['need', p.needId], ['capability', p.capabilityId]] as const) {
    if (await people.isContact(type, id, ctx.user.id)) return true;
    if ((await ctx.dir.get(type, id))?.createdBy === ctx.user.id) return true;
  }
  return false;
}

const reasonKey = (r: FeedbackReason) => `feedback.reason.${r}` as MessageKey;

export async function feedbackButton(ctx: ComponentCtx): Promise<Reply> {
  const [action, needId = '', capabilityId = ''] = ctx.args;
  const p = { needId, capabilityId };
  // Both entries must exist (a removed one says so), and the member must be one who may rate.
  const need = await ctx.dir.require('need', needId);
  const capability = await ctx.dir.require('capability', capabilityId);
  if (!(await mayRate(ctx, p))) throw new UserError('feedback.denied');
  const ids = { need: need.id, capability: capability.id };
  const features = async () => pairFeatures(await ctx.services.matcher.forGuild(ctx.dir), need.id, capability.id);
  if (action === 'up') {
    await recordFeedback(ctx.dir, { ...p, vote: 'up' }, ctx.user, new Date(), await features());
    return message({ content: `👍 ${ctx.t('feedback.thanksUp', ids)}`, ephemeral: true });
  }
  if (action === 'down') {
    return message({
      content: ctx.t('feedback.why', ids),
      components: [row(select(`feedback:why:${needId}:${capabilityId}`, ctx.t('feedback.whyPlaceholder'), FEEDBACK_REASONS.map((r) => ({ label: ctx.t(reasonKey(r)), value: r }))))],
      ephemeral: true,
    });
  }
  if (action === 'why') {
    const parsed = FeedbackReason.safeParse(ctx.values[0]);
    if (!parsed.success) throw new UserError('error.pageExpired');
    await recordFeedback(ctx.dir, { ...p, vote: 'down', reason: parsed.data }, ctx.user, new Date(), await features());
    const key = BLOCKING_REASONS.has(parsed.data) ? 'feedback.thanksBlocked' : 'feedback.thanksDown';
    return update({ content: `👎 ${ctx.t(key, { ...ids, reason: ctx.t(reasonKey(parsed.data)) })}`, components: [] });
  }
  throw new UserError('error.pageExpired');
}

/** The votes on one entry's pairs (either side), newest first. */
export async function feedbackList(ctx: CommandCtx, type: EntryType, id: string): Promise<Reply> {
  const people = new People(ctx.dir);
  const entry = await ctx.dir.require(type, id);
  if (!(await ctx.isCurator()) && !(await people.isContact(type, id, ctx.user.id)) && entry.createdBy !== ctx.user.id) throw new UserError('feedback.denied');
  const column = type === 'need' ? 'entry_id' : 'partner_id';
  const rows = await ctx.dir.store.db.selectFrom('feedback').selectAll().where('guild_id', '=', ctx.guildId).where(column, '=', id).orderBy('at', 'desc').limit(25).execute();
  if (rows.length === 0) return message({ content: ctx.t('feedback.none', { id }), ephemeral: true });
  const zone = ctx.services.config.TIME_ZONE;
  const lines = rows.map((r) => {
    const other = type === 'need' ? r.partner_id : r.entry_id;
    const why = r.reason && (FEEDBACK_REASONS as readonly string[]).includes(r.reason) ? ` — ${ctx.t(reasonKey(r.reason as FeedbackReason))}` : '';
    return `${r.vote === 'up' ? '👍' : '👎'} ${other}${why} · ${actorName(r.by_user, undefined, ctx.t)} · ${formatTime(r.at, ctx.locale, zone)}`;
  });
  return message({ content: `${ctx.t('feedback.list', { id })}\n${lines.join('\n')}`, ephemeral: true });
}

export async function autocomplete(ctx: CommandCtx): Promise<Reply> {
  const focused = ctx.options.focused();
  if (!focused) return choices([]);
  return idChoices(ctx, ctx.options.subcommand === 'capability' ? 'capability' : 'need', focused.value, 'all');
}

// The curator queue: members submit drafts; curators approve (→ the directory, the submitter becomes
// the entry's contact), edit or reject them; the submitter is told by DM (office-channel ping if closed).
import type { Ctx, ModalCtx } from '../interactions/command.ts';
import { message, modal, update, type Reply } from '../interactions/reply.ts';
import { entryModal, formFields, validFields } from '../views/entry-command.ts';
import { People, submissionId, type Submission } from './records.ts';
import { reviewButtons, submissionEmbed } from './views.ts';
import { outMessage, type Told } from '../office/outbox.ts';
import type { MessageKey } from '../i18n/index.ts';

const people = (ctx: Ctx) => new People(ctx.dir);

/** The answer to a submission; curators hear of it in the office channel (no ping). */
export async function submitted(ctx: Ctx, s: Submission): Promise<Reply> {
  const office = (await ctx.dir.getConfig()).officeChannel;
  if (office && ctx.services.intros.enabled) {
    await ctx.services.intros.post(ctx.dir, office, outMessage({ content: `📥 ${ctx.t('review.newInQueue', { id: s.id, title: s.fields.title })}` }));
  }
  return message({ content: `✅ ${ctx.t('submit.done', { id: s.id, title: s.fields.title })}`, ephemeral: true });
}

/** A member's own submissions (never anyone else's). */
export async function mySubmissions(ctx: Ctx): Promise<Reply> {
  const list = await people(ctx).submissions({ by: ctx.user.id });
  const lines = list.map((s) => `**${s.id}** · ${s.fields.title} — ${ctx.t(`review.status.${s.status}` as MessageKey)}${s.entryId ? ` → ${s.entryId}` : ''}${s.reason ? ` (${s.reason})` : ''}`);
  return message({ content: `**${ctx.t('submit.mineTitle')}**\n${lines.join('\n') || ctx.t('submit.none')}`, ephemeral: true });
}

/** The oldest pending submission (or the one named), with approve / edit / reject. */
export async function reviewQueue(ctx: Ctx, seq: number | undefined, asUpdate: boolean, note?: string): Promise<Reply> {
  const p = people(ctx);
  const pending = await p.submissions({ status: 'pending' });
  const s = seq === undefined ? pending[0] : await p.submission(seq);
  const head = note ? `${note}\n` : '';
  if (seq !== undefined && !s) return message({ content: `⚠️ ${ctx.t('error.submissionNotFound', { id: submissionId(seq) })}`, ephemeral: true });
  if (!s) {
    const spec = { content: `${head}${ctx.t('review.empty')}`, embeds: [], components: [] };
    return asUpdate ? update(spec) : message({ ...spec, ephemeral: true });
  }
  const others = pending.filter((x) => x.seq !== s.seq).length;
  const embed = submissionEmbed(ctx.t, ctx.locale, s, ctx.services.config.TIME_ZONE);
  const spec = {
    content: `${head}${ctx.t('review.waiting', { count: others })}`,
    embeds: [embed],
    components: s.status === 'pending' ? reviewButtons(ctx.t, s.seq) : [],
  };
  return asUpdate ? update(spec) : message({ ...spec, ephemeral: true });
}

function toldText(ctx: Ctx, told: Told): string {
  return ctx.t(`told.${told}` as MessageKey);
}

export async function approve(ctx: Ctx, seq: number): Promise<Reply> {
  const { submission, entry } = await people(ctx).approve(seq, ctx.user);
  const told = await ctx.services.intros.toldSubmitter(ctx.dir, submission);
  return reviewQueue(ctx, undefined, true, `✅ ${ctx.t('review.approved', { id: submission.id, entry: entry.id, title: entry.title })} ${toldText(ctx, told)}`);
}

export async function editForm(ctx: Ctx, seq: number): Promise<Reply> {
  const s = await people(ctx).submission(seq);
  if (!s) return message({ content: `⚠️ ${ctx.t('error.submissionNotFound', { id: submissionId(seq) })}`, ephemeral: true });
  return entryModal(ctx, s.type, `review:save:${seq}`, ctx.t('review.editTitle', { id: s.id }), s.fields);
}

export async function saveEdit(ctx: ModalCtx, seq: number): Promise<Reply> {
  const p = people(ctx);
  const s = await p.submission(seq);
  if (!s) return message({ content: `⚠️ ${ctx.t('error.submissionNotFound', { id: submissionId(seq) })}`, ephemeral: true });
  const fields = validFields(ctx, s.type, { ...s.fields, ...formFields(ctx.fields) });
  await p.editSubmission(seq, fields, ctx.user);
  return reviewQueue(ctx, seq, false, `✏️ ${ctx.t('review.edited', { id: s.id })}`);
}

export function rejectForm(ctx: Ctx, seq: number): Reply {
  return modal(`review:reason:${seq}`, ctx.t('review.rejectTitle', { id: submissionId(seq) }), [
    { id: 'reason', label: ctx.t('review.reason'), paragraph: true, required: false, maxLength: 500, placeholder: ctx.t('review.reasonPlaceholder') },
  ]);
}

export async function reject(ctx: Ctx, seq: number, reason: string | undefined): Promise<Reply> {
  const s = await people(ctx).reject(seq, ctx.user, reason);
  const told = await ctx.services.intros.toldSubmitter(ctx.dir, s);
  return reviewQueue(ctx, undefined, false, `🚫 ${ctx.t('review.rejected', { id: s.id, title: s.fields.title })} ${toldText(ctx, told)}`);
}

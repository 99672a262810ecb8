// How contacts, submissions and introductions look in replies, DMs and threads.
import { ButtonStyle, type APIEmbed } from 'discord-api-types/v10';
import { CLOSE_REASONS, FEEDBACK_REASONS, nextStages, type IntroStage } from '../domain/collaboration.ts';
import type { EntryType, StoredEntry } from '../domain/entry.ts';
import { formatTime, translate, type Locale, type MessageKey, type Vars } from '../i18n/index.ts';
import type { Ctx } from '../interactions/command.ts';
import { button, row, select } from '../interactions/reply.ts';
import { truncate } from '../interactions/text.ts';
import { COLORS, sectorList, typeLabel } from '../views/format.ts';
import type { Contact, IntroRecord, Submission } from './records.ts';

type T = (key: MessageKey, vars?: Vars) => string;

/** "N-0001 · <@user> (claim waiting for a curator)". */
export function contactLines(ctx: Pick<Ctx, 't'>, list: readonly Contact[], withEntry: boolean): string[] {
  return list.map((c) => {
    const head = withEntry ? `${c.entryId} · ` : '';
    return `${head}<@${c.userId}>${c.confirmedBy ? '' : ` — ${ctx.t('contact.unconfirmed')}`}`;
  });
}

export const stageName = (t: T, s: IntroStage) => t(`stage.${s}` as MessageKey);

/** A submission as the review queue shows it, with approve / edit / reject. */
export function submissionEmbed(t: T, locale: Locale, s: Submission, timeZone: string): APIEmbed {
  const f = s.fields;
  return {
    title: truncate(`${s.id} · ${typeLabel(s.type, t)} · ${f.title}`, 256),
    description: f.description,
    color: COLORS[s.type],
    fields: [
      { name: t('label.org'), value: f.org, inline: true },
      { name: t('review.by'), value: `<@${s.submittedBy}>`, inline: true },
      { name: t('label.status'), value: t(`review.status.${s.status}` as MessageKey), inline: true },
      { name: t('label.sectors'), value: sectorList(f.sectors, locale, t) },
      ...(f.keywords?.length ? [{ name: t('label.keywords'), value: f.keywords.join(', ') }] : []),
      ...(f.region ? [{ name: t('label.region'), value: f.region, inline: true }] : []),
      ...(f.contact ? [{ name: t('label.contact'), value: f.contact, inline: true }] : []),
      ...(s.reason ? [{ name: t('review.reason'), value: s.reason }] : []),
    ],
    footer: { text: formatTime(s.createdAt, locale, timeZone) },
  };
}

export function reviewButtons(t: T, seq: number) {
  return [row(
    button(`review:ok:${seq}`, t('review.approve'), { style: ButtonStyle.Success }),
    button(`review:edit:${seq}`, t('review.edit'), { style: ButtonStyle.Secondary }),
    button(`review:no:${seq}`, t('review.reject'), { style: ButtonStyle.Danger }),
  )];
}

/** Titles and organisations of both entries (no contact details: those come after consent). */
export function pairFields(t: T, need: StoredEntry, capability: StoredEntry) {
  return [
    { name: `${typeLabel('need', t)} ${need.id}`, value: truncate(`${need.title} — ${need.org}`, 1024) },
    { name: `${typeLabel('capability', t)} ${capability.id}`, value: truncate(`${capability.title} — ${capability.org}`, 1024) },
  ];
}

/** The ask to the other side, in a DM or an ephemeral reply: Accept / Decline. */
export function promptSpec(t: T, guildId: string, intro: IntroRecord, need: StoredEntry, capability: StoredEntry, why: string, from: EntryType) {
  const asker = from === 'need' ? need : capability;
  return {
    embeds: [{
      title: t('intro.promptTitle', { id: intro.id }),
      description: t('intro.promptBody', { org: asker.org, id: asker.id }),
      color: COLORS.info,
      fields: [...pairFields(t, need, capability), { name: t('intro.why'), value: truncate(why || '—', 1024) }],
      footer: { text: t('pair.footer') },
    }],
    components: [answerRow(t, guildId, intro)],
  };
}

export function answerRow(t: T, guildId: string, intro: IntroRecord) {
  return row(
    button(`intro:yes:${guildId}:${intro.seq}`, t('intro.accept', { id: intro.id }), { style: ButtonStyle.Success }),
    button(`intro:no:${guildId}:${intro.seq}`, t('intro.decline', { id: intro.id }), { style: ButtonStyle.Danger }),
  );
}

export function declineReasonRow(t: T, guildId: string, seq: number) {
  return row(select(`intro:why:${guildId}:${seq}`, t('intro.declineReason'), [
    { label: t('intro.noReason'), value: '-' },
    ...FEEDBACK_REASONS.map((r) => ({ label: t(`intro.reason.${r}` as MessageKey), value: r })),
  ]));
}

export function closeReasonRow(t: T, seq: number) {
  return row(select(`intro:close:${seq}`, t('intro.closeReason'), CLOSE_REASONS.map((r) => ({ label: t(`intro.close.${r}` as MessageKey), value: r }))));
}

/** Stage buttons for the moves open from the current stage (none once declined or closed). */
export function stageRows(t: T, intro: Pick<IntroRecord, 'seq' | 'stage'>) {
  const next = nextStages(intro.stage);
  if (next.length === 0) return [];
  return [row(...next.map((s) => button(`intro:stage:${intro.seq}:${s}`, stageName(t, s), { style: s === 'closed' ? ButtonStyle.Danger : ButtonStyle.Primary })))];
}

/** The brief posted in the private thread once both sides agreed: now with contact details. */
export function briefSpec(t: T, intro: IntroRecord, need: StoredEntry, capability: StoredEntry, why: string, contacts: { need: string[]; capability: string[] }, broker: string | undefined) {
  const side = (e: StoredEntry, users: string[]) => truncate([
    `**${e.title}** — ${e.org}`,
    truncate(e.description, 500),
    `${t('intro.contacts')}: ${users.map((u) => `<@${u}>`).join(' ') || '—'}${e.contact ? ` · ${e.contact}` : ''}`,
  ].join('\n'), 1024);
  const users = [...contacts.need, ...contacts.capability];
  return {
    content: `${broker ? `<@&${broker}> ` : ''}${users.map((u) => `<@${u}>`).join(' ')} ${t('intro.briefHello', { id: intro.id })}`,
    embeds: [{
      title: t('intro.briefTitle', { id: intro.id }),
      color: COLORS.info,
      fields: [
        { name: `${typeLabel('need', t)} ${need.id}`, value: side(need, contacts.need) },
        { name: `${typeLabel('capability', t)} ${capability.id}`, value: side(capability, contacts.capability) },
        { name: t('intro.why'), value: truncate(why || '—', 1024) },
        { name: t('intro.confidentialTitle'), value: t('intro.confidential') },
      ],
      footer: { text: t('intro.stageFooter', { stage: stageName(t, intro.stage) }) },
    }],
    components: stageRows(t, intro),
    users,
    roles: broker ? [broker] : [],
  };
}

/** One line per introduction for /intro list. */
export function introLine(t: T, locale: Locale, i: IntroRecord, timeZone: string, showThread: boolean): string {
  const since = formatTime(i.stageChangedAt, locale, timeZone);
  return `**${i.id}** · ${i.needId} ↔ ${i.capabilityId} · ${stageName(t, i.stage)} · ${t('intro.since', { at: since })}${showThread && i.threadId ? ` · <#${i.threadId}>` : ''}`;
}

/** A system message without a reader (reminders): both languages, Chinese first. */
export function bilingual(key: MessageKey, vars: Vars = {}): string {
  return `${translate('zh-CN', key, vars)}\n${translate('en-US', key, vars)}`;
}

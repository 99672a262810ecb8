// Introductions with consent: request → the other side's contacts are asked (DM, or a ping in the office
// channel when their DMs are closed) → accept opens a private thread with both contacts and the brokers →
// stages → agreement. Also tells submitters how their submission was decided, and reminds idle stages.
import { EntryStatus, type EntryType, type StoredEntry } from '../domain/entry.ts';
import { UserError } from '../domain/errors.ts';
import type { IntroStage } from '../domain/collaboration.ts';
import { localeOf, translate, type Locale, type MessageKey, type Vars } from '../i18n/index.ts';
import type { Ctx } from '../interactions/command.ts';
import { button, message, row, update, type Reply } from '../interactions/reply.ts';
import type { Logger } from '../log.ts';
import type { MatchService } from '../match/service.ts';
import type { Directory, GuildDirectory } from '../store/directory.ts';
import { reasonText } from '../views/format.ts';
import type { Pair } from '../views/pair-actions.ts';
import { officeAccess, type OfficeAccess } from '../office/permissions.ts';
import { Messenger, outMessage, type OutMessage, type Outbox, type TellOptions, type Told } from '../office/outbox.ts';
import { claimReminder, idleIntroductions, IDLE_DAYS, People, type IntroRecord, type Submission } from './records.ts';
import {
  answerRow, bilingual, briefSpec, closeReasonRow, declineReasonRow, introLine, promptSpec, stageName, stageRows,
} from './views.ts';

const HOUR = 3_600_000;
const PENDING_SHOWN = 4;

type T = (key: MessageKey, vars?: Vars) => string;
const tr = (locale: Locale): T => (k, v) => translate(locale, k, v);

export type { Told };

export class Introductions {
  private outbox: Outbox | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly directory: Directory,
    private readonly matcher: MatchService,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
    private readonly messenger: Messenger = new Messenger(log, now),
  ) {}

  /** Each transport gives its way to DM and post; the reminder sweep runs while there is one. */
  setOutbox(outbox: Outbox | undefined, opts: { sweepMs?: number } = {}): void {
    this.outbox = outbox;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const every = opts.sweepMs ?? HOUR;
    if (outbox && every > 0) {
      this.timer = setInterval(() => void this.sweep().catch((err: unknown) => this.log.error('introduction reminders failed', { err })), every).unref();
    }
  }

  get enabled(): boolean {
    return this.outbox !== undefined;
  }

  /** What the bot and the broker role lack in a channel, as far as the transport can tell. */
  officeAccess(guildId: string, channelId: string, roleId?: string): Promise<OfficeAccess> {
    return officeAccess(this.outbox, guildId, channelId, roleId);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private box(): Outbox {
    if (!this.outbox) throw new UserError('error.introUnavailable');
    return this.outbox;
  }

  /** Posts in a channel; failures are logged, not thrown (the action that prompted it is done). */
  async post(dir: GuildDirectory, channel: string, body: OutMessage): Promise<boolean> {
    if (!this.outbox) return false;
    try {
      await this.outbox.post(channel, body);
      return true;
    } catch (err) {
      this.log.warn('channel post failed', { err, guild: dir.guildId, channel });
      return false;
    }
  }

  /** Tells a member something: DM first; if their DMs are closed, a ping in the office channel (Messenger). */
  tell(dir: GuildDirectory, userId: string, body: OutMessage, opts: TellOptions): Promise<Told> {
    return this.messenger.tell(this.outbox, dir, userId, body, opts);
  }

  /** Why the pair matched, as the reasons the engine gives (empty when the pair is no longer suggested). */
  private async why(dir: GuildDirectory, needId: string, capabilityId: string, locale: Locale): Promise<string> {
    const ranker = await this.matcher.forGuild(dir);
    const s = ranker.matchEntry('need', needId, { top: 50, minScore: 0 }).find((x) => x.id === capabilityId);
    if (!s) return '';
    const t = tr(locale);
    return [`${t('intro.score')}: ${s.score.toFixed(2)}`, ...s.reasons.slice(0, 4).map((r) => `• ${reasonText(r, locale, t)}`)].join('\n');
  }

  /** The side the requester stands behind, and so the side asked to consent. */
  private async sides(p: People, intro: Pick<IntroRecord, 'needId' | 'capabilityId' | 'requestedBy'>): Promise<{ from: EntryType; asked: EntryType; askedId: string }> {
    const fromNeed = await p.isContact('need', intro.needId, intro.requestedBy);
    return fromNeed
      ? { from: 'need', asked: 'capability', askedId: intro.capabilityId }
      : { from: 'capability', asked: 'need', askedId: intro.needId };
  }

  // ------------------------------------------------------------------ request

  async request(ctx: Ctx, pair: Pair): Promise<Reply> {
    this.box();
    const p = new People(ctx.dir);
    const need = await ctx.dir.require('need', pair.needId);
    const capability = await ctx.dir.require('capability', pair.capabilityId);
    for (const e of [need, capability]) if (e.status === 'closed') throw new UserError('error.introClosedEntry', { id: e.id });
    const onNeed = await p.isContact('need', need.id, ctx.user.id);
    const onCapability = await p.isContact('capability', capability.id, ctx.user.id);
    if (!onNeed && !onCapability) throw new UserError('error.introNotContact', { need: need.id, capability: capability.id });
    if (onNeed && onCapability) throw new UserError('error.introBothSides');
    const asked = onNeed ? capability : need;
    const askees = (await p.contacts(onNeed ? 'capability' : 'need', asked.id, { confirmedOnly: true })).map((c) => c.userId);
    if (askees.length === 0) throw new UserError('error.introNoContact', { id: asked.id });
    const intro = await p.request(need.id, capability.id, ctx.user);
    const told = await this.ask(ctx.dir, intro, askees, need, capability, onNeed ? 'need' : 'capability', guildLocale(ctx));
    const lines = [`✅ ${ctx.t('intro.requested', { id: intro.id, other: asked.id })}`];
    if (told.dm) lines.push(ctx.t('intro.askedDm', { count: told.dm }));
    if (told.office) lines.push(ctx.t('intro.askedOffice', { count: told.office }));
    if (told.none) lines.push(`⚠️ ${ctx.t('intro.askedNone', { count: told.none })}`);
    return message({ content: lines.join('\n'), ephemeral: true });
  }

  private async ask(dir: GuildDirectory, intro: IntroRecord, askees: readonly string[], need: StoredEntry, capability: StoredEntry, from: EntryType, locale: Locale) {
    const t = tr(locale);
    const why = await this.why(dir, need.id, capability.id, locale);
    const spec = promptSpec(t, dir.guildId, intro, need, capability, why, from);
    const counts = { dm: 0, office: 0, none: 0 };
    for (const user of askees) {
      const fallback = outMessage({
        content: `<@${user}> ${t('intro.pendingPing', { id: intro.id })}`,
        components: [row(button('intro:pending', t('intro.openPending')))],
        users: [user],
      });
      counts[await this.tell(dir, user, outMessage(spec), { what: `introduction request ${intro.id}`, fallback })] += 1;
    }
    return counts;
  }

  // ------------------------------------------------------------------ answers

  /** Only a confirmed contact of the asked side (not the requester) answers a request. */
  private async mayAnswer(ctx: Ctx, p: People, intro: IntroRecord): Promise<void> {
    const { asked, askedId } = await this.sides(p, intro);
    if (ctx.user.id === intro.requestedBy || !(await p.isContact(asked, askedId, ctx.user.id))) throw new UserError('error.introNotYours', { id: intro.id });
  }

  async accept(ctx: Ctx, seq: number): Promise<Reply> {
    const box = this.box();
    const p = new People(ctx.dir);
    const intro = await p.requireIntro(seq);
    await this.mayAnswer(ctx, p, intro);
    const config = await ctx.dir.getConfig();
    if (!config.officeChannel) throw new UserError('error.noOffice');
    const need = await ctx.dir.require('need', intro.needId);
    const capability = await ctx.dir.require('capability', intro.capabilityId);
    // Accepted before but the thread failed (permissions since fixed): pressing Accept again opens it.
    const moved = intro.stage === 'accepted' && !intro.threadId ? intro : await p.move(seq, 'accepted', ctx.user);
    const { from } = await this.sides(p, intro);
    const contacts = from === 'need'
      ? { need: [intro.requestedBy], capability: [ctx.user.id] }
      : { need: [ctx.user.id], capability: [intro.requestedBy] };
    const members = [...contacts.need, ...contacts.capability];
    try {
      const threadId = await box.privateThread(config.officeChannel, `${ctx.t('intro.threadName', { id: intro.id })} ${need.title}`.slice(0, 100));
      for (const m of members) await box.addThreadMember(threadId, m);
      await p.setThread(seq, threadId, members, ctx.user);
      const why = await this.why(ctx.dir, need.id, capability.id, ctx.locale);
      await box.post(threadId, outMessage(briefSpec(ctx.t, moved, need, capability, why, contacts, config.brokerRole)));
      return update({ content: `✅ ${ctx.t('intro.accepted', { id: intro.id, thread: `<#${threadId}>` })}`, embeds: [], components: [] });
    } catch (err) {
      this.log.error('introduction thread could not be opened', { err, guild: ctx.guildId, intro: intro.id });
      return update({ content: `⚠️ ${ctx.t('intro.acceptedNoThread', { id: intro.id })}`, embeds: [], components: [] });
    }
  }

  /** Decline asks for an optional reason first (a select); the choice declines. */
  async declineStart(ctx: Ctx, seq: number): Promise<Reply> {
    const p = new People(ctx.dir);
    const intro = await p.requireIntro(seq);
    await this.mayAnswer(ctx, p, intro);
    if (intro.stage !== 'requested') throw new UserError('error.introMoved', { id: intro.id });
    return update({ content: ctx.t('intro.declineAsk', { id: intro.id }), embeds: [], components: [declineReasonRow(ctx.t, ctx.guildId, seq)] });
  }

  async decline(ctx: Ctx, seq: number, reason: string | undefined): Promise<Reply> {
    const p = new People(ctx.dir);
    const intro = await p.requireIntro(seq);
    await this.mayAnswer(ctx, p, intro);
    await p.move(seq, 'declined', ctx.user, reason);
    const locale = ctx.locale;
    const why = reason ? ` (${tr(locale)(`intro.reason.${reason}` as MessageKey)})` : '';
    const told = await this.tell(ctx.dir, intro.requestedBy, outMessage({ content: `${ctx.t('intro.declinedNote', { id: intro.id, need: intro.needId, capability: intro.capabilityId })}${why}` }), { what: `introduction ${intro.id} declined` });
    return update({ content: `${ctx.t('intro.declined', { id: intro.id })} ${ctx.t(`told.${told}` as MessageKey)}`, embeds: [], components: [] });
  }

  /** The "Open my pending introductions" button and /intro pending: the asks waiting for this member. */
  async pending(ctx: Ctx): Promise<Reply> {
    const p = new People(ctx.dir);
    const waiting: IntroRecord[] = [];
    for (const i of await p.introsOf(ctx.user.id)) {
      if (i.stage !== 'requested' || i.requestedBy === ctx.user.id) continue;
      const { asked, askedId } = await this.sides(p, i);
      if (await p.isContact(asked, askedId, ctx.user.id)) waiting.push(i);
    }
    if (waiting.length === 0) return message({ content: ctx.t('intro.noPending'), ephemeral: true });
    const lines: string[] = [];
    for (const i of waiting.slice(0, PENDING_SHOWN)) {
      const need = await ctx.dir.get('need', i.needId);
      const cap = await ctx.dir.get('capability', i.capabilityId);
      lines.push(`**${i.id}** · ${i.needId} ${need?.title ?? ''} ↔ ${i.capabilityId} ${cap?.title ?? ''}`);
    }
    if (waiting.length > PENDING_SHOWN) lines.push(ctx.t('intro.morePending', { count: waiting.length - PENDING_SHOWN }));
    return message({
      content: `**${ctx.t('intro.pendingTitle')}**\n${lines.join('\n')}`,
      components: waiting.slice(0, PENDING_SHOWN).map((i) => answerRow(ctx.t, ctx.guildId, i)),
      ephemeral: true,
    });
  }

  // ------------------------------------------------------------------ stages

  /** Stage buttons in the thread: only the two contacts and curators; closing asks for a reason. */
  async stage(ctx: Ctx, seq: number, to: IntroStage, reason?: string): Promise<Reply> {
    const p = new People(ctx.dir);
    const intro = await p.requireIntro(seq);
    if (!(await p.members(seq)).includes(ctx.user.id) && !(await ctx.isCurator())) throw new UserError('error.introNotYours', { id: intro.id });
    if (to === 'closed' && !reason) {
      return message({ content: ctx.t('intro.closeAsk', { id: intro.id }), components: [closeReasonRow(ctx.t, seq)], ephemeral: true });
    }
    const moved = await p.move(seq, to, ctx.user, reason);
    if (to === 'agreement') await this.markMatched(ctx.dir, moved, ctx.user);
    const why = reason ? ` (${ctx.t(`intro.close.${reason}` as MessageKey)})` : '';
    return message({
      content: `📌 ${ctx.t('intro.moved', { user: `<@${ctx.user.id}>`, id: intro.id, stage: stageName(ctx.t, to) })}${why}`,
      components: stageRows(ctx.t, moved),
    });
  }

  /** Agreement marks both entries `matched` where the directory knows that status. */
  private async markMatched(dir: GuildDirectory, intro: IntroRecord, actor: Ctx['user']): Promise<void> {
    if (!(EntryStatus.options as readonly string[]).includes('matched')) return;
    for (const [type, id] of [['need', intro.needId], ['capability', intro.capabilityId]] as const) {
      await dir.setStatus(type, id, 'matched' as never, actor).catch((err: unknown) => {
        if (!(err instanceof UserError)) throw err;
      });
    }
  }

  async list(ctx: Ctx, all: boolean): Promise<Reply> {
    const p = new People(ctx.dir);
    if (all) await ctx.requireCurator();
    const list = all ? await p.intros() : await p.introsOf(ctx.user.id);
    const zone = ctx.services.config.TIME_ZONE;
    const lines = list.slice(-20).reverse().map((i) => introLine(ctx.t, ctx.locale, i, zone, true));
    const head = ctx.t(all ? 'intro.listAll' : 'intro.listMine', { count: list.length });
    return message({ content: `**${head}**\n${lines.join('\n') || ctx.t('intro.none')}`, ephemeral: true });
  }

  // ------------------------------------------------------------------ submissions

  /** Tells a submitter how their submission was decided, in the language they submitted in. */
  async toldSubmitter(dir: GuildDirectory, s: Submission): Promise<Told> {
    const t = tr(localeOf(s.locale));
    const text = s.status === 'approved'
      ? t('review.toldApproved', { id: s.id, title: s.fields.title, entry: s.entryId ?? '' })
      : t('review.toldRejected', { id: s.id, title: s.fields.title }) + (s.reason ? `\n${t('review.reason')}: ${s.reason}` : '');
    return this.tell(dir, s.submittedBy, outMessage({ content: text }), { what: `submission ${s.id} ${s.status}` });
  }

  // ------------------------------------------------------------------ reminders

  /** One pass: every open stage that sat still IDLE_DAYS gets one reminder (in its thread, or to the asked side). */
  async sweep(now: Date = this.now()): Promise<number> {
    if (!this.outbox) return 0;
    let sent = 0;
    for (const intro of await idleIntroductions(this.directory.store, now)) {
      if (!(await claimReminder(this.directory.store, intro.guildId, intro, now))) continue;
      const dir = this.directory.guild(intro.guildId);
      const p = new People(dir);
      const vars = { id: intro.id, stage: `${translate('zh-CN', `stage.${intro.stage}` as MessageKey)} / ${translate('en-US', `stage.${intro.stage}` as MessageKey)}`, days: IDLE_DAYS };
      try {
        if (intro.threadId) {
          const members = await p.members(intro.seq);
          await this.outbox.post(intro.threadId, outMessage({
            content: `⏰ ${members.map((m) => `<@${m}>`).join(' ')}\n${bilingual('intro.reminder', vars)}`,
            components: stageRows(tr('zh-CN'), intro),
            users: members,
          }));
        } else {
          const { asked, askedId } = await this.sides(p, intro);
          for (const c of await p.contacts(asked, askedId, { confirmedOnly: true })) {
            const text = `⏰ ${bilingual('intro.reminderAsk', vars)}`;
            // In the channel: the same words and a button that answers privately (not Accept / Decline in public).
            const fallback = outMessage({ content: `<@${c.userId}> ${text}`, components: [row(button('intro:pending', `${translate('zh-CN', 'intro.openPending')} · ${translate('en-US', 'intro.openPending')}`))], users: [c.userId] });
            await this.tell(dir, c.userId, outMessage({ content: text, components: [answerRow(tr('zh-CN'), dir.guildId, intro)] }), { what: `introduction reminder ${intro.id}`, fallback });
          }
        }
        sent += 1;
      } catch (err) {
        this.log.warn('introduction reminder failed', { err, guild: intro.guildId, intro: intro.id });
      }
    }
    return sent;
  }
}

/** The server's language (DMs and threads are read by both sides), else the user's. */
function guildLocale(ctx: Ctx): Locale {
  const i = ctx.interaction as { guild_locale?: string; locale?: string };
  return localeOf(i.guild_locale ?? i.locale);
}

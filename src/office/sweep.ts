// The office's periodic work, on an injectable clock: posting reminders (14 and 3 days before the
// review date) and expiry. Every guild the store holds is swept; several workers may sweep at once:
// each reminder and each expiry happens once (compare-and-set, and a status change refused twice).
import { daysLeft, isExpired, reminderDue } from '../domain/collaboration.ts';
import { ENTRY_TYPES } from '../domain/entry.ts';
import { UserError } from '../domain/errors.ts';
import type { Logger } from '../log.ts';
import type { Directory, GuildDirectory } from '../store/directory.ts';
import { claimReminder, openReviews } from '../freshness/review.ts';
import { postingOwners } from '../freshness/owners.ts';
import { reminderMessage } from '../views/review.ts';
import { Messenger, SYSTEM, type Outbox } from './outbox.ts';
import { digestMessage, takeDigests } from '../watch/digest.ts';
import type { MatchService } from '../match/service.ts';
import { localeOf, translate } from '../i18n/index.ts';
import { periodOf, reportFigures, reportFiles } from './report.ts';
import { claimSetting, digestOn, getSetting } from './settings.ts';

export { SYSTEM };

export interface SweepResult { reminded: string[]; expired: string[]; digest?: boolean; watchDigests?: number }

const DAY = 86_400_000;
/** Days between two weekly digests. */
export const DIGEST_DAYS = 7;

export interface SweeperOptions {
  now?: () => Date;
  /** How often the sweep runs (default hourly). */
  intervalMs?: number;
  /** Shared with the other senders, so "no office channel" is warned once a day per person. */
  messenger?: Messenger;
}

export class Sweeper {
  private outbox: Outbox | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  readonly now: () => Date;
  private readonly messenger: Messenger;

  constructor(private readonly directory: Directory, private readonly matcher: MatchService, private readonly log: Logger, private readonly opts: SweeperOptions = {}) {
    this.now = opts.now ?? (() => new Date());
    this.messenger = opts.messenger ?? new Messenger(log, this.now);
  }

  setOutbox(outbox: Outbox | undefined): void {
    this.outbox = outbox;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runAll(), this.opts.intervalMs ?? 3_600_000).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => {});
  }

  /** One pass over every guild in the store; a failing guild is logged and the others go on. */
  async runAll(): Promise<void> {
    if (this.running) return;
    const pass = (async () => {
      const rows = await this.directory.store.db.selectFrom('guilds').select('guild_id').execute();
      for (const { guild_id } of rows) {
        try {
          await this.sweepGuild(this.directory.guild(guild_id));
        } catch (err) {
          this.log.error('sweep failed', { err, guild: guild_id });
        }
      }
    })();
    this.running = pass;
    try {
      await pass;
    } catch (err) {
      this.log.error('sweep failed', { err });
    } finally {
      this.running = undefined;
    }
  }

  /** `at`: sweep as of another moment (the console's `!sweep DAYS` looks ahead). */
  async sweepGuild(g: GuildDirectory, at: Date = this.now()): Promise<SweepResult> {
    const out = await this.postings(g, at);
    if (await this.digest(g, at)) out.digest = true;
    const sent = await this.watchDigests(g, at);
    if (sent) out.watchDigests = sent;
    return out;
  }

  /**
   * The weekly digest: when it is on and the office channel is set, the last 7 days' report goes
   * there once every 7 days (the day it was sent is claimed first, so one worker posts it).
   */
  async digest(g: GuildDirectory, at: Date = this.now()): Promise<boolean> {
    if (!this.outbox || !(await digestOn(g))) return false;
    const channel = await getSetting(g, 'office-channel');
    if (!channel) return false;
    const today = at.toISOString().slice(0, 10);
    const last = await getSetting(g, 'digest-sent');
    if (last && Date.parse(today) - Date.parse(last) < DIGEST_DAYS * DAY) return false;
    if (!(await claimSetting(g, 'digest-sent', last, today))) return false;
    const locale = localeOf(await getSetting(g, 'digest-locale'));
    const figures = await reportFigures(g, this.matcher, { period: periodOf('week', at) });
    const files = await reportFiles(figures, locale, g.guildId);
    try {
      await this.outbox.post(channel, {
        content: translate(locale, 'report.digest', { from: figures.period.from, to: figures.period.to }),
        allowed_mentions: { parse: [] },
      }, files);
    } catch (err) {
      this.log.warn('weekly digest not delivered', { err, guild: g.guildId, channel });
    }
    return true;
  }

  /** Once a day (the day claimed first): each member's digest watches' new partners, in one DM. */
  async watchDigests(g: GuildDirectory, at: Date = this.now()): Promise<number> {
    if (!this.outbox) return 0;
    const today = at.toISOString().slice(0, 10);
    const last = await getSetting(g, 'watch-digest-sent');
    if (last === today || !(await claimSetting(g, 'watch-digest-sent', last, today))) return 0;
    const digests = await takeDigests(g);
    for (const [user, items] of digests) {
      await this.messenger.tell(this.outbox, g, user, await digestMessage(g, items), { what: 'watch digest' });
    }
    return digests.size;
  }

  /** Expires postings past their review date and reminds owners of those coming up. */
  async postings(g: GuildDirectory, now: Date = this.now()): Promise<SweepResult> {
    const out: SweepResult = { reminded: [], expired: [] };
    for (const type of ENTRY_TYPES) {
      for (const { entry, review } of await openReviews(g, type)) {
        if (isExpired(review, now)) {
          try {
            await g.setStatus(type, entry.id, 'closed', SYSTEM, { action: 'expire' });
            out.expired.push(entry.id);
          } catch (err) {
            if (!(err instanceof UserError)) throw err; // another worker closed it first
          }
          continue;
        }
        const due = reminderDue(review, now);
        if (due === undefined || !(await claimReminder(g, type, entry.id, review, due))) continue;
        out.reminded.push(entry.id);
        for (const owner of await postingOwners(g, type, entry)) {
          if (!this.outbox) break;
          const body = reminderMessage(g.guildId, type, entry, review.reviewBy, daysLeft(review, now));
          await this.messenger.tell(this.outbox, g, owner, body, { what: `review reminder ${entry.id}`, entry: { type, id: entry.id } });
        }
      }
    }
    return out;
  }
}

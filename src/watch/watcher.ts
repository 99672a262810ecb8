// Watches: after the directory changes (here or in another worker), each watched entry is ranked
// again and partners that are new since the last look are announced in the watcher's channel.
import type { RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import type { Watch } from '../domain/watch.ts';
import type { Logger } from '../log.ts';
import type { MatchService } from '../match/service.ts';
import { WATCH_MIN_SCORE } from '../match/score.ts';
import { rankWithFeedback } from '../feedback/store.ts';
import type { Suggestion } from '../match/types.ts';
import type { Directory, GuildDirectory } from '../store/directory.ts';
import { announcement } from '../views/watch.ts';
import { Messenger, type Outbox } from '../office/outbox.ts';
import { queueDigest } from './digest.ts';

/** Posts a message in a channel; each transport supplies one (none: watches cannot be kept). */
export type Notify = (channel: string, body: RESTPostAPIChannelMessageJSONBody) => Promise<void>;

export interface WatcherOptions {
  /** Changes are gathered this long before watches are checked (an import is one check, not thousands). */
  delayMs?: number;
  /** DMs closed → the office channel (shared with the other senders). */
  messenger?: Messenger;
}

const TOP = 10;

/** The partners a watch has not been told about yet. */
export function newPartners(watch: Watch, ranked: readonly Suggestion[]): Suggestion[] {
  return ranked.filter((s) => s.score >= WATCH_MIN_SCORE && !watch.seen.includes(s.id));
}

export class Watcher {
  private notify: Notify | undefined;
  private outbox: Outbox | undefined;
  private timers = new Map<string, NodeJS.Timeout>();
  private running = new Set<Promise<void>>();
  private readonly messenger: Messenger;

  constructor(
    directory: Directory,
    private readonly matcher: MatchService,
    private readonly log: Logger,
    private readonly opts: WatcherOptions = {},
  ) {
    this.messenger = opts.messenger ?? new Messenger(log);
    directory.onGuild((g) => g.subscribe(() => this.schedule(g)));
  }

  setNotifier(notify: Notify | undefined): void {
    this.notify = notify;
  }

  /** DMs for watches delivered by DM or daily digest. */
  setOutbox(outbox: Outbox | undefined): void {
    this.outbox = outbox;
  }

  get enabled(): boolean {
    return this.notify !== undefined;
  }

  /** The partners above the threshold right now: a new watch starts from these, announcing only later ones. */
  async current(g: GuildDirectory, type: Watch['type'], id: string): Promise<string[]> {
    const ranker = await this.matcher.forGuild(g);
    return (await rankWithFeedback(g, ranker, type, id, { top: TOP, minScore: WATCH_MIN_SCORE })).map((s) => s.id);
  }

  private schedule(g: GuildDirectory): void {
    if (!this.notify || this.timers.has(g.guildId)) return;
    this.timers.set(g.guildId, setTimeout(() => this.run(g), this.opts.delayMs ?? 1500).unref());
  }

  private run(g: GuildDirectory): void {
    this.timers.delete(g.guildId);
    const task = this.check(g).catch((err: unknown) => this.log.error('watch check failed', { err, guild: g.guildId }));
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
  }

  /** Runs the checks that are waiting now (the console calls this after each command). */
  async flush(directory: Directory, guildIds: readonly string[]): Promise<void> {
    for (const id of guildIds) {
      const t = this.timers.get(id);
      if (!t) continue;
      clearTimeout(t);
      this.run(directory.guild(id));
    }
    await Promise.all([...this.running]);
  }

  async check(g: GuildDirectory): Promise<void> {
    const notify = this.notify;
    if (!notify || (await g.watches()).length === 0) return;
    const ranker = await this.matcher.forGuild(g);
    const open = new Set<string>();
    for (const w of await g.watches()) if ((await g.get(w.type, w.id))?.status === 'open') open.add(`${w.type}:${w.id}`);
    const news: { watch: Watch; partners: Suggestion[] }[] = [];
    for (const w of await g.watches()) {
      if (!open.has(`${w.type}:${w.id}`)) continue;
      // As /match ranks them: the guild's feedback applies (a blocked pair is never announced).
      const partners = newPartners(w, await rankWithFeedback(g, ranker, w.type, w.id, { top: TOP, minScore: WATCH_MIN_SCORE }));
      if (partners.length === 0) continue;
      // Compare-and-set: of several workers seeing the same change, only one announces it.
      const seen = [...w.seen, ...partners.map((p) => p.id)];
      if (await g.markSeen(w, seen)) news.push({ watch: { ...w, seen }, partners });
    }
    for (const { watch, partners } of news) {
      const entry = await g.get(watch.type, watch.id);
      if (!entry) continue;
      try {
        if (watch.delivery === 'digest') await queueDigest(g, watch, partners.map((p) => p.id));
        else if (watch.delivery === 'dm' && this.outbox) await this.messenger.tell(this.outbox, g, watch.user, announcement(watch, entry, partners), { what: `watch ${watch.id}` });
        else await notify(watch.channel, announcement(watch, entry, partners));
      } catch (err) {
        this.log.warn('watch announcement failed', { err, guild: g.guildId, channel: watch.channel, entry: watch.id });
      }
    }
  }
}

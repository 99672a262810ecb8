// One ranker per guild, kept in step with the directory through its change events.
import type { GuildDirectory } from '../store/directory.ts';
import { ENTRY_TYPES } from '../domain/entry.ts';
import type { Doc, Ranker } from './types.ts';

export type RankerFactory = (docs: Doc[]) => Ranker;

export class MatchService {
  private rankers = new Map<string, Promise<Ranker>>();
  private watched = new Set<string>();

  constructor(private readonly factory: RankerFactory) {}

  /** The guild's ranker, after the directory caught up with writes from other processes. */
  async forGuild(dir: GuildDirectory): Promise<Ranker> {
    await dir.refresh();
    let r = this.rankers.get(dir.guildId);
    if (!r) {
      r = this.build(dir);
      this.rankers.set(dir.guildId, r);
    }
    if (!this.watched.has(dir.guildId)) {
      this.watched.add(dir.guildId);
      dir.subscribe((e) => {
        if (e.kind === 'reset') {
          this.rankers.delete(dir.guildId);
          return;
        }
        void this.rankers.get(dir.guildId)?.then((ranker) => {
          if (e.kind === 'upsert') ranker.upsert({ type: e.type, record: e.entry, status: e.entry.status });
          else ranker.remove(e.type, e.id);
        });
      });
    }
    return r;
  }

  private async build(dir: GuildDirectory): Promise<Ranker> {
    const docs: Doc[] = [];
    for (const type of ENTRY_TYPES) {
      for (const entry of await dir.list(type, { status: 'all' })) docs.push({ type, record: entry, status: entry.status });
    }
    return this.factory(docs);
  }
}

// Watches delivered as a daily digest: new partners wait in the watch's `pending` list; once a day the
// sweep sends each member one DM with all of theirs and empties the lists (compare-and-set both ways,
// so a partner is neither lost nor sent twice when an announcement and the digest meet).
import type { RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import type { Watch } from '../domain/watch.ts';
import { translate, type Locale } from '../i18n/index.ts';
import { fitEmbed } from '../interactions/reply.ts';
import type { GuildDirectory } from '../store/directory.ts';
import { COLORS } from '../views/format.ts';

const key = (g: GuildDirectory, w: Pick<Watch, 'user' | 'type' | 'id'>) =>
  g.store.db.selectFrom('watches').select('pending')
    .where('guild_id', '=', g.guildId).where('user_id', '=', w.user).where('type', '=', w.type).where('entry_id', '=', w.id);

/** Adds partners to a digest watch's waiting list. */
export async function queueDigest(g: GuildDirectory, w: Watch, partners: readonly string[]): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const row = await key(g, w).executeTakeFirst();
    if (!row) return; // the watch was removed meanwhile
    const next = JSON.stringify([...new Set([...(JSON.parse(row.pending) as string[]), ...partners])]);
    const r = await g.store.db.updateTable('watches').set({ pending: next })
      .where('guild_id', '=', g.guildId).where('user_id', '=', w.user).where('type', '=', w.type).where('entry_id', '=', w.id)
      .where('pending', '=', row.pending).executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) return;
  }
  throw new Error('digest queue kept changing');
}

export interface DigestItem { watch: Watch; partners: string[] }

/** Takes every waiting partner of the guild's digest watches (emptying the lists), per member. */
export async function takeDigests(g: GuildDirectory): Promise<Map<string, DigestItem[]>> {
  const rows = await g.store.db.selectFrom('watches').selectAll().where('guild_id', '=', g.guildId).where('delivery', '=', 'digest').where('pending', '!=', '[]').execute();
  const out = new Map<string, DigestItem[]>();
  for (const r of rows) {
    const taken = await g.store.db.updateTable('watches').set({ pending: '[]' })
      .where('guild_id', '=', g.guildId).where('user_id', '=', r.user_id).where('type', '=', r.type).where('entry_id', '=', r.entry_id)
      .where('pending', '=', r.pending).executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 0) continue; // changed meanwhile: next digest
    const watch: Watch = { user: r.user_id, type: r.type, id: r.entry_id, channel: r.channel, locale: r.locale as Watch['locale'], seen: JSON.parse(r.seen) as string[], createdAt: r.created_at, delivery: 'digest' };
    out.set(r.user_id, [...(out.get(r.user_id) ?? []), { watch, partners: JSON.parse(r.pending) as string[] }]);
  }
  return out;
}

/** One member's digest DM, in the language they watched in. */
export async function digestMessage(g: GuildDirectory, items: readonly DigestItem[]): Promise<RESTPostAPIChannelMessageJSONBody> {
  const locale: Locale = items[0]?.watch.locale ?? 'en-US';
  const t = (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate(locale, k, v);
  const lines: string[] = [];
  for (const { watch, partners } of items) {
    const entry = await g.get(watch.type, watch.id);
    const other = watch.type === 'need' ? 'capability' : 'need';
    const names = [];
    for (const id of partners) names.push(`${id} · ${(await g.get(other, id))?.title ?? '—'}`);
    lines.push(t('watch.digestLine', { id: watch.id, title: entry?.title ?? '—', partners: names.join('; ') }));
  }
  return { embeds: [fitEmbed({ title: t('watch.digestTitle'), description: lines.join('\n'), color: COLORS.info })], allowed_mentions: { parse: [] } };
}

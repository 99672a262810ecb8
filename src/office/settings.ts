// The office's settings (/config review-days, digest, targets) and the sweeps' bookkeeping, per guild.
// Every change a person makes is one transaction with its audit row; bookkeeping (last digest sent) is not audited.
import type { Kysely } from 'kysely';
import { Target, type CarrierKind, type CarrierLevel } from '../domain/collaboration.ts';
import { REVIEW } from '../domain/collaboration.ts';
import { auditRow, type Actor, type GuildDirectory } from '../store/directory.ts';
import type { DB } from '../store/schema.ts';

/** Keys in guild_settings (shared with /config office-channel, which the digest posts to). */
export type SettingKey = 'review-days' | 'digest' | 'digest-locale' | 'digest-sent' | 'watch-digest-sent' | 'office-channel';

export async function getSetting(g: GuildDirectory, key: SettingKey): Promise<string | undefined> {
  const r = await g.store.db.selectFrom('guild_settings').select('value').where('guild_id', '=', g.guildId).where('key', '=', key).executeTakeFirst();
  return r?.value;
}

async function put(t: Kysely<DB>, guildId: string, key: SettingKey, value: string): Promise<void> {
  await t.insertInto('guild_settings').values({ guild_id: guildId, key, value })
    .onConflict((oc) => oc.columns(['guild_id', 'key']).doUpdateSet({ value })).execute();
}

/** Sets a setting a person chose, with its audit row (summary "<key> <value>"). */
export async function setSetting(g: GuildDirectory, key: SettingKey, value: string, actor: Actor, now: Date): Promise<void> {
  await g.store.tx(async (t) => {
    await put(t, g.guildId, key, value);
    await t.insertInto('audit').values(auditRow(g.guildId, now.toISOString(), actor, 'config', { summary: `${key} ${value}` })).execute();
  });
}

/**
 * Compare-and-set of a bookkeeping value (e.g. the last digest's day): true only for the one worker
 * that moved it from `before` (undefined: unset) to `after`, so a digest is posted once.
 */
export async function claimSetting(g: GuildDirectory, key: SettingKey, before: string | undefined, after: string): Promise<boolean> {
  if (before === undefined) {
    const r = await g.store.db.insertInto('guild_settings').values({ guild_id: g.guildId, key, value: after })
      .onConflict((oc) => oc.columns(['guild_id', 'key']).doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }
  const r = await g.store.db.updateTable('guild_settings').set({ value: after })
    .where('guild_id', '=', g.guildId).where('key', '=', key).where('value', '=', before).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function reviewDays(g: GuildDirectory): Promise<number> {
  const v = Number(await getSetting(g, 'review-days'));
  return Number.isInteger(v) && v >= REVIEW.minDays && v <= REVIEW.maxDays ? v : REVIEW.defaultDays;
}

export async function digestOn(g: GuildDirectory): Promise<boolean> {
  return (await getSetting(g, 'digest')) === 'on';
}

// ---- targets ----

export async function targets(g: GuildDirectory): Promise<Target[]> {
  const rows = await g.store.db.selectFrom('targets').selectAll().where('guild_id', '=', g.guildId).orderBy('kind').orderBy('level').execute();
  return rows.map((r) => Target.parse({ kind: r.kind, ...(r.level ? { level: r.level } : {}), count: Number(r.count) }));
}

/** Sets (count > 0) or removes (count 0) the target for a kind and level; false when there was nothing to remove. */
export async function setTarget(g: GuildDirectory, kind: CarrierKind, level: CarrierLevel | undefined, count: number, actor: Actor, now: Date): Promise<boolean> {
  return g.store.tx(async (t) => {
    const key = { guild_id: g.guildId, kind, level: level ?? '' };
    let changed: boolean;
    if (count === 0) {
      const r = await t.deleteFrom('targets').where('guild_id', '=', key.guild_id).where('kind', '=', kind).where('level', '=', key.level).executeTakeFirst();
      changed = Number(r.numDeletedRows) > 0;
    } else {
      Target.parse({ kind, ...(level ? { level } : {}), count });
      await t.insertInto('targets').values({ ...key, count }).onConflict((oc) => oc.columns(['guild_id', 'kind', 'level']).doUpdateSet({ count })).execute();
      changed = true;
    }
    if (changed) await t.insertInto('audit').values(auditRow(g.guildId, now.toISOString(), actor, 'config', { summary: `target ${kind}${level ? `/${level}` : ''} ${count}` })).execute();
    return changed;
  });
}

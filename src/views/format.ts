// How entries, suggestions and reasons look in a reply, in the user's language.
import type { APIEmbed } from 'discord-api-types/v10';
import type { EntryRecord, EntryType, StoredEntry } from '../domain/entry.ts';
import { sectorById, type SectorId } from '../domain/sectors.ts';
import { DEFAULT_TIME_ZONE, formatTime, joinList, zoneLabel, type Locale, type MessageKey, type Vars } from '../i18n/index.ts';
import { truncate } from '../interactions/text.ts';
import type { Reason, Suggestion } from '../match/types.ts';

type T = (key: MessageKey, vars?: Vars) => string;

export const COLORS = { need: 0xe67e22, capability: 0x3498db, info: 0x2ecc71, warn: 0xe74c3c } as const;

export function sectorName(id: SectorId, locale: Locale): string {
  const s = sectorById(id);
  return locale === 'zh-CN' ? s.zh : s.en;
}

export function sectorList(ids: readonly SectorId[] | undefined, locale: Locale, t: T, inferred: readonly SectorId[] = []): string {
  if (ids?.length) return ids.map((id) => sectorName(id, locale)).join(locale === 'zh-CN' ? '、' : ', ');
  if (inferred.length) return inferred.map((id) => sectorName(id, locale)).join(locale === 'zh-CN' ? '、' : ', ') + (locale === 'zh-CN' ? `（${t('label.inferred')}）` : ` (${t('label.inferred')})`);
  return t('label.none');
}

export function typeLabel(type: EntryType, t: T): string {
  return t(type === 'need' ? 'label.need' : 'label.capability');
}

/** One line naming an entry: "N-0003 · title — org". */
export function entryLine(r: EntryRecord): string {
  return `**${r.id}** · ${r.title} — ${r.org}`;
}

export function entryEmbed(type: EntryType, e: StoredEntry, locale: Locale, t: T, inferred: readonly SectorId[] = [], timeZone = DEFAULT_TIME_ZONE): APIEmbed {
  const fields = [
    { name: t('label.org'), value: e.org, inline: true },
    { name: t('label.status'), value: t(e.status === 'open' ? 'label.open' : e.status === 'matched' ? 'choice.status.matched' : 'label.closed'), inline: true },
    ...('kind' in e && e.kind ? [{ name: t('label.kind'), value: t(`kind.${e.kind}`), inline: true }] : []),
    ...('level' in e && e.level ? [{ name: t('label.level'), value: t(`level.${e.level}`), inline: true }] : []),
    { name: t('label.sectors'), value: sectorList(e.sectors, locale, t, inferred), inline: false },
    ...(e.keywords?.length ? [{ name: t('label.keywords'), value: joinList(e.keywords, locale), inline: false }] : []),
    ...(e.region ? [{ name: t('label.region'), value: e.region, inline: true }] : []),
    ...(e.contact ? [{ name: t('label.contact'), value: e.contact, inline: true }] : []),
    { name: t('label.addedBy'), value: actorName(e.createdBy, undefined, t), inline: true },
  ];
  return {
    title: `${typeLabel(type, t)} ${e.id} · ${e.title}`,
    description: e.description,
    color: e.status === 'open' ? COLORS[type] : 0x95a5a6,
    fields,
    footer: { text: t('label.updated', { at: formatTime(e.updatedAt, locale, timeZone), zone: zoneLabel(timeZone) }) },
  };
}

/**
 * Who did something, the same way on cards and in the audit: a Discord user as a mention (no ping:
 * allowed_mentions is empty), the demo seed and the command line by name in the reader's language.
 */
export function actorName(id: string, name: string | undefined, t: T): string {
  if (/^\d{5,25}$/.test(id)) return `<@${id}>`;
  if (id === 'system') return t('actor.system');
  if (id === 'cli') return t('actor.cli');
  return name ?? id;
}

export function reasonText(r: Reason, locale: Locale, t: T): string {
  switch (r.kind) {
    case 'concept':
      return r.via
        ? t('reason.conceptVia', { query: r.query, target: r.target, via: locale === 'zh-CN' ? r.via.zh : r.via.en })
        : t('reason.concept', { query: r.query, target: r.target });
    case 'typo':
      return t('reason.typo', { from: r.from, to: r.to });
    case 'bridge':
      return t('reason.bridge', { problem: r.problem, method: r.method });
    case 'sector':
      return t(r.inferred ? 'reason.sectorInferred' : 'reason.sector', { sector: r.sectors.map((s) => sectorName(s, locale)).join(locale === 'zh-CN' ? '、' : ', ') });
    case 'terms':
      return t('reason.terms', { terms: r.terms.join(locale === 'zh-CN' ? '、' : ', ') });
    case 'title':
      return t('reason.title', { text: r.text });
  }
}

/** An embed field for one suggestion: name with rank, id, title and score; value with org and reasons. */
export function suggestionField(rank: number, s: Suggestion, locale: Locale, t: T): { name: string; value: string } {
  const reasons = s.reasons.map((r) => `• ${reasonText(r, locale, t)}`).join('\n');
  return {
    name: truncate(`${rank}. ${s.id} · ${s.record.title} — ${s.score.toFixed(2)}`, 256),
    value: truncate(`${s.record.org}${reasons ? '\n' + reasons : ''}`, 1024),
  };
}

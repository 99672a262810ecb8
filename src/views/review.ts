// The owner's reminder before a posting's review date. DMs carry no locale: both languages, Chinese first.
import type { RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import type { EntryType, StoredEntry } from '../domain/entry.ts';
import { LOCALES, translate } from '../i18n/index.ts';
import { fitEmbed } from '../interactions/reply.ts';
import { COLORS } from './format.ts';

export function reminderMessage(guildId: string, type: EntryType, entry: StoredEntry, reviewBy: string, daysLeft: number): RESTPostAPIChannelMessageJSONBody {
  const vars = { id: entry.id, title: entry.title, date: reviewBy, count: daysLeft, type, guild: guildId };
  const lines = [...LOCALES].reverse().map((l) => translate(l, 'review.reminder', vars));
  return {
    embeds: [fitEmbed({ title: `${entry.id} · ${entry.title}`, description: lines.join('\n\n'), color: COLORS[type] })],
    allowed_mentions: { parse: [] },
  };
}

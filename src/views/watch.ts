// What a watch announcement looks like: the watcher is mentioned (and only they may be pinged).
import type { RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import type { StoredEntry } from '../domain/entry.ts';
import type { Watch } from '../domain/watch.ts';
import { translate, type MessageKey, type Vars } from '../i18n/index.ts';
import { fitEmbed } from '../interactions/reply.ts';
import { clip } from '../interactions/text.ts';
import type { Suggestion } from '../match/types.ts';
import { COLORS, suggestionField } from './format.ts';

export function announcement(watch: Watch, entry: StoredEntry, partners: readonly Suggestion[]): RESTPostAPIChannelMessageJSONBody {
  const t = (k: MessageKey, v?: Vars) => translate(watch.locale, k, v);
  return {
    content: clip(`🔔 <@${watch.user}> ${t('watch.news', { count: partners.length, id: entry.id, title: entry.title })}`),
    embeds: [fitEmbed({
      title: t(watch.type === 'need' ? 'match.title.need' : 'match.title.capability', { id: entry.id, title: entry.title }),
      color: COLORS[watch.type === 'need' ? 'capability' : 'need'],
      fields: partners.slice(0, 5).map((s, i) => suggestionField(i + 1, s, watch.locale, t)),
    })],
    allowed_mentions: { parse: [], users: [watch.user] },
  };
}

// Paging whose state lives in the button's custom_id: "<command>:page:<owner>:<page>:<state…>".
// Buttons keep working after a restart; only the owner may turn pages.
import { ButtonStyle, type APIActionRowComponent, type APIComponentInMessageActionRow } from 'discord-api-types/v10';
import { button, row } from '../interactions/reply.ts';
import type { MessageKey, Vars } from '../i18n/index.ts';

export interface PageState { owner: string; page: number; state: string[] }

export function pageCount(total: number, size: number): number {
  return Math.max(1, Math.ceil(total / size));
}

export function slicePage<T>(items: readonly T[], page: number, size: number): { items: T[]; page: number; pages: number } {
  const pages = pageCount(items.length, size);
  const p = Math.min(Math.max(1, page), pages);
  return { items: items.slice((p - 1) * size, p * size), page: p, pages };
}

export function pageId(command: string, owner: string, page: number, state: readonly string[]): string {
  return [command, 'page', owner, String(page), ...state].join(':');
}

/** Parses the args after "<command>:" of a page button; undefined when it is not one. */
export function parsePageArgs(args: readonly string[]): PageState | undefined {
  if (args[0] !== 'page' || args.length < 3) return undefined;
  const page = Number(args[2]);
  if (!Number.isInteger(page) || page < 1) return undefined;
  return { owner: args[1]!, page, state: args.slice(3) };
}

export function pageButtons(
  command: string, owner: string, page: number, pages: number, state: readonly string[],
  t: (k: MessageKey, v?: Vars) => string,
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  if (pages <= 1) return [];
  return [row(
    button(pageId(command, owner, page - 1, state), t('label.prev'), { disabled: page <= 1, style: ButtonStyle.Secondary }),
    button(pageId(command, owner, page + 1, state), t('label.next'), { disabled: page >= pages, style: ButtonStyle.Primary }),
  )];
}

import { DISCORD_LIMITS } from './limits.ts';

/** Cuts text to `max` characters (code points), ending with "…" when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return chars.slice(0, Math.max(0, max - 1)).join('') + '…';
}

/** Neutralises mass mentions in user text even where allowed_mentions is already empty. */
export function safeText(text: string): string {
  return text.replace(/@(everyone|here)/g, '@\u200b$1');
}

export function clip(text: string, max: number = DISCORD_LIMITS.content): string {
  return truncate(safeText(text), max);
}

import { DISCORD_LIMITS } from './limits.ts';

/** Cuts text to `max` characters (code points), ending with "…" when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text; // code units ≥ code points
  // Only the head matters: max code points take at most 2·max code units.
  const chars = Array.from(text.length > 2 * max + 2 ? text.slice(0, 2 * max + 2) : text);
  if (chars.length <= max) return text;
  return chars.slice(0, Math.max(0, max - 1)).join('') + '…';
}

/** Replaces lone surrogates (half an emoji, cut by someone else) with U+FFFD, so echoes stay valid text. */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Every string inside a JSON-like value made well-formed (see wellFormed); other values kept. */
export function wellFormedDeep<V>(value: V): V {
  if (typeof value === 'string') return wellFormed(value) as V;
  if (Array.isArray(value)) return value.map(wellFormedDeep) as V;
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wellFormedDeep(v)])) as V;
  }
  return value;
}

/** Neutralises mass mentions in user text even where allowed_mentions is already empty. */
export function safeText(text: string): string {
  return text.replace(/@(everyone|here)/g, '@\u200b$1');
}

export function clip(text: string, max: number = DISCORD_LIMITS.content): string {
  return truncate(safeText(text), max);
}

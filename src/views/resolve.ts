// Finding the entry a person means: the id in any case, a bare number, or part of the title or
// organisation. A need id in a capability command (or the reverse) names the command to use.
import type { EntryType, StoredEntry } from '../domain/entry.ts';
import { UserError } from '../domain/errors.ts';
import type { Ctx } from '../interactions/command.ts';
import { normalize } from '../match/normalize.ts';

const PREFIX: Record<EntryType, string> = { need: 'N', capability: 'C' };
const OTHER: Record<EntryType, EntryType> = { need: 'capability', capability: 'need' };
/** How many candidates a "several match" answer lists. */
export const PICK_LIST = 8;

function notFound(type: EntryType, id: string): UserError {
  return new UserError(type === 'need' ? 'error.needNotFound' : 'error.capabilityNotFound', { id });
}

/** "/need show" → "/capability show id:C-0001"; "/match need" → "/match capability id:C-0001". */
function commandFor(ctx: Ctx, type: EntryType, id: string): string {
  const data = (ctx.interaction as { data?: { name?: string; options?: { name: string; type: number }[] } }).data;
  const sub = data?.options?.find((o) => o.type === 1)?.name;
  const words = [data?.name ?? type, ...(sub ? [sub] : [])].map((w) => (w === OTHER[type] ? type : w));
  return `/${words.join(' ')} id:${id}`;
}

/** The stored entry `raw` names, or a UserError saying what to type instead. */
export async function resolveEntry(ctx: Ctx, type: EntryType, raw: string): Promise<StoredEntry> {
  const text = raw.trim();
  const exact = await ctx.dir.get(type, text);
  if (exact) return exact;
  const upper = text.toUpperCase();
  const byCase = upper !== text ? await ctx.dir.get(type, upper) : undefined;
  if (byCase) return byCase;
  if (/^\d{1,9}$/.test(text)) {
    const byNumber = await ctx.dir.get(type, `${PREFIX[type]}-${text.padStart(4, '0')}`);
    if (byNumber) return byNumber;
  }
  const other = OTHER[type];
  if (new RegExp(`^${PREFIX[other]}-\\d+$`).test(upper)) {
    const elsewhere = (await ctx.dir.get(other, text)) ?? (await ctx.dir.get(other, upper));
    if (elsewhere) {
      throw new UserError('error.wrongType', {
        id: elsewhere.id, found: ctx.t(`label.${other}Lower`), wanted: ctx.t(`label.${type}Lower`), command: commandFor(ctx, other, elsewhere.id),
      });
    }
  }
  if (/^[A-Za-z]-?\d+$/.test(text) || !/[\p{L}\p{N}]/u.test(text)) throw notFound(type, text);
  // Part of a title (or organisation): unique → that entry; several → a short list to pick from.
  const needle = normalize(text).replace(/\s+/g, ' ').trim();
  const all = await ctx.dir.list(type, { status: 'all' });
  const inTitle = all.filter((e) => normalize(e.title).includes(needle));
  const hits = inTitle.length ? inTitle : all.filter((e) => normalize(e.org).includes(needle));
  if (hits.length === 1) return hits[0]!;
  if (hits.length === 0) throw notFound(type, text);
  const lines = hits.slice(0, PICK_LIST).map((e) => `${e.id} · ${e.title} — ${e.org}`);
  if (hits.length > PICK_LIST) lines.push(`… +${hits.length - PICK_LIST}`);
  throw new UserError('error.ambiguous', { query: text }, lines);
}

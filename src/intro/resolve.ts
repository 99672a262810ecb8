// Entries named in people and introduction commands: either type, by id prefix (N-… / C-…).
import type { EntryType, StoredEntry } from '../domain/entry.ts';
import { UserError } from '../domain/errors.ts';
import type { Ctx } from '../interactions/command.ts';
import { resolveEntry } from '../views/resolve.ts';
import { People } from './records.ts';

export function people(ctx: Ctx): People {
  return new People(ctx.dir);
}

/** N-0001 / C-0001 (any case) or part of a title; a bare number or title is looked up as a need, then a capability. */
export async function resolveAny(ctx: Ctx, raw: string): Promise<{ type: EntryType; entry: StoredEntry }> {
  const text = raw.trim();
  if (/^c-?\d+$/i.test(text)) return { type: 'capability', entry: await resolveEntry(ctx, 'capability', text) };
  if (/^n-?\d+$/i.test(text)) return { type: 'need', entry: await resolveEntry(ctx, 'need', text) };
  try {
    return { type: 'need', entry: await resolveEntry(ctx, 'need', text) };
  } catch (err) {
    if (!(err instanceof UserError) || err.key !== 'error.needNotFound') throw err;
    return { type: 'capability', entry: await resolveEntry(ctx, 'capability', text) };
  }
}

/** Curators, and the confirmed contacts of the entry, may see who stands behind it. */
export async function maySeeContacts(ctx: Ctx, type: EntryType, id: string): Promise<boolean> {
  return (await ctx.isCurator()) || (await people(ctx).isContact(type, id, ctx.user.id));
}

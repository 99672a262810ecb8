// Who is reminded about a posting: its confirmed contacts; without any, the member who created it.
import type { EntryType, StoredEntry } from '../domain/entry.ts';
import { People } from '../intro/records.ts';
import type { GuildDirectory } from '../store/directory.ts';

const SNOWFLAKE = /^\d{17,20}$/;

export async function postingOwners(g: GuildDirectory, type: EntryType, entry: StoredEntry): Promise<string[]> {
  const contacts = (await new People(g).contacts(type, entry.id, { confirmedOnly: true })).map((c) => c.userId);
  if (contacts.length) return contacts;
  // Imports by the console or the demo seed have no Discord user behind them.
  return SNOWFLAKE.test(entry.createdBy) ? [entry.createdBy] : [];
}

// Reads options from a raw chat-input or autocomplete interaction (Discord's JSON shape).
import {
  ApplicationCommandOptionType,
  type APIApplicationCommandInteractionDataOption, type APIAttachment, type APIInteractionDataResolved,
} from 'discord-api-types/v10';
import { UserError } from '../domain/errors.ts';
import { DISCORD_LIMITS } from './limits.ts';
import { truncate, wellFormed } from './text.ts';

/** Longest text Discord lets a user type into a string option; anything longer was not typed. */
const MAX_OPTION_CHARS = 6000;
/** Autocomplete looks at this much of what is being typed (ids, titles, organisations). */
export const MAX_AUTOCOMPLETE_CHARS = DISCORD_LIMITS.optionValue;

/** A bad value quoted back to the user, short. */
function echo(v: string | number | boolean): string {
  return truncate(wellFormed(String(v).slice(0, 200)), 40);
}

/** Option text, capped before any expensive step and without lone surrogates. */
function text(v: string | number | boolean, max: number): string {
  const s = String(v);
  return wellFormed(s.length > max ? s.slice(0, max) : s);
}

type Opt = APIApplicationCommandInteractionDataOption;
type Leaf = Opt & { value?: string | number | boolean; focused?: boolean };

export class OptionReader {
  readonly group: string | undefined;
  readonly subcommand: string | undefined;
  private readonly leaves: Leaf[];

  constructor(options: readonly Opt[] | undefined, private readonly resolved?: APIInteractionDataResolved) {
    let list = options ?? [];
    const first = list[0];
    if (first?.type === ApplicationCommandOptionType.SubcommandGroup) {
      this.group = first.name;
      list = first.options ?? [];
    }
    const sub = list[0];
    if (sub?.type === ApplicationCommandOptionType.Subcommand) {
      this.subcommand = sub.name;
      list = sub.options ?? [];
    }
    this.leaves = list as Leaf[];
  }

  private raw(name: string): Leaf | undefined {
    return this.leaves.find((o) => o.name === name);
  }

  string(name: string): string | undefined {
    const v = this.raw(name)?.value;
    if (v === undefined) return undefined;
    const s = text(v, MAX_OPTION_CHARS).trim();
    return s === '' ? undefined : s;
  }

  requiredString(name: string): string {
    const v = this.string(name);
    if (v === undefined) throw new UserError('error.optionMissing', { option: name });
    return v;
  }

  integer(name: string): number | undefined {
    const v = this.raw(name)?.value;
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw new UserError('error.optionNotInteger', { option: name, value: echo(v) });
    return n;
  }

  boolean(name: string): boolean | undefined {
    const v = this.raw(name)?.value;
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return v;
    if (['true', 'yes', '1', '是'].includes(String(v).toLowerCase())) return true;
    if (['false', 'no', '0', '否'].includes(String(v).toLowerCase())) return false;
    throw new UserError('error.optionNotBoolean', { option: name, value: echo(v) });
  }

  attachment(name: string): APIAttachment | undefined {
    const id = this.raw(name)?.value;
    if (id === undefined) return undefined;
    const all = this.resolved?.attachments;
    return all && Object.hasOwn(all, String(id)) ? all[String(id)] : undefined;
  }

  role(name: string): string | undefined {
    const v = this.raw(name)?.value;
    // A role option carries a snowflake; anything else is not a role.
    return v === undefined || !/^\d{1,25}$/.test(String(v)) ? undefined : String(v);
  }

  /** A user option: the user's snowflake. */
  user(name: string): string | undefined {
    return this.role(name);
  }

  /** A channel option: its snowflake and, when Discord resolved it, its type. */
  channel(name: string): { id: string; type?: number } | undefined {
    const id = this.role(name);
    if (!id) return undefined;
    const resolved = this.resolved?.channels;
    const c = resolved && Object.hasOwn(resolved, id) ? resolved[id] : undefined;
    return { id, ...(c ? { type: c.type } : {}) };
  }

  /** The option the user is typing in (autocomplete). */
  focused(): { name: string; value: string } | undefined {
    const f = this.leaves.find((o) => o.focused);
    return f ? { name: f.name, value: text(f.value ?? '', MAX_AUTOCOMPLETE_CHARS) } : undefined;
  }

  has(name: string): boolean {
    return this.raw(name) !== undefined;
  }
}

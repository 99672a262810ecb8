// Reads options from a raw chat-input or autocomplete interaction (Discord's JSON shape).
import {
  ApplicationCommandOptionType,
  type APIApplicationCommandInteractionDataOption, type APIAttachment, type APIInteractionDataResolved,
} from 'discord-api-types/v10';
import { UserError } from '../domain/errors.ts';

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
    const s = String(v).trim();
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
    if (!Number.isInteger(n)) throw new UserError('error.optionNotInteger', { option: name, value: String(v) });
    return n;
  }

  boolean(name: string): boolean | undefined {
    const v = this.raw(name)?.value;
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return v;
    if (['true', 'yes', '1', '是'].includes(String(v).toLowerCase())) return true;
    if (['false', 'no', '0', '否'].includes(String(v).toLowerCase())) return false;
    throw new UserError('error.optionNotBoolean', { option: name, value: String(v) });
  }

  attachment(name: string): APIAttachment | undefined {
    const id = this.raw(name)?.value;
    if (id === undefined) return undefined;
    return this.resolved?.attachments?.[String(id)];
  }

  role(name: string): string | undefined {
    const v = this.raw(name)?.value;
    return v === undefined ? undefined : String(v);
  }

  /** The option the user is typing in (autocomplete). */
  focused(): { name: string; value: string } | undefined {
    const f = this.leaves.find((o) => o.focused);
    return f ? { name: f.name, value: String(f.value ?? '') } : undefined;
  }

  has(name: string): boolean {
    return this.raw(name) !== undefined;
  }
}

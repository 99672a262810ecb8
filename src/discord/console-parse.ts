// Turns a line typed the way a Discord user types it ("/need show id:N-0003", quoted values allowed)
// into the chat-input interaction JSON Discord would send.
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ApplicationCommandOptionType as T, ApplicationCommandType, InteractionType,
  type APIApplicationCommandOption, type APIApplicationCommandInteractionDataOption, type APIAttachment,
  type APIChatInputApplicationCommandInteraction, type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { closest, editDistance } from '../domain/suggest.ts';
import type { MessageKey, Vars } from '../i18n/index.ts';
import { PERMISSIONS } from '../interactions/limits.ts';

/** A line the console cannot turn into an interaction; shown in the user's language. */
export class ConsoleInputError extends Error {
  constructor(readonly key: MessageKey, readonly vars: Vars = {}) {
    super(`${key} ${JSON.stringify(vars)}`);
  }
}

/** An option name the user probably meant: same letters in another case, or a small typo. */
function meantOption(word: string, names: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const exact = names.find((n) => n === lower);
  if (exact) return exact;
  if (word.length < 3) return undefined;
  const limit = word.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestD = Infinity;
  for (const n of names) {
    const d = editDistance(lower, n);
    if (d < bestD) [best, bestD] = [n, d];
  }
  return bestD <= limit ? best : undefined;
}

function unknownOption(word: string, names: readonly string[]): ConsoleInputError {
  const guess = meantOption(word, names) ?? closest(word, names);
  return guess
    ? new ConsoleInputError('parse.unknownOptionHint', { name: word, guess })
    : new ConsoleInputError('parse.unknownOption', { name: word, list: names.join(', ') || '—' });
}

export interface ConsoleUser { id: string; name: string; locale: string; guildId: string; /** A plain member (`!as name`), not the local admin. */ member?: boolean }

type Def = RESTPostAPIChatInputApplicationCommandsJSONBody;
type Opt = APIApplicationCommandOption;

const QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”', '「': '」' };

/** Splits "a:b c:"d e"" into [name, value] pairs given the option names that may follow. */
export function splitOptions(text: string, names: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  let rest = text.trim();
  const startRe = new RegExp(`^(${names.map(escape).join('|')}):`);
  while (rest) {
    const m = startRe.exec(rest);
    if (!m) {
      const word = rest.split(/\s+/)[0]!;
      if (word.includes(':')) throw unknownOption(word.split(':')[0]!, names);
      throw new ConsoleInputError('parse.unexpected', { word, list: names.join(', ') || '—' });
    }
    const name = m[1]!;
    rest = rest.slice(m[0].length);
    let value: string;
    const close = QUOTES[rest[0] ?? ''];
    if (close) {
      const end = rest.indexOf(close, 1);
      if (end < 0) throw new ConsoleInputError('parse.unclosedQuote', { name });
      value = rest.slice(1, end);
      rest = rest.slice(end + 1).trim();
    } else {
      // Unquoted values run until the next " name:" so spaces need no quoting.
      const next = new RegExp(`\\s(${names.map(escape).join('|')}):`).exec(rest);
      value = (next ? rest.slice(0, next.index) : rest).trim();
      // A misspelt option inside the value ("… sectorz:x") would silently become text: refuse it, as Discord would.
      for (const w of value.matchAll(/(?:^|\s)([A-Za-z][\w-]*):/g)) {
        if (!names.includes(w[1]!) && meantOption(w[1]!, names)) throw unknownOption(w[1]!, names);
      }
      rest = next ? rest.slice(next.index).trim() : '';
    }
    out.push([name, value]);
  }
  return out;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

/** Names the console has given ids to (members, roles, channels), so replies show names, not numbers. */
export const CONSOLE_NAMES = new Map<string, string>();

/** A stable id for a name typed in the console (`user:@wang`, `role:@brokers`, `channel:#office`). */
export function consoleId(name: string): string {
  let h = 0n;
  for (const ch of name.toLowerCase()) h = (h * 131n + BigInt(ch.codePointAt(0)!)) % 10n ** 17n;
  const id = `3${String(h).padStart(17, '0')}`;
  CONSOLE_NAMES.set(id, name);
  return id;
}

/** A user, role or channel option: a mention, a bare id, or a name (which gets a stable id). */
function mentionId(raw: string): string {
  const m = /^<(?:@[!&]?|#)(\d{17,20})>$/.exec(raw) ?? /^(\d{17,20})$/.exec(raw);
  if (m) return m[1]!;
  return consoleId(raw.replace(/^[@#]/, ''));
}

function convert(opt: Opt, raw: string, resolved: Record<string, APIAttachment>): string | number | boolean {
  if ('choices' in opt && opt.choices?.length) {
    const hit = opt.choices.find((c) => String(c.value) === raw || c.name === raw || Object.values(c.name_localizations ?? {}).includes(raw));
    if (!hit) throw new ConsoleInputError('parse.notChoice', { name: opt.name, value: raw, list: opt.choices.map((c) => c.value).join(', ') });
    return hit.value;
  }
  switch (opt.type) {
    case T.Integer:
    case T.Number: {
      const n = Number(raw);
      if (!Number.isFinite(n) || (opt.type === T.Integer && !Number.isInteger(n))) throw new ConsoleInputError(opt.type === T.Integer ? 'parse.notInteger' : 'parse.notNumber', { name: opt.name, value: raw });
      if (opt.min_value !== undefined && n < opt.min_value) throw new ConsoleInputError('parse.min', { name: opt.name, min: opt.min_value });
      if (opt.max_value !== undefined && n > opt.max_value) throw new ConsoleInputError('parse.max', { name: opt.name, max: opt.max_value });
      return n;
    }
    case T.Boolean:
      if (/^(true|yes|1)$/i.test(raw)) return true;
      if (/^(false|no|0)$/i.test(raw)) return false;
      throw new ConsoleInputError('parse.notBoolean', { name: opt.name, value: raw });
    case T.Attachment: {
      const path = resolve(raw);
      let size: number;
      try {
        const st = statSync(path);
        if (st.isDirectory()) throw new ConsoleInputError('parse.isDirectory', { name: opt.name, path });
        size = st.size;
      } catch (err) {
        if (err instanceof ConsoleInputError) throw err;
        throw new ConsoleInputError('parse.noFile', { name: opt.name, path });
      }
      const id = String(Object.keys(resolved).length + 1);
      const url = pathToFileURL(path).href;
      resolved[id] = { id, filename: basename(path), size, url, proxy_url: url, content_type: 'application/json' };
      return id;
    }
    case T.User:
    case T.Role:
    case T.Channel:
      return mentionId(raw);
    case T.String:
      if (opt.max_length !== undefined && raw.length > opt.max_length) throw new ConsoleInputError('parse.tooLong', { name: opt.name, max: opt.max_length });
      return raw;
    default:
      return raw;
  }
}

function leafOptions(opts: readonly Opt[], text: string, resolved: Record<string, APIAttachment>, where: string): APIApplicationCommandInteractionDataOption[] {
  const pairs = splitOptions(text, opts.map((o) => o.name));
  const out: APIApplicationCommandInteractionDataOption[] = [];
  for (const [name, raw] of pairs) {
    const opt = opts.find((o) => o.name === name)!;
    if (out.some((o) => o.name === name)) throw new ConsoleInputError('parse.twice', { name });
    out.push({ name, type: opt.type, value: convert(opt, raw, resolved) } as APIApplicationCommandInteractionDataOption);
  }
  const missing = opts.filter((o) => 'required' in o && o.required && !out.some((x) => x.name === o.name));
  if (missing.length) throw new ConsoleInputError('parse.missing', { command: where, list: missing.map((o) => `${o.name}:…`).join(' ') });
  return out;
}

export function parseCommandLine(line: string, defs: readonly Def[], user: ConsoleUser, seq: number): APIChatInputApplicationCommandInteraction {
  const m = /^\/(\S+)\s*(.*)$/s.exec(line.trim());
  if (!m) throw new ConsoleInputError('parse.noSlash');
  const [, name, rest0] = m as unknown as [string, string, string];
  const def = defs.find((d) => d.name === name);
  if (!def) {
    const guess = closest(name, defs.map((d) => d.name));
    throw guess ? new ConsoleInputError('parse.unknownCommandHint', { name, guess }) : new ConsoleInputError('parse.unknownCommand', { name, list: defs.map((d) => '/' + d.name).join(' ') });
  }
  let rest = rest0;
  const resolved: Record<string, APIAttachment> = {};
  let options: APIApplicationCommandInteractionDataOption[];
  const top = (def.options ?? []) as Opt[];
  const takeWord = (choicesList: Opt[], what: string): Opt => {
    const w = /^(\S+)\s*(.*)$/s.exec(rest.trim());
    const hit = w ? choicesList.find((o) => o.name === w[1]) : undefined;
    const list = choicesList.map((o) => o.name).join(' | ');
    if (!hit) {
      const guess = w ? closest(w[1]!, choicesList.map((o) => o.name)) : undefined;
      throw guess && w ? new ConsoleInputError('parse.needsSubHint', { command: what, word: w[1]!, guess, list }) : new ConsoleInputError('parse.needsSub', { command: what, list });
    }
    rest = w![2]!;
    return hit;
  };
  const subs = top.filter((o) => o.type === T.Subcommand || o.type === T.SubcommandGroup);
  if (subs.length) {
    const first = takeWord(subs, name);
    if (first.type === T.SubcommandGroup) {
      const inner = takeWord((first.options ?? []) as Opt[], `${name} ${first.name}`);
      options = [{ name: first.name, type: T.SubcommandGroup, options: [{ name: inner.name, type: T.Subcommand, options: leafOptions(('options' in inner ? inner.options ?? [] : []) as Opt[], rest, resolved, `/${name} ${first.name} ${inner.name}`) }] }] as APIApplicationCommandInteractionDataOption[];
    } else {
      options = [{ name: first.name, type: T.Subcommand, options: leafOptions(('options' in first ? first.options ?? [] : []) as Opt[], rest, resolved, `/${name} ${first.name}`) }] as APIApplicationCommandInteractionDataOption[];
    }
  } else {
    options = leafOptions(top, rest, resolved, `/${name}`);
  }
  return {
    id: String(1_000_000 + seq),
    application_id: '0',
    type: InteractionType.ApplicationCommand,
    token: `console-${seq}`,
    version: 1,
    locale: user.locale,
    guild_locale: user.locale,
    guild_id: user.guildId,
    channel_id: '0',
    app_permissions: '0',
    entitlements: [],
    authorizing_integration_owners: {},
    context: 0,
    attachment_size_limit: 25 * 1024 * 1024,
    member: consoleMember(user),
    data: {
      id: '0', name, type: ApplicationCommandType.ChatInput, options,
      ...(Object.keys(resolved).length ? { resolved: { attachments: resolved } } : {}),
    },
  } as unknown as APIChatInputApplicationCommandInteraction;
}

/** The console's own user is a local admin; members it switches to (`!as name`) have no permissions. */
export function consoleMember(user: ConsoleUser) {
  return {
    user: { id: user.id, username: user.name, global_name: user.name, discriminator: '0', avatar: null },
    roles: [], permissions: String(user.member ? 0n : PERMISSIONS.administrator | PERMISSIONS.manageGuild),
    joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0,
  };
}

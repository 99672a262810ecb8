// Slash-command definitions with English names and zh-CN descriptions from the catalogs.
// The builders alone, not all of discord.js: the console and the HTTP endpoint start faster without it.
import { SlashCommandBuilder, SlashCommandSubcommandBuilder, SlashCommandStringOption, SlashCommandIntegerOption } from '@discordjs/builders';
import { InteractionContextType, PermissionFlagsBits } from 'discord-api-types/v10';
import { both, type MessageKey } from '../i18n/index.ts';
import { FIELD_LIMITS } from '../domain/limits.ts';
import { SECTORS } from '../domain/sectors.ts';
import { DISCORD_LIMITS } from './limits.ts';

interface Describable { setDescription(d: string): unknown; setDescriptionLocalizations(l: Record<string, string>): unknown }

export function describe<T extends Describable>(b: T, key: MessageKey): T {
  const { en, zh } = both(key);
  b.setDescription(en.slice(0, DISCORD_LIMITS.optionValue));
  b.setDescriptionLocalizations({ 'zh-CN': zh.slice(0, DISCORD_LIMITS.optionValue) });
  return b;
}

export function command(name: string, key: MessageKey, opts: { curatorOnly?: boolean } = {}): SlashCommandBuilder {
  const b = describe(new SlashCommandBuilder().setName(name), key).setContexts(InteractionContextType.Guild);
  // A hint for Discord's UI only; every mutation is checked again on the server.
  if (opts.curatorOnly) b.setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild);
  return b;
}

export function sub(name: string, key: MessageKey): SlashCommandSubcommandBuilder {
  return describe(new SlashCommandSubcommandBuilder().setName(name), key);
}

export function str(name: string, key: MessageKey, required = false, max?: number): SlashCommandStringOption {
  const o = describe(new SlashCommandStringOption().setName(name), key).setRequired(required);
  if (max) o.setMaxLength(max);
  return o;
}

export function int(name: string, key: MessageKey, min: number, max: number): SlashCommandIntegerOption {
  return describe(new SlashCommandIntegerOption().setName(name), key).setMinValue(min).setMaxValue(max);
}

export function choice(key: MessageKey, value: string) {
  const { en, zh } = both(key);
  return { name: en, name_localizations: { 'zh-CN': zh }, value };
}

/** A required entry id, autocompleted by id, title or organisation. */
export function idOption(): SlashCommandStringOption {
  return str('id', 'cmd.opt.id', true, FIELD_LIMITS.id).setAutocomplete(true);
}

/** The 16 sectors as choices (Discord allows 25). */
export function sectorOption(name = 'sector'): SlashCommandStringOption {
  return str(name, 'cmd.opt.sector').addChoices(
    ...SECTORS.map((s) => ({ name: `${s.en}`.slice(0, 100), name_localizations: { 'zh-CN': s.zh }, value: s.id })),
  );
}

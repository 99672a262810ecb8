// The one place that routes an interaction (Discord's JSON) to a command and owns error handling:
// UserError → the user sees its message ephemerally; anything else is logged and answered generically.
import { randomUUID } from 'node:crypto';
import {
  InteractionType, InteractionResponseType, ComponentType,
  type APIInteraction, type APIChatInputApplicationCommandInteraction, type APIModalSubmitInteraction,
  type APIMessageComponentInteraction, type APIApplicationCommandAutocompleteInteraction, type APIUser,
} from 'discord-api-types/v10';
import { UserError } from '../domain/errors.ts';
import { localeOf, translate, type MessageKey, type Vars } from '../i18n/index.ts';
import type { CommandModule, Ctx, Services } from './command.ts';
import { PERMISSIONS } from './limits.ts';
import { OptionReader } from './options.ts';
import { parseInteraction, rawLocale } from './payload.ts';
import { checkRate, rateBucket } from './ratelimit.ts';
import { message, choices, type Reply } from './reply.ts';
import { wellFormed } from './text.ts';

export class Dispatcher {
  private readonly byName: Map<string, CommandModule>;

  constructor(readonly commands: readonly CommandModule[], private readonly services: Services) {
    this.byName = new Map(commands.map((c) => [c.data.name, c]));
  }

  async dispatch(raw: APIInteraction): Promise<Reply> {
    if (raw?.type === InteractionType.Ping) return { body: { type: InteractionResponseType.Pong } };
    // Only the locale is read before the payload is checked, and only if it is a string.
    const locale = localeOf(rawLocale(raw));
    const t = (key: MessageKey, vars?: Vars) => translate(locale, key, vars);
    const started = Date.now();
    let interaction: APIInteraction | undefined;
    try {
      interaction = parseInteraction(raw);
      const reply = await this.route(interaction, locale, t);
      this.services.log.debug('interaction handled', { id: interaction.id, type: interaction.type, ms: Date.now() - started });
      return reply;
    } catch (err) {
      if (raw?.type === InteractionType.ApplicationCommandAutocomplete) {
        if (!(err instanceof UserError)) this.services.log.error('autocomplete failed', { err, id: interaction?.id });
        return choices([]);
      }
      if (err instanceof UserError) {
        // One line per detail (no code fence: it showed as stray backticks outside Discord).
        const details = err.details.map((d) => `\n• ${d}`).join('');
        return message({ content: `⚠️ ${t(err.key, err.vars)}${details}`, ephemeral: true });
      }
      const ref = randomUUID().slice(0, 8);
      this.services.log.error('interaction failed', {
        ref, err, id: interaction?.id, type: interaction?.type, guild: interaction?.guild_id,
        user: interaction && userOf(interaction)?.id, command: interaction && commandName(interaction),
      });
      return message({ content: `⚠️ ${t('error.internal', { ref })}`, ephemeral: true });
    }
  }

  private async route(interaction: APIInteraction, locale: Ctx['locale'], t: Ctx['t']): Promise<Reply> {
    const name = commandName(interaction);
    const command = name ? this.byName.get(name) : undefined;
    if (!command) throw new UserError('error.unknownCommand', { name: name ?? '?' });
    const guildId = interaction.guild_id ?? dmGuildOf(interaction, command);
    if (!guildId) throw new UserError('error.guildOnly');
    const user = userOf(interaction);
    const actor = { id: user?.id ?? 'unknown', name: user ? (user.global_name ?? user.username) : 'unknown' };
    const bucket = rateBucket(interaction, name);
    if (bucket) await checkRate(this.services.state, bucket, guildId, actor.id, t);
    const dir = this.services.directory.guild(guildId);
    const isCurator = async () => {
      const member = interaction.member;
      if (!member) return false;
      const perms = BigInt(member.permissions ?? '0');
      if ((perms & PERMISSIONS.administrator) !== 0n || (perms & PERMISSIONS.manageGuild) !== 0n) return true;
      const { curatorRoles } = await dir.getConfig();
      return member.roles.some((r) => curatorRoles.includes(r));
    };
    const base: Ctx = {
      interaction, services: this.services, locale, t, guildId, user: actor, dir, isCurator,
      requireCurator: async () => {
        if (!(await isCurator())) throw new UserError('error.notCurator');
      },
    };
    switch (interaction.type) {
      case InteractionType.ApplicationCommand: {
        const data = (interaction as APIChatInputApplicationCommandInteraction).data;
        return command.execute({ ...base, options: new OptionReader(data.options, data.resolved) });
      }
      case InteractionType.ApplicationCommandAutocomplete: {
        if (!command.autocomplete) return choices([]);
        const data = (interaction as APIApplicationCommandAutocompleteInteraction).data;
        return command.autocomplete({ ...base, options: new OptionReader(data.options) });
      }
      case InteractionType.MessageComponent: {
        if (!command.component) throw new UserError('error.unknownCommand', { name: name ?? '?' });
        const data = (interaction as APIMessageComponentInteraction).data;
        const values = data.component_type === ComponentType.Button ? [] : (data as { values?: string[] }).values ?? [];
        return command.component({ ...base, args: data.custom_id.split(':').slice(1), values });
      }
      case InteractionType.ModalSubmit: {
        if (!command.modal) throw new UserError('error.unknownCommand', { name: name ?? '?' });
        const data = (interaction as APIModalSubmitInteraction).data;
        return command.modal({ ...base, args: data.custom_id.split(':').slice(1), fields: modalFields(data.components) });
      }
      default:
        throw new UserError('error.unknownCommand', { name: name ?? '?' });
    }
  }
}

/** The guild a DM component names in its custom id, for commands that take such presses. */
function dmGuildOf(i: APIInteraction, command: CommandModule): string | undefined {
  if (i.type !== InteractionType.MessageComponent || !command.dmGuild) return undefined;
  const id = command.dmGuild(i.data.custom_id.split(':').slice(1));
  return id && /^\d{17,20}$|^[A-Za-z0-9_-]{1,32}$/.test(id) ? id : undefined;
}

export function commandName(i: APIInteraction): string | undefined {
  switch (i.type) {
    case InteractionType.ApplicationCommand:
    case InteractionType.ApplicationCommandAutocomplete:
      return i.data.name;
    case InteractionType.MessageComponent:
    case InteractionType.ModalSubmit:
      return i.data.custom_id.split(':')[0];
    default:
      return undefined;
  }
}

export function userOf(i: APIInteraction): APIUser | undefined {
  return i.member?.user ?? i.user;
}

/** Text inputs of a modal submit, in both the classic (action row) and the label shape. */
function modalFields(components: readonly unknown[]): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (c: unknown, depth = 0) => {
    // Discord nests text inputs two levels deep (label → input, or row → input).
    if (!c || typeof c !== 'object' || depth > 3) return;
    const o = c as { type?: number; custom_id?: string; value?: string; components?: unknown[]; component?: unknown };
    if (o.type === ComponentType.TextInput && typeof o.custom_id === 'string') out.set(o.custom_id, typeof o.value === 'string' ? wellFormed(o.value) : '');
    if (Array.isArray(o.components)) o.components.forEach((x) => visit(x, depth + 1));
    if (o.component) visit(o.component, depth + 1);
  };
  components.forEach((c) => visit(c));
  return out;
}

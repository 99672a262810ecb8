// Per-user rate limits, checked by the dispatcher before a command runs (limits: src/state/limits.ts).
import { ApplicationCommandOptionType, InteractionType, type APIInteraction } from 'discord-api-types/v10';
import { UserError } from '../domain/errors.ts';
import { IMPORT_COOLDOWN_MS, RATE_LIMITS, RATE_WINDOW_MS, type RateBucket } from '../state/limits.ts';
import type { SharedState } from '../state/index.ts';
import type { Ctx } from './command.ts';

const WRITE_SUBCOMMANDS = new Set(['add', 'edit', 'remove', 'close', 'reopen']);
const WRITE_COMMANDS = new Set(['import']);

/** The bucket an interaction counts in, if any (reads are free except the costly /match and /search). */
export function rateBucket(i: APIInteraction, name: string | undefined): RateBucket | undefined {
  if (i.type === InteractionType.ApplicationCommandAutocomplete) return 'autocomplete';
  if (i.type === InteractionType.ModalSubmit) return 'write';
  if (name === 'match' || name === 'search') return name;
  if (i.type !== InteractionType.ApplicationCommand || !name) return undefined;
  if (WRITE_COMMANDS.has(name)) return 'write';
  // The first subcommand (inside a group, if any) says whether this changes something.
  let opts = 'options' in i.data ? i.data.options : undefined;
  if (opts?.[0]?.type === ApplicationCommandOptionType.SubcommandGroup) opts = opts[0].options;
  const sub = opts?.[0]?.type === ApplicationCommandOptionType.Subcommand ? opts[0].name : undefined;
  if (!sub) return undefined;
  if (WRITE_SUBCOMMANDS.has(sub)) return 'write';
  if (name === 'watch' && sub !== 'list') return 'write';
  return undefined;
}

/** Counts the interaction; throws UserError('error.rateLimited') once the user is over the limit. */
export async function checkRate(state: SharedState, bucket: RateBucket, guildId: string, userId: string, t: Ctx['t']): Promise<void> {
  const limit = RATE_LIMITS[bucket];
  const w = await state.hit(`rate:${bucket}:${guildId}:${userId}`, RATE_WINDOW_MS);
  if (w.count > limit) {
    const seconds = Math.max(1, Math.ceil((w.resetAt - Date.now()) / 1000));
    throw new UserError('error.rateLimited', { what: t(`rate.${bucket}`), limit, seconds });
  }
}

/** /import: one write per server per IMPORT_COOLDOWN_MS, whoever asks (checked once the file is valid). */
export async function checkImportCooldown(state: SharedState, guildId: string): Promise<void> {
  const w = await state.hit(`cooldown:import:${guildId}`, IMPORT_COOLDOWN_MS);
  if (w.count > 1) {
    throw new UserError('error.cooldown', { command: '/import', seconds: Math.max(1, Math.ceil((w.resetAt - Date.now()) / 1000)) });
  }
}

// The fields of Discord's interaction JSON that Liaison reads, checked before anything reads them:
// a malformed field becomes a clear UserError inside the dispatcher, never a TypeError somewhere else.
import * as z from 'zod';
import { InteractionType, type APIInteraction } from 'discord-api-types/v10';
import { UserError } from '../domain/errors.ts';
import { DISCORD_LIMITS } from './limits.ts';
import { truncate, wellFormed } from './text.ts';

/** Snowflakes, and the console's guild names (ids end up in store keys and URLs). */
export const IdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/);
/** Interaction tokens go into webhook URLs: no separators. */
export const TokenSchema = z.string().regex(/^[A-Za-z0-9._-]{1,500}$/);

const short = z.string().max(200);
const UserSchema = z.object({ id: IdSchema, username: short.optional(), global_name: short.nullish() }).loose();
const MemberSchema = z.object({
  user: UserSchema.optional(),
  permissions: z.string().regex(/^\d{1,25}$/).optional(),
  roles: z.array(IdSchema).max(1000).default([]),
}).loose();

interface Option { name: string; type: number; value?: string | number | boolean; focused?: boolean; options?: Option[] }
const OptionSchema: z.ZodType<Option> = z.lazy(() => z.object({
  name: z.string().max(32),
  type: z.number().int(),
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
  focused: z.boolean().optional(),
  options: z.array(OptionSchema).max(25).optional(),
}).loose());

const CommandData = z.object({
  name: z.string().min(1).max(32),
  options: z.array(OptionSchema).max(25).optional(),
  resolved: z.object({
    attachments: z.record(z.string(), z.object({ id: IdSchema, filename: short, size: z.number(), url: z.string().max(2000) }).loose()).optional(),
  }).loose().optional(),
}).loose();
const CustomId = z.string().min(1).max(DISCORD_LIMITS.customId);
const ComponentData = z.object({ custom_id: CustomId, component_type: z.number().int(), values: z.array(z.string().max(DISCORD_LIMITS.optionValue)).max(25).optional() }).loose();
const ModalData = z.object({ custom_id: CustomId, components: z.array(z.unknown()).max(25) }).loose();
const MessageSchema = z.object({
  embeds: z.array(z.object({ author: z.object({ name: z.string().max(DISCORD_LIMITS.embedTitle) }).loose().optional() }).loose()).max(10).optional(),
}).loose();

const Base = z.object({
  id: IdSchema,
  type: z.number().int(),
  locale: z.string().max(16).optional(),
  guild_locale: z.string().max(16).nullish(),
  guild_id: IdSchema.optional(),
  channel_id: IdSchema.optional(),
  channel: z.object({ id: IdSchema }).loose().optional(),
  member: MemberSchema.optional(),
  user: UserSchema.optional(),
  attachment_size_limit: z.number().optional(),
}).loose();

const byType: Partial<Record<number, z.ZodType>> = {
  [InteractionType.ApplicationCommand]: Base.extend({ data: CommandData }),
  [InteractionType.ApplicationCommandAutocomplete]: Base.extend({ data: CommandData }),
  [InteractionType.MessageComponent]: Base.extend({ data: ComponentData, message: MessageSchema.optional() }),
  [InteractionType.ModalSubmit]: Base.extend({ data: ModalData }),
};

/**
 * The interaction, checked field by field. Throws UserError('error.badInteraction') naming the
 * first bad field; unknown fields pass through untouched.
 */
export function parseInteraction(raw: unknown): APIInteraction {
  const base = Base.safeParse(raw);
  const schema = base.success ? byType[base.data.type] ?? Base : Base;
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = truncate(wellFormed(issue?.path.map(String).join('.') ?? ''), 60) || '(root)';
    throw new UserError('error.badInteraction', { field });
  }
  return result.data as APIInteraction;
}

/** The locale of anything that might be an interaction, without trusting its shape. */
export function rawLocale(raw: unknown): string | undefined {
  const l = raw && typeof raw === 'object' ? (raw as { locale?: unknown }).locale : undefined;
  return typeof l === 'string' ? l : undefined;
}

// Request-body validation against Discord's published OpenAPI schema (discord-api-spec/zod),
// plus a few documented rules the OpenAPI file cannot express.
import { en } from 'zod/locales';
import type { $ZodIssue } from 'zod/v4/core';
import type { ZodMiniType } from 'zod/mini';
import * as spec from 'discord-api-spec/zod';

/** One problem with a request body; `code` uses Discord's error-code vocabulary where known. */
export interface SchemaIssue {
  path: (string | number)[];
  code: string;
  message: string;
}

// zod/mini ships without messages; pass the English locale per call instead of mutating global config.
const localeError = en().localeError;

/** Schema per interaction callback type (the union Discord's spec lists for POST /interactions/{id}/{token}/callback). */
const callbackSchemas: Record<number, ZodMiniType> = {
  1: spec.PongInteractionCallbackRequestSchema,
  4: spec.CreateMessageInteractionCallbackRequestSchema,
  5: spec.CreateMessageInteractionCallbackRequestSchema,
  6: spec.UpdateMessageInteractionCallbackRequestSchema,
  7: spec.UpdateMessageInteractionCallbackRequestSchema,
  8: spec.ApplicationCommandAutocompleteCallbackRequestSchema,
  9: spec.ModalInteractionCallbackRequestSchema,
  12: spec.LaunchActivityInteractionCallbackRequestSchema,
  13: spec.SocialLayerSKUPurchaseEligibilityInteractionCallbackRequestSchema,
};

const zodToDiscordCode: Record<string, string> = {
  too_big: 'BASE_TYPE_MAX_LENGTH',
  too_small: 'BASE_TYPE_MIN_LENGTH',
  invalid_value: 'BASE_TYPE_CHOICES',
  invalid_format: 'STRING_TYPE_REGEX',
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isTypeMismatch = (i: $ZodIssue): boolean =>
  i.code === 'invalid_value' && i.path.length === 1 && i.path[0] === 'type';

/** Flattens zod issues; for unions, reports only the branch whose `type` matched (Discord unions are tagged by `type`). */
function flatten(issues: readonly $ZodIssue[], base: (string | number)[]): SchemaIssue[] {
  return issues.flatMap((issue): SchemaIssue[] => {
    const path = [...base, ...issue.path.map((k) => (typeof k === 'number' ? k : String(k)))];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const matching = issue.errors.filter((branch) => !branch.some(isTypeMismatch));
      if (matching.length === 0) {
        const expected = issue.errors.flatMap((b) => b.filter(isTypeMismatch).flatMap((i) => ('values' in i ? i.values : [])));
        return [{ path: [...path, 'type'], code: 'BASE_TYPE_CHOICES', message: `Invalid input: expected one of ${expected.join('|')}` }];
      }
      const best = matching.map((b) => flatten(b, path)).sort((a, b) => a.length - b.length)[0];
      return best ?? [];
    }
    const code = issue.code === 'invalid_type' && issue.message.endsWith('received undefined')
      ? 'BASE_TYPE_REQUIRED'
      : (zodToDiscordCode[issue.code] ?? 'BASE_TYPE_INVALID');
    return [{ path, code, message: issue.message }];
  });
}

function run(schema: ZodMiniType, body: unknown, base: (string | number)[] = []): SchemaIssue[] {
  const result = schema.safeParse(body, { error: localeError });
  return result.success ? [] : flatten(result.error.issues, base);
}

/** What the fake answers on the GET routes the bot reads, against Discord's response schemas. */
export function checkResponse(kind: 'role' | 'member' | 'channel', body: unknown): SchemaIssue[] {
  const schema = { role: spec.GuildRoleResponseSchema, member: spec.GuildMemberResponseSchema, channel: spec.GuildChannelResponseSchema }[kind];
  return run(schema, body);
}

/** Discord caps the summed text of all embeds in a message at 6000 characters (not in the OpenAPI file). */
function embedSizeIssues(embeds: unknown, path: (string | number)[]): SchemaIssue[] {
  if (!Array.isArray(embeds)) return [];
  const len = (v: unknown) => (typeof v === 'string' ? v.length : 0);
  let total = 0;
  for (const e of embeds) {
    if (!isRecord(e)) continue;
    total += len(e.title) + len(e.description);
    if (isRecord(e.footer)) total += len(e.footer.text);
    if (isRecord(e.author)) total += len(e.author.name);
    if (Array.isArray(e.fields)) for (const f of e.fields) if (isRecord(f)) total += len(f.name) + len(f.value);
  }
  return total > 6000
    ? [{ path, code: 'MAX_EMBED_SIZE_EXCEEDED', message: `Embed size exceeds maximum size of 6000 (${total})` }]
    : [];
}

export function checkCallbackBody(body: unknown): SchemaIssue[] {
  if (!isRecord(body)) return [{ path: [], code: 'BASE_TYPE_INVALID', message: 'Expected an object' }];
  const schema = typeof body.type === 'number' ? callbackSchemas[body.type] : undefined;
  if (!schema) {
    return [{ path: ['type'], code: 'BASE_TYPE_CHOICES', message: `Value must be one of ${Object.keys(callbackSchemas).join(', ')}.` }];
  }
  // Spec quirk: autocomplete `data` is generated as union([undefined, ...]) — meant to be optional,
  // but zod still treats the key as required. Treat a missing `data` as `{}`.
  const input = body.type === 8 && body.data === undefined ? { ...body, data: {} } : body;
  const data = isRecord(body.data) ? body.data : {};
  return [...run(schema, input), ...embedSizeIssues(data.embeds, ['data', 'embeds'])];
}

/** PATCH /webhooks/{app}/{token}/messages/@original and /messages/{id}. */
export function checkWebhookEdit(body: unknown): SchemaIssue[] {
  const embeds = isRecord(body) ? body.embeds : undefined;
  return [...run(spec.IncomingWebhookUpdateRequestPartialSchema, body), ...embedSizeIssues(embeds, ['embeds'])];
}

/** POST /webhooks/{app}/{token} (interaction follow-up). */
export function checkWebhookExecute(body: unknown): SchemaIssue[] {
  const embeds = isRecord(body) ? body.embeds : undefined;
  return [...run(spec.IncomingWebhookRequestPartialSchema, body), ...embedSizeIssues(embeds, ['embeds'])];
}

/** POST /channels/{channel}/messages (a bot's own message, e.g. a watch announcement). */
export function checkChannelMessage(body: unknown): SchemaIssue[] {
  const embeds = isRecord(body) ? body.embeds : undefined;
  const issues = [...run(spec.MessageCreateRequestSchema, body), ...embedSizeIssues(embeds, ['embeds'])];
  // The OpenAPI file allows 4000 (a Nitro user's limit); a bot's message content stops at 2000.
  const content = isRecord(body) ? body.content : undefined;
  if (typeof content === 'string' && content.length > 2000 && !issues.some((i) => i.path[0] === 'content')) {
    issues.push({ path: ['content'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' });
  }
  return issues;
}

/** POST /users/@me/channels (open a DM). Discord needs a recipient even though the schema allows null. */
export function checkCreateDm(body: unknown): SchemaIssue[] {
  const issues = run(spec.CreatePrivateChannelRequestSchema, body);
  if (issues.length === 0 && isRecord(body) && body.recipient_id == null && body.access_tokens == null) {
    issues.push({ path: ['recipient_id'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
  }
  return issues;
}

/** POST /channels/{channel}/threads without a starter message. */
export function checkCreateThread(body: unknown): SchemaIssue[] {
  return run(spec.CreateTextThreadWithoutMessageRequestSchema, body);
}

export function validateChannelMessage(body: unknown): string[] {
  return checkChannelMessage(body).map(formatIssue);
}

// Discord's documented CHAT_INPUT name rule; the OpenAPI file only has the 1..32 length.
const NAME_RE = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const SUBCOMMANDISH = new Set([1, 2]);

function nameIssues(name: unknown, path: (string | number)[]): SchemaIssue[] {
  if (typeof name !== 'string') return [];
  return NAME_RE.test(name) && name === name.toLowerCase()
    ? []
    : [{ path, code: 'APPLICATION_COMMAND_INVALID_NAME', message: `Command name is invalid: ${JSON.stringify(name)}` }];
}

/** Rules Discord enforces on chat-input option trees that the OpenAPI file cannot express. */
function optionRules(options: unknown, path: (string | number)[], counter: { chars: number }): SchemaIssue[] {
  if (!Array.isArray(options)) return [];
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  let optionalSeen = false;
  const kinds = new Set<boolean>();
  options.forEach((opt, i) => {
    if (!isRecord(opt)) return;
    const p = [...path, i];
    const name = typeof opt.name === 'string' ? opt.name : '';
    counter.chars += name.length + (typeof opt.description === 'string' ? opt.description.length : 0);
    if (Array.isArray(opt.choices)) {
      for (const c of opt.choices) if (isRecord(c)) counter.chars += String(c.name ?? '').length + String(c.value ?? '').length;
    }
    issues.push(...nameIssues(opt.name, [...p, 'name']));
    for (const [loc, v] of Object.entries(isRecord(opt.name_localizations) ? opt.name_localizations : {})) {
      issues.push(...nameIssues(v, [...p, 'name_localizations', loc]));
    }
    if (seen.has(name)) issues.push({ path: [...p, 'name'], code: 'APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS', message: `Duplicate option name ${name}` });
    seen.add(name);
    kinds.add(SUBCOMMANDISH.has(Number(opt.type)));
    if (opt.required === true && optionalSeen) {
      issues.push({ path: [...p, 'required'], code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', message: 'Required options must be placed before non-required options' });
    }
    if (opt.required !== true) optionalSeen = true;
    issues.push(...optionRules(opt.options, [...p, 'options'], counter));
  });
  if (kinds.size > 1) {
    issues.push({ path, code: 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', message: 'Sub-command and sub-command group option types are mutually exclusive to all other types' });
  }
  return issues;
}

/** PUT /applications/{app}/commands and /applications/{app}/guilds/{guild}/commands (bulk overwrite). */
export function checkCommandsPut(body: unknown): SchemaIssue[] {
  if (body === null) return [];
  if (!Array.isArray(body)) return [{ path: [], code: 'BASE_TYPE_INVALID', message: 'Expected an array of commands' }];
  const issues: SchemaIssue[] = [];
  const names = new Set<string>();
  body.forEach((cmd, i) => {
    // Spec quirk: default_member_permissions is typed as a number, but Discord documents (and
    // discord.js sends) a permission bitfield *string*. Accept numeric strings here only.
    const input = isRecord(cmd) && typeof cmd.default_member_permissions === 'string' && /^\d+$/.test(cmd.default_member_permissions)
      ? { ...cmd, default_member_permissions: Number(cmd.default_member_permissions) }
      : cmd;
    issues.push(...run(spec.ApplicationCommandUpdateRequestSchema, input, [i]));
    if (!isRecord(cmd)) return;
    const type = cmd.type ?? 1;
    const key = `${String(type)}:${String(cmd.name)}`;
    if (names.has(key)) issues.push({ path: [i, 'name'], code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: `Application command names must be unique (${String(cmd.name)})` });
    names.add(key);
    if (type !== 1) return;
    if (typeof cmd.description !== 'string' || cmd.description.length === 0) {
      issues.push({ path: [i, 'description'], code: 'BASE_TYPE_REQUIRED', message: 'Chat-input commands need a description (1-100 characters)' });
    }
    issues.push(...nameIssues(cmd.name, [i, 'name']));
    for (const [loc, v] of Object.entries(isRecord(cmd.name_localizations) ? cmd.name_localizations : {})) {
      issues.push(...nameIssues(v, [i, 'name_localizations', loc]));
    }
    const counter = { chars: String(cmd.name ?? '').length + String(cmd.description ?? '').length };
    issues.push(...optionRules(cmd.options, [i, 'options'], counter));
    if (counter.chars > 4000) {
      issues.push({ path: [i], code: 'APPLICATION_COMMAND_TOO_LARGE', message: `Command exceeds maximum size (4000 characters, got ${counter.chars})` });
    }
  });
  return issues;
}

/** Discord's 50006 "Cannot send an empty message" rule for message-creating bodies. */
export function isEmptyMessage(body: unknown, fileCount = 0): boolean {
  if (fileCount > 0) return false;
  if (!isRecord(body)) return true;
  const nonEmpty = (v: unknown) => (Array.isArray(v) ? v.length > 0 : typeof v === 'string' ? v.length > 0 : v != null);
  return !['content', 'embeds', 'components', 'attachments', 'poll', 'sticker_ids'].some((k) => nonEmpty(body[k]));
}

export function formatIssue(issue: SchemaIssue): string {
  return `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message} [${issue.code}]`;
}

/** Discord's nested `errors` object for a 50035 Invalid Form Body response. */
export function toDiscordErrors(issues: SchemaIssue[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const issue of issues) {
    let node = root;
    for (const key of issue.path) {
      const next = node[String(key)];
      node = (isRecord(next) ? next : (node[String(key)] = {})) as Record<string, unknown>;
    }
    const list = Array.isArray(node._errors) ? node._errors : (node._errors = []);
    list.push({ code: issue.code, message: issue.message });
  }
  return root;
}

/** Errors as readable strings; empty when the body is valid. */
export const validateCallbackBody = (body: unknown): string[] => checkCallbackBody(body).map(formatIssue);
export const validateWebhookEdit = (body: unknown): string[] => checkWebhookEdit(body).map(formatIssue);
export const validateWebhookExecute = (body: unknown): string[] => checkWebhookExecute(body).map(formatIssue);
export const validateCommandsPut = (body: unknown): string[] => checkCommandsPut(body).map(formatIssue);

// Timing of an interaction's answer, shared by the gateway and the HTTP transport: answer directly
// when the dispatch is quick, otherwise acknowledge with a deferred response after `deferAfterMs`
// and deliver the final reply through the interaction webhook. Transports supply only the I/O.
import { randomUUID } from 'node:crypto';
import type { RawFile } from 'discord.js';
import {
  InteractionResponseType, InteractionType, MessageFlags,
  type APIInteraction, type APIInteractionResponse, type APIInteractionResponseCallbackData,
} from 'discord-api-types/v10';
import { localeOf, translate } from '../i18n/index.ts';
import { DISCORD_LIMITS } from '../interactions/limits.ts';
import { rawLocale } from '../interactions/payload.ts';
import { choices, message, type OutFile, type Reply } from '../interactions/reply.ts';
import { wellFormedDeep } from '../interactions/text.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';

/** Options every transport takes. */
export interface TransportOptions {
  /** Defer after this long (default DISCORD_LIMITS.deferAfterMs). */
  deferAfterMs?: number;
  /** Replaces app.dispatcher.dispatch, e.g. to wrap or slow it in tests and benchmarks. */
  dispatch?: (interaction: APIInteraction) => Promise<Reply>;
  /** Called after each interaction has been answered (or not), with the time taken. */
  onOutcome?: (interaction: APIInteraction, outcome: Outcome, ms: number) => void;
  /** How long stop() waits for interactions in flight (default 15 s). */
  drainMs?: number;
  /** HTTP: dispatches running at once; later ones queue and are deferred at once (default DISPATCH_SLOTS). */
  dispatchSlots?: number;
  /** HTTP: no dispatch starts until this long after the last interaction arrived (default ARRIVAL_QUIET_MS). */
  arrivalQuietMs?: number;
  /** Counts interactions and refusals (GET /metrics on the HTTP endpoint). */
  metrics?: Metrics;
}

/** A message body for the webhook routes (PATCH @original, POST follow-up). */
export type WebhookBody = APIInteractionResponseCallbackData;

/** The I/O of one interaction; each call is one request to Discord (or the HTTP response). */
export interface Sender {
  /** The interaction's single initial response. */
  callback(body: APIInteractionResponse, files?: OutFile[]): Promise<void>;
  /** Edits the original response (PATCH /webhooks/{app}/{token}/messages/@original). */
  edit(body: WebhookBody, files?: OutFile[]): Promise<void>;
  /** Sends a follow-up message (POST /webhooks/{app}/{token}). */
  followup(body: WebhookBody, files?: OutFile[]): Promise<void>;
  /** Deletes the original response (DELETE /webhooks/{app}/{token}/messages/@original). */
  remove(): Promise<void>;
}

export interface RespondOptions {
  /** Defer when the dispatch has not finished this long after receipt. */
  deferAfterMs?: number;
  /** When the interaction arrived (epoch ms); Discord's deadline counts from then. Default: now. */
  receivedAt?: number;
  /** Autocomplete answers later than this are dropped (Discord would refuse them). */
  replyDeadlineMs?: number;
  log: Logger;
}

/** How the interaction was answered. */
export type Outcome = 'replied' | 'deferred' | 'dropped' | 'failed';

const TIMEOUT = Symbol('timeout');
type Settled = { reply: Reply } | { error: unknown };

/** The deferred response for an interaction type; undefined when it cannot be deferred. */
export function deferredResponse(type: InteractionType): APIInteractionResponse | undefined {
  switch (type) {
    case InteractionType.ApplicationCommand:
    case InteractionType.ModalSubmit:
      return { type: InteractionResponseType.DeferredChannelMessageWithSource };
    case InteractionType.MessageComponent:
      return { type: InteractionResponseType.DeferredMessageUpdate };
    default:
      return undefined;
  }
}

function about(i: APIInteraction): Record<string, unknown> {
  const name = 'data' in i && i.data && typeof i.data === 'object'
    ? ('name' in i.data ? i.data.name : 'custom_id' in i.data ? i.data.custom_id : undefined)
    : undefined;
  const cap = (v: unknown) => (typeof v === 'string' ? v.slice(0, 100) : typeof v === 'number' ? v : undefined);
  return { id: cap(i.id), type: cap(i.type), guild: cap(i.guild_id), name: cap(name) };
}

/** The generic apology in the interaction's language, with a reference for the logs. */
function internalError(i: APIInteraction, log: Logger, what: string, err: unknown): Reply {
  const ref = randomUUID().slice(0, 8);
  log.error(what, { ref, err, ...about(i) });
  if (i.type === InteractionType.ApplicationCommandAutocomplete) return choices([]);
  return message({ content: `⚠️ ${translate(localeOf(rawLocale(i)), 'error.internal', { ref })}`, ephemeral: true });
}

/** Answers one interaction with the reply of `dispatch`, deferring if it is slow. Never throws. */
export async function respond(interaction: APIInteraction, dispatch: () => Promise<Reply>, send: Sender, opts: RespondOptions): Promise<Outcome> {
  const { log } = opts;
  const deferAfterMs = opts.deferAfterMs ?? DISCORD_LIMITS.deferAfterMs;
  const deadlineMs = opts.replyDeadlineMs ?? DISCORD_LIMITS.replyDeadlineMs;
  const started = opts.receivedAt ?? Date.now();
  const run = (): Promise<Settled> => Promise.resolve()
    .then(dispatch)
    .then((reply) => ({ reply }), (error: unknown) => ({ error }));
  // Whatever a command echoed, Discord gets valid text: no half of a surrogate pair anywhere.
  const toReply = (s: Settled): Reply => ('reply' in s ? { ...s.reply, body: wellFormedDeep(s.reply.body) } : internalError(interaction, log, 'dispatch failed', s.error));

  const deferred = deferredResponse(interaction.type);
  if (deferred && deferAfterMs - (Date.now() - started) <= 0) {
    // No time to wait (told to defer at once under load, or already past the budget): acknowledge
    // before any work starts, so the acknowledgement never waits behind it.
    log.debug('deferring at once', { ...about(interaction), afterMs: Date.now() - started });
    const acked = await sendOrLog(() => send.callback(deferred), log, 'deferred callback failed', interaction);
    const reply = toReply(await run());
    if (acked === 'failed') return 'failed';
    return deliverLate(interaction, deferred, reply, send, log);
  }
  const work = run();
  if (!deferred) {
    // Autocomplete (and anything else that cannot be deferred): answer in time or not at all.
    const reply = toReply(await work);
    const ms = Date.now() - started;
    if (ms > deadlineMs) {
      log.warn('answer too late, dropped', { ...about(interaction), ms });
      return 'dropped';
    }
    return sendOrLog(() => send.callback(reply.body, reply.files), log, 'interaction callback failed', interaction);
  }

  let timer: NodeJS.Timeout | undefined;
  const first = await Promise.race([
    work,
    new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), deferAfterMs - (Date.now() - started)))),
  ]);
  clearTimeout(timer);
  if (first !== TIMEOUT) {
    const reply = toReply(first);
    return sendOrLog(() => send.callback(reply.body, reply.files), log, 'interaction callback failed', interaction);
  }

  log.debug('deferring', { ...about(interaction), afterMs: Date.now() - started });
  const acked = await sendOrLog(() => send.callback(deferred), log, 'deferred callback failed', interaction);
  const reply = toReply(await work);
  if (acked === 'failed') return 'failed';
  const ms = Date.now() - started;
  const outcome = await deliverLate(interaction, deferred, reply, send, log);
  log.debug('deferred reply delivered', { ...about(interaction), ms, outcome });
  return outcome;
}

/** The final reply after a deferred response: an edit of @original, or a follow-up. */
async function deliverLate(i: APIInteraction, deferred: APIInteractionResponse, reply: Reply, send: Sender, log: Logger): Promise<Outcome> {
  const body = reply.body;
  const files = reply.files;
  const isMessage = body.type === InteractionResponseType.ChannelMessageWithSource || body.type === InteractionResponseType.UpdateMessage;
  if (!isMessage || !body.data) {
    // A modal (or nothing) cannot follow a deferral. A deferred message would "think" forever: replace it.
    if (deferred.type === InteractionResponseType.DeferredMessageUpdate) {
      log.warn('reply cannot follow a deferred update, dropped', { ...about(i), replyType: body.type });
      return 'dropped';
    }
    const fallback = internalError(i, log, 'reply cannot follow a deferred response', new Error(`reply type ${body.type}`));
    return deliverLate(i, deferred, fallback, send, log);
  }
  const { flags: _flags, ...edit } = body.data as WebhookBody;
  if (deferred.type === InteractionResponseType.DeferredMessageUpdate && body.type === InteractionResponseType.ChannelMessageWithSource) {
    // A component asked for a new message (e.g. "Find partners", "not yours"): a follow-up, flags kept.
    const outcome = await sendOrLog(() => send.followup(body.data as WebhookBody, files), log, 'follow-up failed', i);
    return outcome === 'replied' ? 'deferred' : outcome;
  }
  if ((Number(body.data.flags ?? 0) & MessageFlags.Ephemeral) !== 0) {
    // The deferral was public and an edit cannot make it private: replace it with an ephemeral
    // follow-up, so what was meant for one person (errors, exports, admin notes) stays private.
    const removed = await sendOrLog(() => send.remove(), log, 'delete of the deferred response failed', i);
    if (removed === 'replied') {
      const outcome = await sendOrLog(() => send.followup(body.data as WebhookBody, files), log, 'follow-up failed', i);
      return outcome === 'replied' ? 'deferred' : outcome;
    }
  }
  // An edit cannot change ephemerality (fixed by the deferred response), so flags are not sent.
  const outcome = await sendOrLog(() => send.edit(edit, files), log, 'edit of the original response failed', i);
  return outcome === 'replied' ? 'deferred' : outcome;
}

async function sendOrLog(fn: () => Promise<void>, log: Logger, what: string, i: APIInteraction): Promise<Outcome> {
  try {
    await fn();
    return 'replied';
  } catch (err) {
    log.error(what, { err, ...about(i) });
    return 'failed';
  }
}

export function toRawFiles(files: readonly OutFile[] | undefined): RawFile[] | undefined {
  if (!files?.length) return undefined;
  return files.map((f) => ({ name: f.name, data: f.data, ...(f.contentType ? { contentType: f.contentType } : {}) }));
}

/** Waits for the promises, or at most `ms`. */
export async function drain(pending: ReadonlySet<Promise<unknown>>, ms: number): Promise<boolean> {
  if (pending.size === 0) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const done = Promise.allSettled([...pending]).then(() => true);
  const result = await Promise.race([done, timeout]);
  clearTimeout(timer);
  return result;
}

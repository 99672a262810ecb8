// The HTTP interactions endpoint: Discord POSTs each interaction to /interactions, signed with the
// application's Ed25519 key. The signature is checked before the body is parsed; the reply goes
// back in the HTTP response, or, when the work is slow, a deferred response goes back and the
// final reply is delivered through the interaction webhook on DISCORD_API_URL.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REST } from 'discord.js';
import { restOutbox, restPermissions } from './outbox.ts';
import {
  InteractionResponseType, InteractionType, Routes,
  type APIApplicationCommandInteractionDataOption, type APIInteraction, type APIInteractionResponse,
} from 'discord-api-types/v10';
import type { App } from '../app.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { OptionReader } from '../interactions/options.ts';
import { IdSchema, TokenSchema } from '../interactions/payload.ts';
import { REPLAY_WINDOW_MS } from '../state/limits.ts';
import { createMetrics } from '../metrics.ts';
import { Limiter } from './limiter.ts';
import { throttledLog } from './noise.ts';
import { drain, respond, type Sender, type TransportOptions } from './respond.ts';
import { encodeBody, webhookClient } from './webhook.ts';

export { encodeBody } from './webhook.ts';

/**
 * Dispatches running at once in one process. Beyond that, interactions queue. Under load (another
 * dispatch already running) an interaction is acknowledged at once with a deferred response and the
 * answer follows by webhook: the 3 s budget is spent in the queue, not waiting for an acknowledgement.
 */
export const DISPATCH_SLOTS = 8;
/** With this many dispatches already running, a new (deferrable) interaction is acknowledged at once. */
export const DEFER_AT_ONCE_WHEN_RUNNING = 1;
/**
 * No dispatch starts until this long after the last interaction arrived (at most the limiter's 1 s):
 * a burst's requests arrive a few ms apart, and each dispatch holds the event loop for 10–30 ms, which
 * the acknowledgements of the rest would otherwise wait behind.
 */
export const ARRIVAL_QUIET_MS = 10;

/** Largest request body accepted (Discord's interactions are far smaller). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Signed timestamps further than this from our clock are refused (replay protection). */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
export const INTERACTIONS_PATH = '/interactions';
export const HEALTH_PATH = '/healthz';
export const METRICS_PATH = '/metrics';
/** /healthz answers from a check at most this old, so probes cannot hammer the store. */
const HEALTH_CACHE_MS = 1000;

/**
 * Slow or idle clients (slowloris) lose their socket quickly: headers within 5 s, the whole request
 * within 10 s, checked every second (Node's default check runs every 30 s); at most
 * MAX_CONNECTIONS sockets at once. Discord sends small requests over a fast link.
 */
export const SERVER_LIMITS = {
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  socketIdleMs: 15_000,
  checkIntervalMs: 1_000,
  maxConnections: 1_000,
} as const;

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32-byte raw key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function publicKeyFromHex(hex: string): KeyObject {
  const raw = Buffer.from(hex, 'hex');
  if (raw.length !== 32) throw new Error('DISCORD_PUBLIC_KEY must be 32 bytes (64 hex characters)');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

export type SignatureCheck = 'ok' | 'missing' | 'malformed' | 'stale' | 'invalid';

/** Checks Discord's X-Signature-Ed25519 over timestamp + raw body, and the timestamp's age. */
export function checkSignature(
  key: KeyObject, signature: string | undefined, timestamp: string | undefined, body: Buffer, now = Date.now(),
): SignatureCheck {
  if (!signature || !timestamp) return 'missing';
  if (!/^[0-9a-fA-F]{128}$/.test(signature) || !/^\d{1,15}$/.test(timestamp)) return 'malformed';
  const ok = verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signature, 'hex'));
  if (!ok) return 'invalid';
  if (Math.abs(now - Number(timestamp) * 1000) > MAX_CLOCK_SKEW_MS) return 'stale';
  return 'ok';
}

export interface HttpOptions extends TransportOptions {
  /** Overrides INTERACTIONS_PORT (0 = any free port). */
  port?: number;
  /** Overrides INTERACTIONS_HOST. */
  host?: string;
  /** Overrides SERVER_LIMITS (tests). */
  limits?: Partial<Record<keyof typeof SERVER_LIMITS, number>>;
}

export interface HttpHandle {
  server: Server;
  port: number;
  /** Interactions being answered right now. */
  inFlight(): number;
  /** Stops taking requests, waits for interactions in flight, closes the server. Does not close the app. */
  stop(): Promise<void>;
}

class TooLarge extends Error {}

/** The client went away (or was timed out) while sending: nothing to answer, no stack to log. */
function isAbort(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNABORTED' || (err as Error)?.message === 'aborted';
}

/** The body, by 'data' events (an async iterator costs several promises per request on the ack path). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = () => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total <= max) chunks.push(chunk);
      else {
        done();
        req.resume(); // the rest is discarded; the 413 closes the connection
        reject(new TooLarge());
      }
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    const onClose = () => {
      done();
      reject(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    };
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): Promise<void> {
  const text = JSON.stringify(body);
  return endResponse(res, status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), ...headers }, text);
}

function endResponse(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (res.headersSent || res.destroyed) {
      reject(new Error('the HTTP request was already answered or closed'));
      return;
    }
    res.writeHead(status, headers);
    res.end(body, () => resolve());
    res.once('error', reject);
  });
}

export async function startHttp(app: App, config: Config, log: Logger, opts: HttpOptions = {}): Promise<HttpHandle> {
  if (!config.DISCORD_PUBLIC_KEY) {
    throw new Error('The HTTP interactions endpoint needs DISCORD_PUBLIC_KEY (the application public key) to verify requests.');
  }
  const key = publicKeyFromHex(config.DISCORD_PUBLIC_KEY);
  // Webhook routes are authorised by the interaction token in the path: no bot token needed.
  const webhooks = webhookClient(config.DISCORD_API_URL, log);
  // Watch announcements need the bot token; without one, /watch says it is unavailable.
  if (config.DISCORD_TOKEN && !app.services.watcher.enabled) {
    const bot = new REST({ api: config.DISCORD_API_URL }).setToken(config.DISCORD_TOKEN);
    app.services.watcher.setNotifier(async (channel, body) => {
      await bot.post(Routes.channelMessages(channel), { body });
    });
    app.sweeper.setOutbox(restOutbox(bot));
    app.services.watcher.setOutbox(restOutbox(bot));
    app.sweeper.start();
  }
  if (config.DISCORD_TOKEN && !app.services.intros.enabled) {
    const bot = new REST({ api: config.DISCORD_API_URL }).setToken(config.DISCORD_TOKEN);
    app.services.intros.setOutbox(restOutbox(bot, { permissions: restPermissions(bot) }));
  }
  const dispatch = opts.dispatch ?? ((i: APIInteraction) => app.dispatcher.dispatch(i));
  const state = app.services.state;
  const noise = throttledLog(log);
  /** Requests read but not yet acknowledged or answered: queued dispatches wait for them (a while). */
  let intake = 0;
  /** Deferrable interactions on the direct path right now (at most one, see take()). */
  let direct = 0;
  /** When the last interaction arrived: while they keep arriving (a burst), acknowledgements come first. */
  let lastArrival = 0;
  const quietMs = opts.arrivalQuietMs ?? ARRIVAL_QUIET_MS;
  const limiter = new Limiter(opts.dispatchSlots ?? DISPATCH_SLOTS, () => (intake > 0 ? true : lastArrival + quietMs - Date.now()));
  const metrics = opts.metrics ?? createMetrics(app.dispatcher.commands.map((c) => c.data.name), () => app.services.matcher.indexedEntries());
  let lastHealth: { at: number; result: Promise<{ store: string; state: string }> } | undefined;
  /** Store and shared state reachable? */
  const health = () => {
    if (!lastHealth || Date.now() - lastHealth.at > HEALTH_CACHE_MS) {
      const check = async (what: 'store' | 'state', fn: () => Promise<unknown>) => {
        try {
          await fn();
          return 'ok';
        } catch (err) {
          metrics.storeError();
          noise.warn(`health-${what}`, `health check: ${what} unreachable`, { err: String(err) });
          return 'unreachable';
        }
      };
      const result = Promise.all([check('store', () => app.store.ping()), check('state', () => state.ping())])
        .then(([store, st]) => ({ store, state: st }));
      lastHealth = { at: Date.now(), result };
    }
    return lastHealth.result;
  };
  const pending = new Set<Promise<unknown>>();
  let accepting = true;
  let stopping: Promise<void> | undefined;

  const senderFor = (i: APIInteraction, res: ServerResponse): Sender => ({
    callback: async (body: APIInteractionResponse, files) => {
      const { contentType, data } = await encodeBody(body, files);
      await endResponse(res, 200, { 'Content-Type': contentType, 'Content-Length': String(data.length) }, data);
    },
    edit: (body, files) => webhooks.send('PATCH', Routes.webhookMessage(i.application_id, i.token, '@original'), body, files),
    followup: (body, files) => webhooks.send('POST', Routes.webhook(i.application_id, i.token), body, files),
    remove: () => webhooks.send('DELETE', Routes.webhookMessage(i.application_id, i.token, '@original')),
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const url = req.url ?? '/';
    // Discord's requests come as "/interactions": no URL object for them.
    const path = url === INTERACTIONS_PATH ? url : new URL(url, 'http://localhost').pathname;
    if (path === HEALTH_PATH || path === METRICS_PATH) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' }, { Allow: 'GET, HEAD' });
      if (path === METRICS_PATH) {
        const { contentType, body } = await metrics.text();
        return endResponse(res, 200, { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(body)) }, body);
      }
      const h = await health();
      const ok = accepting && h.store === 'ok' && h.state === 'ok';
      return sendJson(res, ok ? 200 : 503, { ok, accepting, ...h, inFlight: pending.size, pid: process.pid, worker: config.LIAISON_WORKER_INDEX ?? 0 });
    }
    if (path !== INTERACTIONS_PATH) return sendJson(res, 404, { error: 'not found' });
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed' }, { Allow: 'POST' });
    if (!accepting) return sendJson(res, 503, { error: 'shutting down' }, { Connection: 'close' });
    lastArrival = Date.now();
    intake++;
    let taken = false;
    const taking = () => {
      if (taken) return;
      taken = true;
      if (--intake === 0) limiter.wake();
    };
    try {
      await take(req, res, receivedAt, taking);
    } finally {
      taking();
    }
  }

  /** A POST to /interactions: checks, then the dispatch (taking() once it is acknowledged or under way). */
  async function take(req: IncomingMessage, res: ServerResponse, receivedAt: number, taking: () => void): Promise<void> {
    let isDirect = false;
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      return sendJson(res, 413, { error: 'body too large' }, { Connection: 'close' });
    }
    let raw: Buffer;
    try {
      raw = await readBody(req, MAX_BODY_BYTES);
    } catch (err) {
      if (err instanceof TooLarge) {
        metrics.refused('too_large');
        return sendJson(res, 413, { error: 'body too large' }, { Connection: 'close' });
      }
      if (isAbort(err) || req.destroyed) {
        metrics.refused('aborted');
        noise.warn('aborted', 'request aborted by the client', { remote: req.socket.remoteAddress, code: (err as { code?: string }).code });
        return;
      }
      throw err;
    }
    const check = checkSignature(key, header(req, 'x-signature-ed25519'), header(req, 'x-signature-timestamp'), raw);
    if (check !== 'ok') {
      metrics.refused('signature');
      noise.warn('signature', 'interaction refused: signature', { check, remote: req.socket.remoteAddress });
      return sendJson(res, 401, { error: 'invalid request signature' });
    }
    let interaction: APIInteraction;
    try {
      interaction = JSON.parse(raw.toString('utf8')) as APIInteraction;
    } catch {
      metrics.refused('malformed');
      return sendJson(res, 400, { error: 'invalid JSON' });
    }
    if (!interaction || typeof interaction !== 'object' || typeof interaction.type !== 'number') {
      metrics.refused('malformed');
      return sendJson(res, 400, { error: 'not an interaction' });
    }
    if (interaction.type === InteractionType.Ping) return sendJson(res, 200, { type: 1 });
    // What the transport itself reads (the webhook URL is built from these); the dispatcher checks the rest.
    if (!IdSchema.safeParse(interaction.id).success || !IdSchema.safeParse(interaction.application_id).success || !TokenSchema.safeParse(interaction.token).success) {
      metrics.refused('malformed');
      return sendJson(res, 400, { error: 'not an interaction' });
    }
    // A signed request stays valid for minutes: the same interaction id is answered once.
    let first: boolean;
    try {
      first = await state.claim(`replay:${interaction.id}`, REPLAY_WINDOW_MS);
    } catch (err) {
      metrics.refused('state_unreachable');
      metrics.storeError();
      noise.warn('state', 'shared state unreachable: interaction refused', { err: String(err), id: interaction.id });
      return sendJson(res, 503, { error: 'temporarily unavailable' });
    }
    if (!first) {
      metrics.refused('replay');
      noise.warn('replay', 'interaction refused: replayed id', { id: interaction.id, remote: req.socket.remoteAddress });
      return sendJson(res, 409, { error: 'interaction already received' });
    }
    // Under load, acknowledge at once: the 3 s budget runs from receipt, not from our turn. What
    // cannot be deferred (autocomplete, a form to open) skips the queue. Only one interaction at a time
    // takes the direct path (answered in the HTTP response once its work is done): requests whose
    // claims were answered together used to all see an idle queue, then each wait for its own work
    // before any acknowledgement (up to the 2 s deferral).
    const queue = mustAnswerDirectly(interaction) ? undefined : limiter;
    const atOnce = queue !== undefined && (queue.running >= DEFER_AT_ONCE_WHEN_RUNNING || queue.queued > 0 || direct > 0);
    if (!atOnce && queue) {
      direct++;
      isDirect = true;
    }
    const sender = senderFor(interaction, res);
    // Taken once acknowledged (deferred at once) or once its own dispatch may start.
    const callback: Sender['callback'] = atOnce ? (body, files) => sender.callback(body, files).finally(taking) : sender.callback;
    const task = respond(interaction, () => {
      if (!atOnce) taking();
      return queue ? queue.run(() => dispatch(interaction)) : dispatch(interaction);
    }, { ...sender, callback }, { deferAfterMs: atOnce ? 0 : opts.deferAfterMs, receivedAt, log });
    pending.add(task);
    try {
      const outcome = await task;
      metrics.interaction(interaction, outcome, Date.now() - receivedAt);
      opts.onOutcome?.(interaction, outcome, Date.now() - receivedAt);
      // Dropped (an autocomplete past Discord's deadline) or failed before answering: do not leave the
      // request hanging. Discord has stopped waiting; an empty answer says nothing went wrong here.
      if (!res.headersSent) {
        const empty = interaction.type === InteractionType.ApplicationCommandAutocomplete
          ? { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } }
          : { type: InteractionResponseType.DeferredChannelMessageWithSource };
        await sendJson(res, 200, empty).catch(() => undefined);
      }
    } finally {
      if (isDirect) direct--;
      pending.delete(task);
    }
  }

  const limits = { ...SERVER_LIMITS, ...opts.limits };
  const server = createServer({
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.checkIntervalMs,
  }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error('HTTP request failed', { err, method: req.method, url: req.url });
      if (!res.headersSent) void sendJson(res, 500, { error: 'internal error' }).catch(() => undefined);
      else res.destroy();
    });
  });
  server.maxConnections = limits.maxConnections;
  server.setTimeout(limits.socketIdleMs, (socket) => socket.destroy());

  const host = opts.host ?? config.INTERACTIONS_HOST;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? config.INTERACTIONS_PORT ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log.error('HTTP server error', { err }));
  const port = (server.address() as AddressInfo).port;
  log.info('HTTP interactions endpoint listening', { host, port, path: INTERACTIONS_PATH });

  return {
    server,
    port,
    inFlight: () => pending.size,
    stop() {
      return (stopping ??= (async () => {
        accepting = false;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const drained = await drain(pending, opts.drainMs ?? 15_000);
        if (!drained) log.warn('stopping with interactions still in flight', { count: pending.size });
        server.closeAllConnections();
        await closed;
        webhooks.close();
        log.info('HTTP endpoint stopped');
      })());
    },
  };
}

/**
 * Interactions whose answer cannot follow a deferral: autocomplete, and /… add or edit, which may
 * answer with a form (a modal must be the first response). An add that names its title, org and
 * description (read as the command reads them) never opens the form, so it can be deferred and
 * queued like any other write instead of running at once beside everything else.
 */
function mustAnswerDirectly(i: APIInteraction): boolean {
  if (i.type === InteractionType.ApplicationCommandAutocomplete) return true;
  if (i.type !== InteractionType.ApplicationCommand) return false;
  const sub = (i.data as { options?: { type?: number; name?: unknown }[] } | undefined)?.options?.[0];
  if (sub?.type !== 1 || (sub.name !== 'add' && sub.name !== 'edit')) return false;
  if (sub.name === 'edit') return true;
  try {
    const o = new OptionReader((i.data as { options?: APIApplicationCommandInteractionDataOption[] }).options);
    return !o.string('title') || !o.string('org') || !o.string('description');
  } catch {
    return true; // malformed options: the dispatcher says what is wrong, directly
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

// The gateway transport: a discord.js Client (intent Guilds only) receives INTERACTION_CREATE; the
// raw interaction JSON goes to the dispatcher, and the reply goes back over REST. Reconnects and
// RESUME are discord.js's job.
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { GatewayDispatchEvents, Routes, type APIInteraction } from 'discord-api-types/v10';
import type { App } from '../app.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { drain, respond, toRawFiles, type Sender, type TransportOptions } from './respond.ts';
import { cachePermissions, restOutbox } from './outbox.ts';

export interface GatewayHandle {
  client: Client;
  /** Interactions being answered right now. */
  inFlight(): number;
  /** Stops taking interactions, waits for those in flight, destroys the client. Does not close the app. */
  stop(): Promise<void>;
}

/**
 * Shards this process holds. SHARDS=auto asks Discord; SHARDS=N runs shards 0…N-1 of N. With
 * WORKERS>1, worker i holds the shards s with s mod WORKERS = i (with auto: worker 0 holds them all).
 * Undefined: this worker holds none.
 */
export function shardOptions(config: Pick<Config, 'SHARDS' | 'WORKERS' | 'LIAISON_WORKER_INDEX'>): { shards: 'auto' | number[]; shardCount?: number } | undefined {
  const index = config.LIAISON_WORKER_INDEX ?? 0;
  if (config.SHARDS === 'auto') return index === 0 ? { shards: 'auto' } : undefined;
  const mine = Array.from({ length: config.SHARDS }, (_, i) => i).filter((s) => s % config.WORKERS === index);
  return mine.length ? { shards: mine, shardCount: config.SHARDS } : undefined;
}

export async function startGateway(app: App, config: Config, log: Logger, opts: TransportOptions = {}): Promise<GatewayHandle> {
  if (!config.DISCORD_TOKEN) throw new Error('The gateway needs DISCORD_TOKEN (the bot token from the Developer Portal).');
  const shards = shardOptions(config);
  if (!shards) throw new Error('This worker holds no gateway shard (see WORKERS and SHARDS).');
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: config.DISCORD_API_URL },
    ...shards,
  });
  const dispatch = opts.dispatch ?? ((i: APIInteraction) => app.dispatcher.dispatch(i));
  const pending = new Set<Promise<unknown>>();
  let accepting = true;
  let stopping: Promise<void> | undefined;

  const senderFor = (i: APIInteraction): Sender => ({
    callback: async (body, files) => {
      await client.rest.post(Routes.interactionCallback(i.id, i.token), { body, files: toRawFiles(files), auth: false });
    },
    edit: async (body, files) => {
      await client.rest.patch(Routes.webhookMessage(i.application_id, i.token, '@original'), { body, files: toRawFiles(files), auth: false });
    },
    followup: async (body, files) => {
      await client.rest.post(Routes.webhook(i.application_id, i.token), { body, files: toRawFiles(files), auth: false });
    },
    remove: async () => {
      await client.rest.delete(Routes.webhookMessage(i.application_id, i.token, '@original'), { auth: false });
    },
  });

  client.ws.on(GatewayDispatchEvents.InteractionCreate, (raw: APIInteraction, shardId: number) => {
    if (!accepting) {
      log.warn('interaction ignored: shutting down', { id: raw.id, type: raw.type, shard: shardId });
      return;
    }
    const started = Date.now();
    const task = respond(raw, () => dispatch(raw), senderFor(raw), { deferAfterMs: opts.deferAfterMs, log })
      .then((outcome) => {
        opts.metrics?.interaction(raw, outcome, Date.now() - started);
        opts.onOutcome?.(raw, outcome, Date.now() - started);
      })
      .catch((err: unknown) => log.error('interaction handling crashed', { err, id: raw.id, shard: shardId }))
      .finally(() => pending.delete(task));
    pending.add(task);
  });

  client.on(Events.Error, (err) => log.error('discord.js client error', { err }));
  client.on(Events.Warn, (message) => log.warn('discord.js warning', { message }));
  client.on(Events.ShardDisconnect, (event, shard) => log.warn('gateway shard disconnected for good', { shard, code: event.code }));
  client.on(Events.ShardReconnecting, (shard) => log.info('gateway shard reconnecting', { shard }));
  client.on(Events.ShardResume, (shard, replayed) => log.info('gateway shard resumed', { shard, replayed }));
  client.on(Events.ShardError, (err, shard) => log.error('gateway shard error', { err, shard }));
  client.rest.on('rateLimited', (info) => log.warn('rate limited by Discord', { route: info.route, method: info.method, retryAfter: info.retryAfter, global: info.global }));

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(config.DISCORD_TOKEN);
    await ready;
  } catch (err) {
    await client.destroy().catch(() => undefined);
    throw err;
  }
  log.info('gateway ready', { user: client.user?.tag, guilds: client.guilds.cache.size, shards: client.ws.shards.size });
  // Build each guild's index now (in slices, in the background) rather than on its first /match.
  const warm = (guildId: string) =>
    void app.services.matcher.forGuild(app.services.directory.guild(guildId)).catch((err: unknown) => log.warn('index warm-up failed', { err, guild: guildId }));
  for (const id of client.guilds.cache.keys()) warm(id);
  client.on(Events.GuildCreate, (guild) => warm(guild.id));
  // Watch announcements are the bot's own messages, posted with its token.
  app.services.watcher.setNotifier(async (channel, body) => {
    await client.rest.post(Routes.channelMessages(channel), { body });
  });
  // Introductions: DMs, private threads and reminders, with the same token.
  const outbox = restOutbox(client.rest, { permissions: cachePermissions(client) });
  app.services.intros.setOutbox(outbox);
  app.sweeper.setOutbox(outbox);
  app.services.watcher.setOutbox(outbox);
  app.sweeper.start();

  return {
    client,
    inFlight: () => pending.size,
    stop() {
      return (stopping ??= (async () => {
        accepting = false;
        const drained = await drain(pending, opts.drainMs ?? 15_000);
        if (!drained) log.warn('stopping with interactions still in flight', { count: pending.size });
        app.services.intros.setOutbox(undefined);
        await client.destroy();
        log.info('gateway stopped');
      })());
    },
  };
}

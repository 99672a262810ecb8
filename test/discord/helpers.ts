import { expect } from 'vitest';
// Shared set-up for the transport tests: a fake Discord, a temp SQLite store seeded with the demo
// dataset, and the app wired to both.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InteractionResponseType, MessageFlags, type APIInteraction } from 'discord-api-types/v10';
import { createApp, type App } from '../../src/app.ts';
import { parseConfig, type Config } from '../../src/config.ts';
import { parseDatasetText } from '../../src/domain/dataset.ts';
import { createAttachmentFetcher } from '../../src/interactions/attachments.ts';
import type { Reply } from '../../src/interactions/reply.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { FakeDiscord, InteractionHandle, buildInteraction, type FakeDiscordOptions, type InteractionInit } from '../fake-discord/server.ts';
import { makeMessage } from '../fake-discord/fixtures.ts';

export const DEMO_TEXT = readFileSync(new URL('../../data/demo.json', import.meta.url), 'utf8');
export const SEED_ACTOR = { id: 'test', name: 'test seed' };
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface Env {
  fake: FakeDiscord;
  config: Config;
  app: App;
  log: Logger;
  /** Log lines at warn and above (errors are a test failure unless a test expects them). */
  logs: string[];
  cleanup(): Promise<void>;
}

/** Fake Discord + temp store with the demo data in the fake's guild. */
export async function setup(opts: { fake?: FakeDiscordOptions; env?: Record<string, string> } = {}): Promise<Env> {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-discord-'));
  const fake = await FakeDiscord.start(opts.fake);
  const config = parseConfig({
    STORE_URL: `sqlite://${join(dir, 'x.sqlite')}`,
    LOG_LEVEL: 'silent',
    DISCORD_TOKEN: fake.token,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiBase,
    ATTACHMENT_HOSTS: new URL(fake.baseUrl).host,
    SHARDS: '1',
    ...opts.env,
  });
  const logs: string[] = [];
  const log = createLogger('warn', (line) => logs.push(line));
  const app = await createApp(config, log, createAttachmentFetcher(config.ATTACHMENT_HOSTS));
  await app.services.directory.guild(fake.guildId).importDataset(parseDatasetText(DEMO_TEXT), 'merge', SEED_ACTOR);
  return {
    fake, config, app, log, logs,
    async cleanup() {
      await app.close();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A dispatcher wrapper whose delay a test can turn up to force the deferred path. */
export function slowable(app: App): { delayMs: number; dispatch(i: APIInteraction): Promise<Reply> } {
  const hook = {
    delayMs: 0,
    async dispatch(i: APIInteraction): Promise<Reply> {
      const delay = hook.delayMs;
      const reply = await app.dispatcher.dispatch(i);
      if (delay > 0) await sleep(delay);
      return reply;
    },
  };
  return hook;
}

/** Every message body the bot sent: type 4/7 callbacks, webhook edits and follow-ups. */
export function messageBodies(fake: FakeDiscord): { path: string; body: Record<string, unknown> }[] {
  const out: { path: string; body: Record<string, unknown> }[] = [];
  for (const r of fake.requests) {
    const body = r.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') continue;
    if (r.path.endsWith('/callback')) {
      const t = body.type;
      if (t === InteractionResponseType.ChannelMessageWithSource || t === InteractionResponseType.UpdateMessage) {
        out.push({ path: r.path, body: body.data as Record<string, unknown> });
      }
    } else if (r.path.startsWith('/webhooks/') && (r.method === 'PATCH' || r.method === 'POST')) {
      out.push({ path: r.path, body });
    }
  }
  return out;
}

/**
 * An interaction built like the fake's, registered with the fake as if Discord had received a
 * deferred answer over HTTP, so the webhook routes accept the bot's later PATCH / follow-up.
 */
export function httpInteraction(fake: FakeDiscord, init: InteractionInit, opts: { deferred?: boolean } = {}): { interaction: APIInteraction; handle: InteractionHandle } {
  const guild = init.guildId === null ? undefined : fake.guilds[0];
  const interaction = buildInteraction(init, {
    applicationId: fake.applicationId,
    bot: fake.bot,
    guild,
    findCommand: () => undefined,
  });
  const handle = new InteractionHandle(interaction, Date.now(), 3500, new Set());
  if (opts.deferred) {
    handle.callback = { type: InteractionResponseType.DeferredChannelMessageWithSource, data: undefined, files: [], at: Date.now() };
    handle.originalMessage = makeMessage({ channel_id: interaction.channel?.id ?? fake.channelId, author: fake.bot, application_id: fake.applicationId, flags: MessageFlags.Loading });
  }
  fake.interactions.set(interaction.id, handle);
  return { interaction, handle };
}

/** After each transport test: the fake saw no schema error and the app logged no error; logs are reset. */
export function expectCleanRun(env: { fake: FakeDiscord; logs: string[] }, extra: () => void = () => {}): void {
  try {
    extra();
    expect(env.fake.schemaErrors).toEqual([]);
    expect(env.logs.filter((l) => / ERROR /.test(l))).toEqual([]);
  } finally {
    env.fake.clearLogs();
    env.logs.length = 0;
  }
}

// The HTTP interactions endpoint: Ed25519 verification before parsing, PING, replies in the HTTP
// response (JSON or multipart), and the deferred path finishing with a PATCH to the fake Discord.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InteractionResponseType, InteractionType, MessageFlags, type APIEmbed, type APIInteraction } from 'discord-api-types/v10';
import { startHttp, MAX_BODY_BYTES, type HttpHandle } from '../../src/discord/http.ts';
import { en } from '../../src/i18n/en.ts';
import { chatInput } from '../fake-discord/server.ts';
import { validateCallbackBody, validateWebhookEdit } from '../fake-discord/schema.ts';
import { expectCleanRun, httpInteraction, setup, slowable, type Env } from './helpers.ts';

const DEFER_AFTER_MS = 600;
const SLOW_MS = 1000;

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  // The raw 32-byte key is the tail of the SPKI DER encoding.
  const hex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  return { hex, privateKey };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function signedHeaders(body: string | Buffer, key: KeyObject, timestamp = nowSeconds()): Record<string, string> {
  const ts = String(timestamp);
  const signature = sign(null, Buffer.concat([Buffer.from(ts), Buffer.from(body)]), key).toString('hex');
  return { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': ts };
}

describe('HTTP interactions endpoint', () => {
  const bot = keyPair();
  const stranger = keyPair();
  let env: Env;
  let http: HttpHandle;
  let hook: ReturnType<typeof slowable>;
  let url: string;

  const post = (body: string | Buffer, headers: Record<string, string>) => fetch(`${url}/interactions`, { method: 'POST', headers, body });
  const postSigned = (payload: unknown) => {
    const body = JSON.stringify(payload);
    return post(body, signedHeaders(body, bot.privateKey));
  };

  beforeAll(async () => {
    env = await setup({ env: { DISCORD_PUBLIC_KEY: bot.hex, DISCORD_TOKEN: '' } });
    hook = slowable(env.app);
    http = await startHttp(env.app, env.config, env.log, { port: 0, deferAfterMs: DEFER_AFTER_MS, dispatch: (i) => hook.dispatch(i) });
    url = `http://127.0.0.1:${http.port}`;
    // As a warm worker would be: the first /match must not pay for the index build on a loaded machine.
    await env.app.services.matcher.forGuild(env.app.services.directory.guild(env.fake.guildId));
  });

  afterEach(() => {
    hook.delayMs = 0;
    expectCleanRun(env);
  });

  afterAll(async () => {
    await http?.stop();
    await env?.cleanup();
  });

  it('GET /healthz is 200', async () => {
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
  });

  it('answers a signed PING with PONG', async () => {
    const res = await postSigned({ id: '1', application_id: env.fake.applicationId, type: InteractionType.Ping, token: 't', version: 1 });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ type: InteractionResponseType.Pong });
  });

  it('refuses bad signatures with 401 before parsing', async () => {
    const body = JSON.stringify({ type: InteractionType.Ping });
    const good = signedHeaders(body, bot.privateKey);
    const cases: [string, Promise<Response>][] = [
      ['tampered body', post(body.replace('1', '2'), good)],
      ['wrong key', post(body, signedHeaders(body, stranger.privateKey))],
      ['no headers', post(body, { 'content-type': 'application/json' })],
      ['no timestamp', post(body, { 'content-type': 'application/json', 'x-signature-ed25519': good['x-signature-ed25519']! })],
      ['no signature', post(body, { 'content-type': 'application/json', 'x-signature-timestamp': good['x-signature-timestamp']! })],
      ['garbage signature', post(body, { ...good, 'x-signature-ed25519': 'zz' })],
      ['stale timestamp', post(body, signedHeaders(body, bot.privateKey, nowSeconds() - 6 * 60))],
      ['future timestamp', post(body, signedHeaders(body, bot.privateKey, nowSeconds() + 6 * 60))],
      // Not JSON at all, but unsigned: still 401, because the signature is checked first.
      ['unsigned junk', post('{not json', { 'content-type': 'application/json' })],
    ];
    for (const [what, res] of cases) expect({ what, status: (await res).status }).toEqual({ what, status: 401 });
    expect((await post(body, good)).status).toBe(200);
  });

  it('refuses bodies over 1 MiB with 413, and signed non-JSON with 400', async () => {
    const big = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20);
    expect((await post(big, signedHeaders(big, bot.privateKey))).status).toBe(413);
    expect((await post('{not json', signedHeaders('{not json', bot.privateKey))).status).toBe(400);
  });

  it('only POST /interactions takes interactions', async () => {
    expect((await fetch(`${url}/interactions`)).status).toBe(405);
    expect((await fetch(`${url}/nope`, { method: 'POST' })).status).toBe(404);
  });

  it('answers a command in the HTTP response', async () => {
    const { interaction } = httpInteraction(env.fake, chatInput('search', { options: { query: '燃料电池' } }));
    const res = await postSigned(interaction);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as { type: number; data: { embeds: APIEmbed[]; allowed_mentions: unknown } };
    expect(validateCallbackBody(body)).toEqual([]);
    expect(body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(body.data.embeds[0]?.title).toContain('燃料电池');
    expect(body.data.allowed_mentions).toEqual({ parse: [] });
  });

  it('answers with files as multipart (payload_json + files[0])', async () => {
    const { interaction } = httpInteraction(env.fake, chatInput('export'));
    const res = await postSigned(interaction);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
    const form = await res.formData();
    const payload = JSON.parse(String(form.get('payload_json'))) as { type: number; data: { flags: number; attachments: { id: string; filename: string }[] } };
    expect(validateCallbackBody(payload)).toEqual([]);
    expect(payload.data.flags).toBe(MessageFlags.Ephemeral);
    const file = form.get('files[0]') as File;
    expect(file.name).toBe(payload.data.attachments[0]?.filename);
    const dataset = JSON.parse(await file.text()) as { version: number; needs: unknown[] };
    expect(dataset.version).toBe(1);
    expect(dataset.needs.length).toBeGreaterThan(0);
  });

  it('turns user errors into an ephemeral message', async () => {
    const { interaction } = httpInteraction(env.fake, chatInput('need', { subcommand: 'remove', options: { id: 'N-0001' }, permissions: '0' }));
    const body = (await (await postSigned(interaction)).json()) as { data: { content: string; flags: number } };
    expect(validateCallbackBody(body)).toEqual([]);
    expect(body.data.content).toContain(en['error.notCurator']);
    expect(body.data.flags).toBe(MessageFlags.Ephemeral);
  });

  it('defers a slow command in the HTTP response, then PATCHes the original message', async () => {
    hook.delayMs = SLOW_MS;
    const { interaction, handle } = httpInteraction(env.fake, chatInput('search', { options: { query: 'machine vision' } }), { deferred: true });
    const started = Date.now();
    const res = await postSigned(interaction);
    const body = (await res.json()) as { type: number };
    expect(Date.now() - started).toBeLessThan(SLOW_MS);
    expect(validateCallbackBody(body)).toEqual([]);
    expect(body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);

    const msg = await handle.original();
    expect(msg.embeds[0]?.title).toContain('machine vision');
    const patch = env.fake.requests.find((r) => r.method === 'PATCH' && r.path === `/webhooks/${env.fake.applicationId}/${interaction.token}/messages/@original`);
    expect(patch?.status).toBe(200);
    expect(validateWebhookEdit(patch?.body)).toEqual([]);
    expect((patch?.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [] });
  });

  it('a slow ephemeral reply with a file arrives as a private multipart follow-up', async () => {
    hook.delayMs = SLOW_MS;
    const { interaction, handle } = httpInteraction(env.fake, chatInput('export'), { deferred: true });
    const body = (await (await postSigned(interaction)).json()) as { type: number };
    expect(body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const msg = await handle.followup(0);
    expect(msg.attachments).toHaveLength(1);
    expect(msg.flags).toBe(MessageFlags.Ephemeral);
    expect(env.fake.requests.some((r) => r.method === 'DELETE' && r.path.includes('@original'))).toBe(true);
    const post = env.fake.requests.find((r) => r.method === 'POST' && r.path.includes('/webhooks/'));
    expect(post?.files).toHaveLength(1);
    expect(JSON.parse(post!.files[0]!.data.toString('utf8'))).toMatchObject({ version: 1 });
  });

  it('stop() lets an interaction in flight finish', async () => {
    hook.delayMs = SLOW_MS;
    const { interaction, handle } = httpInteraction(env.fake, chatInput('help'), { deferred: true });
    const body = (await (await postSigned(interaction as APIInteraction)).json()) as { type: number };
    expect(body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(http.inFlight()).toBe(1);
    await http.stop();
    expect(handle.followups).toHaveLength(1);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});

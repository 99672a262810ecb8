// The HTTP endpoint against an attacker with a valid signature (a replay) or a slow socket, and
// against malformed payload fields: 4xx or a user message, never a 500, never a second run.
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InteractionResponseType, InteractionType, MessageFlags, type APIInteraction } from 'discord-api-types/v10';
import { startHttp, type HttpHandle } from '../../src/discord/http.ts';
import { respond } from '../../src/discord/respond.ts';
import { en } from '../../src/i18n/en.ts';
import { zhCN } from '../../src/i18n/zh-CN.ts';
import { MAX_AUTOCOMPLETE_CHARS, OptionReader } from '../../src/interactions/options.ts';
import { message } from '../../src/interactions/reply.ts';
import { silentLogger } from '../../src/log.ts';
import { RATE_LIMITS } from '../../src/state/limits.ts';
import { autocomplete, chatInput } from '../fake-discord/server.ts';
import { expectCleanRun, httpInteraction, setup, sleep, type Env } from './helpers.ts';
import { signer } from './signing.ts';

const CURATOR = '32';

describe('HTTP endpoint hardening', () => {
  const bot = signer();
  let env: Env;
  let http: HttpHandle;
  let url: string;

  const postRaw = (body: string) => fetch(`${url}/interactions`, { method: 'POST', headers: bot.headers(body), body });
  const postSigned = (payload: unknown) => postRaw(JSON.stringify(payload));
  const content = async (res: Response) => ((await res.json()) as { data?: { content?: string; flags?: number } }).data;

  beforeAll(async () => {
    env = await setup({ env: { DISCORD_PUBLIC_KEY: bot.hex, DISCORD_TOKEN: '' } });
    http = await startHttp(env.app, env.config, env.log, { port: 0, limits: { headersTimeoutMs: 600, requestTimeoutMs: 1200, checkIntervalMs: 100 } });
    url = `http://127.0.0.1:${http.port}`;
  });
  afterEach(() => expectCleanRun(env));
  afterAll(async () => {
    await http?.stop();
    await env?.cleanup();
  });

  it('a replayed signed /need add runs once: the replays get 409 and add nothing', async () => {
    const dir = env.app.services.directory.guild(env.fake.guildId);
    const before = (await dir.counts()).need.open;
    const { interaction } = httpInteraction(env.fake, chatInput('need', {
      subcommand: 'add', permissions: CURATOR,
      options: { title: 'Replay probe: 配电网故障定位', org: 'Probe Co', description: 'Fault location on distribution feeders.' },
    }));
    const body = JSON.stringify(interaction);
    const first = await postRaw(body);
    expect(first.status).toBe(200);
    expect(((await first.json()) as { type: number }).type).toBe(InteractionResponseType.ChannelMessageWithSource);
    const replays = await Promise.all([postRaw(body), postRaw(body), postRaw(body)]);
    expect(replays.map((r) => r.status)).toEqual([409, 409, 409]);
    expect((await dir.counts()).need.open).toBe(before + 1);
    env.logs.length = 0; // the refusals are logged at warn
  });

  it('the same interaction id with a fresh signature is still a replay; a new id is not', async () => {
    const { interaction } = httpInteraction(env.fake, chatInput('help'));
    expect((await postSigned(interaction)).status).toBe(200);
    expect((await postSigned({ ...interaction, locale: 'zh-CN' })).status).toBe(409);
    const { interaction: other } = httpInteraction(env.fake, chatInput('help'));
    expect((await postSigned(other)).status).toBe(200);
    env.logs.length = 0;
  });

  it('malformed fields the transport reads are a 400', async () => {
    const { interaction } = httpInteraction(env.fake, chatInput('help'));
    const bad: Record<string, unknown>[] = [
      { ...interaction, id: { $gt: '' } },
      { ...interaction, id: '1'.repeat(200) },
      { ...interaction, token: '../../channels/1/messages' },
      { ...interaction, application_id: 7 },
      { ...interaction, type: 'two' },
    ];
    for (const b of bad) expect((await postSigned(b)).status).toBe(400);
  });

  it('malformed fields the dispatcher reads get a clear ephemeral message, never a 500', async () => {
    const base = () => httpInteraction(env.fake, chatInput('search', { options: { query: 'fuel cell' } })).interaction as unknown as Record<string, unknown>;
    const cases: [string, (i: Record<string, unknown>) => Record<string, unknown>][] = [
      ['locale', (i) => ({ ...i, locale: {} })],
      ['guild_id', (i) => ({ ...i, guild_id: ['x'] })],
      ['member', (i) => ({ ...i, member: { ...(i.member as object), permissions: 'lots' } })],
      ['member', (i) => ({ ...i, member: { ...(i.member as object), roles: 'admin' } })],
      ['data', (i) => ({ ...i, data: null })],
      ['data.options', (i) => ({ ...i, data: { ...(i.data as object), options: { query: 'x' } } })],
      ['data.options.0.value', (i) => ({ ...i, data: { ...(i.data as object), options: [{ name: 'query', type: 3, value: { toString: 1 } }] } })],
    ];
    for (const [field, mutate] of cases) {
      const res = await postSigned(mutate(base()));
      expect({ field, status: res.status }).toEqual({ field, status: 200 });
      const data = await content(res);
      expect(data?.flags).toBe(MessageFlags.Ephemeral);
      expect(data?.content).toContain(en['error.badInteraction'].replace('{field}', field).split('(')[0]!.trim());
      expect(data?.content).toContain(`field ${field}`);
    }
  });

  it('a component with a non-string custom_id or a modal with odd components is a message, not a crash', async () => {
    const base = httpInteraction(env.fake, chatInput('help')).interaction as unknown as Record<string, unknown>;
    const r1 = await postSigned({ ...base, type: InteractionType.MessageComponent, data: { custom_id: 5, component_type: 2 } });
    expect((await content(r1))?.content).toContain('data.custom_id');
    // Nested 30,000 deep: too deep even for JSON.stringify, so written by hand.
    const deep = '[' + '{"type":1,"components":['.repeat(30_000) + ']}'.repeat(30_000) + ']';
    const modal = JSON.stringify({ ...base, id: String(BigInt(String(base.id)) + 1n), type: InteractionType.ModalSubmit, data: { custom_id: 'need:add', components: [] } });
    const r2 = await postRaw(modal.replace('"components":[]', `"components":${deep}`));
    expect(r2.status).toBe(200);
    expect((await content(r2))?.flags).toBe(MessageFlags.Ephemeral);
  });

  it('autocomplete and options read a bounded, well-formed part of what was sent', async () => {
    const { interaction } = httpInteraction(env.fake, autocomplete('need', 'id', { subcommand: 'show', options: { id: '氢'.repeat(100_000) } }));
    const res = await postSigned(interaction);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { type: number }).type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    const opts = (v: string, focused = false) => new OptionReader([{ name: 'q', type: 3, value: v, ...(focused ? { focused: true } : {}) }] as never);
    expect(opts('氢'.repeat(100_000), true).focused()?.value).toHaveLength(MAX_AUTOCOMPLETE_CHARS);
    expect(opts('a'.repeat(100_000)).string('q')).toHaveLength(6000);
    expect(opts('x\uD83D').string('q')).toBe('x\uFFFD');
  });

  it('an echoed query never carries half an emoji', async () => {
    const query = 'fuel cell 🔋'.repeat(3) + '\uD83D';
    const { interaction } = httpInteraction(env.fake, chatInput('search', { options: { query } }));
    const text = JSON.stringify(await (await postSigned(interaction)).json());
    expect(text).not.toMatch(/\\ud83d(?!\\ud[c-f])/i);
    expect(text).toContain('🔋');
  });

  it('a user over the /search limit gets a localised message; another user is not limited', async () => {
    const user = { id: '100000000000000555', username: 'hasty' };
    let last: Response | undefined;
    for (let i = 0; i <= RATE_LIMITS.search; i++) {
      last = await postSigned(httpInteraction(env.fake, chatInput('search', { options: { query: '氢能' }, user, locale: 'zh-CN' as never })).interaction);
    }
    const limited = await content(last!);
    expect(limited?.flags).toBe(MessageFlags.Ephemeral);
    expect(limited?.content).toContain(String(zhCN['error.rateLimited']).split('：')[0]!.replace('{what}', '/search'));
    const other = await content(await postSigned(httpInteraction(env.fake, chatInput('search', { options: { query: '氢能' } })).interaction));
    expect(other?.content ?? '').not.toContain('⚠️');
  });

  it('/import: a second valid file within the cooldown is refused with the wait; an invalid one does not start it', async () => {
    const post = async (name: string, text: string) => {
      const file = env.fake.addAttachment(name, text);
      return content(await postSigned(httpInteraction(env.fake, chatInput('import', { options: { file }, permissions: CURATOR })).interaction));
    };
    const one = (id: string) => JSON.stringify({ version: 1, needs: [{ id, org: 'Cooldown Co', title: `Cooldown probe ${id}`, description: 'd' }], capabilities: [] });
    expect((await post('bad.json', '{"version": 1, "needs": [{}]}'))?.content).toContain('⚠️');
    expect((await post('a.json', one('N-0801')))?.content).toContain('✅');
    const second = await post('b.json', one('N-0802'));
    expect(second?.content).toContain(en['error.cooldown'].split('{command}')[0]!);
    expect(second?.content).toMatch(/\/import was used in this server moments ago; try again in \d+ s/);
    expect(await env.app.services.directory.guild(env.fake.guildId).get('need', 'N-0802')).toBeUndefined();
  });

  it('GET /metrics is Prometheus text: interactions by command and outcome, refusals, latency, index size', async () => {
    await postSigned(httpInteraction(env.fake, chatInput('search', { options: { query: 'fuel cell' } })).interaction);
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/liaison_interactions_total\{command="search",type="command",outcome="replied"\} [1-9]/);
    expect(text).toMatch(/liaison_interactions_total\{command="need",type="command",outcome="replied"\} [1-9]/);
    expect(text).toMatch(/liaison_http_refused_total\{reason="replay"\} [1-9]/);
    expect(text).toMatch(/liaison_http_refused_total\{reason="malformed"\} [1-9]/);
    expect(text).toMatch(/liaison_interaction_seconds_bucket\{le="0.1",command="search",type="command"\}/);
    expect(text).toMatch(/liaison_index_entries [1-9]/);
    expect(text).toMatch(/liaison_store_errors_total 0/);
    expect(text).toMatch(/process_resident_memory_bytes/);
    // A forged command name is counted as "other", never as a new label.
    expect(text).not.toMatch(/command="\.\.\//);
  });

  it('/healthz says whether the store and the shared state answer', async () => {
    await sleep(1100); // past the cached check
    const ok = (await (await fetch(`${url}/healthz`)).json()) as Record<string, unknown>;
    expect(ok).toMatchObject({ ok: true, store: 'ok', state: 'ok', accepting: true });
    const state = env.app.services.state;
    const ping = state.ping.bind(state);
    state.ping = async () => { throw new Error('connection refused'); };
    try {
      await sleep(1100);
      const res = await fetch(`${url}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ ok: false, store: 'ok', state: 'unreachable' });
      expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/liaison_store_errors_total 1/);
    } finally {
      state.ping = ping;
    }
    env.logs.length = 0;
  });

  it('a slow-headers client (slowloris) loses its socket within the headers timeout', async () => {
    const socket = connect(http.port, '127.0.0.1').on('error', () => {});
    await new Promise((r) => socket.once('connect', r));
    const started = Date.now();
    socket.write('POST /interactions HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => socket.write('X-a: b\r\n'), 100);
    await new Promise((r) => socket.once('close', r));
    clearInterval(drip);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a client that aborts its upload is logged once, briefly, with no stack', async () => {
    const socket = connect(http.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write('POST /interactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"type":');
    await sleep(100);
    socket.destroy();
    await sleep(200);
    expect(env.logs.join('\n')).not.toMatch(/stack|ERROR/);
    env.logs.length = 0;
  });
});

describe('deferral counts from receipt', () => {
  it('an interaction that waited in a queue past the budget is deferred at once', async () => {
    const sent: number[] = [];
    const sender = {
      callback: async (b: { type: number }) => void sent.push(b.type),
      edit: async () => {}, followup: async () => {}, remove: async () => {},
    };
    const interaction = { id: '1', type: InteractionType.ApplicationCommand, token: 't', application_id: '1', data: { name: 'x' } } as unknown as APIInteraction;
    const started = Date.now();
    await respond(interaction, async () => {
      await sleep(300);
      return message({ content: 'late' });
    }, sender as never, { log: silentLogger, deferAfterMs: 2000, receivedAt: Date.now() - 2500 });
    expect(sent[0]).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe('early deferral of writes under load', () => {
  const bot = signer();
  let env: Env;
  let http: HttpHandle;
  let release: () => void = () => {};

  beforeAll(async () => {
    env = await setup({ env: { DISCORD_PUBLIC_KEY: bot.hex, DISCORD_TOKEN: '' } });
    // The first /search holds its dispatch slot until released: the process is busy.
    const gate = new Promise<void>((r) => (release = r));
    let held = false;
    const dispatch = async (i: APIInteraction) => {
      if (!held && i.type === InteractionType.ApplicationCommand && i.data.name === 'search') {
        held = true;
        await gate;
      }
      return env.app.dispatcher.dispatch(i);
    };
    http = await startHttp(env.app, env.config, env.log, { port: 0, dispatch });
  });
  afterAll(async () => {
    release();
    await http?.stop();
    await env?.cleanup();
  });

  const post = async (init: Parameters<typeof httpInteraction>[1], deferred = false) => {
    // deferred: the fake takes the webhook calls (it does not see the HTTP response).
    const { interaction, handle } = httpInteraction(env.fake, init, { deferred });
    const body = JSON.stringify(interaction);
    const res = await fetch(`http://127.0.0.1:${http.port}/interactions`, { method: 'POST', headers: bot.headers(body), body });
    return { ...((await res.json()) as { type: number }), handle };
  };

  it('a complete /need add is acknowledged at once while another dispatch runs, and still added; one without its fields opens the form directly', async () => {
    const dir = env.app.services.directory.guild(env.fake.guildId);
    const before = (await dir.counts()).need.open;
    const busy = post(chatInput('search', { options: { query: 'machine vision' } }));
    await sleep(50);
    const full = await post(chatInput('need', {
      subcommand: 'add', permissions: CURATOR,
      options: { title: 'Deferred add: 氢能 储运', org: 'Busy Co', description: 'Hydrogen storage while the process is busy.' },
    }), true);
    expect(full.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const form = await post(chatInput('need', { subcommand: 'add', permissions: CURATOR, options: { title: 'Only a title', description: '   ' } }));
    expect(form.type).toBe(InteractionResponseType.Modal);
    release();
    await busy;
    for (let i = 0; i < 100 && (await dir.counts()).need.open === before; i++) await sleep(20);
    expect((await dir.counts()).need.open).toBe(before + 1);
    // The answer is ephemeral: the public deferral is deleted and a private follow-up carries it.
    const msg = await full.handle.followup(0);
    expect(msg.content).toContain('Deferred add');
    expect(msg.flags).toBe(MessageFlags.Ephemeral);
  });
});

describe('requests read together on an idle process', () => {
  const bot = signer();
  let env: Env;
  let http: HttpHandle;

  beforeAll(async () => {
    env = await setup({ env: { DISCORD_PUBLIC_KEY: bot.hex, DISCORD_TOKEN: '' } });
    // The replay claim answers late, as the primary process does under load with WORKERS>1.
    const state = env.app.services.state;
    const claim = state.claim.bind(state);
    state.claim = async (key, ttl) => {
      await sleep(50);
      return claim(key, ttl);
    };
    const dispatch = async (i: APIInteraction) => {
      await sleep(150);
      return env.app.dispatcher.dispatch(i);
    };
    http = await startHttp(env.app, env.config, env.log, { port: 0, dispatch });
  });
  afterEach(() => expectCleanRun(env));
  afterAll(async () => {
    await http?.stop();
    await env?.cleanup();
  });

  it('one is answered directly, the others are acknowledged at once instead of waiting for their turn', async () => {
    const sent = Array.from({ length: 8 }, () => httpInteraction(env.fake, chatInput('help'), { deferred: true }));
    const types = await Promise.all(sent.map(async ({ interaction }) => {
      const body = JSON.stringify(interaction);
      const res = await fetch(`http://127.0.0.1:${http.port}/interactions`, { method: 'POST', headers: bot.headers(body), body });
      return ((await res.json()) as { type: number }).type;
    }));
    expect(types.filter((t) => t === InteractionResponseType.ChannelMessageWithSource)).toHaveLength(1);
    expect(types.filter((t) => t === InteractionResponseType.DeferredChannelMessageWithSource)).toHaveLength(7);
    // Their (ephemeral) answers follow by webhook.
    await Promise.all(sent.filter((_, i) => types[i] === InteractionResponseType.DeferredChannelMessageWithSource).map(({ handle }) => handle.followup(0)));
  });
});

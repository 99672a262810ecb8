// Hostile input through the real HTTP endpoint, validly signed: 5,000 generated interactions (huge,
// control, zero-width, RTL-override, lone-surrogate and mention text; options of the wrong type;
// malformed payload fields) from a fixed seed. Expected: no HTTP 500, no internal error logged,
// every answer a body Discord accepts, and nothing a non-curator could not change has changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationCommandOptionType as T } from 'discord-api-types/v10';
import { startHttp, type HttpHandle } from '../../src/discord/http.ts';
import { autocomplete, button, chatInput, modalSubmit, stringSelect, type InteractionInit } from '../fake-discord/server.ts';
import { validateCallbackBody } from '../fake-discord/schema.ts';
import { httpInteraction, setup, sleep, type Env } from './helpers.ts';
import { signer } from './signing.ts';
import { mulberry32 as prng } from '../../src/numeric.ts';

const TOTAL = 5000;
const CURATOR_SHARE = 0.2; // the rest come from members who may not change the directory
const CONCURRENCY = 8;


function generator(seed: number) {
  const rnd = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <X>(xs: readonly X[]): X => xs[Math.floor(rnd() * xs.length)]!;
  const chance = (p: number) => rnd() < p;
  const words = ['燃料电池', 'fuel cell', '氢能', 'machine vision', '故障定位', 'MOF', 'N-0001', 'C-0003', 'power-grid', 'battery'];
  const word = () => pick(words);
  const text = (): string => pick([
    () => word(),
    // Long text is mostly past the query limit (refused before any ranking), so the run stays short.
    () => 'a'.repeat(chance(0.8) ? int(2001, 7000) : int(1, 300)),
    () => '氢'.repeat(chance(0.8) ? int(2001, 5000) : int(1, 300)),
    () => '\u0000\u0001\u0007\u001b[31m' + word() + '\r\n\t\u007f',
    () => '\u200b\u200c\u200d\ufeff' + word() + '\u2060\u00ad',
    () => '\u202e' + word() + '\u202d\u2066\u2069\u200f',
    () => word() + '\ud83d',
    () => '\udc00' + word() + '\ud800\ud800',
    () => '🔋👩‍🔬'.repeat(chance(0.8) ? int(700, 3000) : int(1, 50)),
    () => '@everyone @here <@123456789012345678> <@&123456789012345678> <#1> ' + word(),
    () => '%s%n${x}{{7*7}}<script>alert(1)</script>`` ' + word(),
    () => '',
    () => '   \n  ',
    () => `N-${int(0, 99999)}`,
    () => `C-${String(int(0, 30)).padStart(4, '0')}`,
    () => '../../etc/passwd\\x',
    () => word() + ' ' + word() + ' ' + word(),
    () => Array.from({ length: int(1, 40) }, () => String.fromCharCode(int(0, 0xffff))).join(''),
  ])();
  /** An option value: mostly text, sometimes the wrong type altogether. */
  const value = (): unknown => (chance(0.8) ? text() : pick([() => int(-1e9, 1e9), () => 1e308, () => -0.5, () => true, () => null, () => ({ a: 1 }), () => [text()], () => ({ toString: 'x' })])());
  const sector = () => (chance(0.5) ? pick(['power-grid', 'hydrogen', 'new-materials', 'biomedicine']) : text());
  const id = () => (chance(0.6) ? `${pick(['N', 'C'])}-${String(int(1, 40)).padStart(4, '0')}` : text());
  const type = () => pick(['need', 'capability']);
  const owner = () => (chance(0.5) ? '100000000000000001' : text().slice(0, 30));

  const inits: (() => InteractionInit)[] = [
    () => chatInput('search', { options: { query: text(), ...(chance(0.3) ? { type: text(), sector: sector() } : {}) } }),
    () => chatInput('match', { subcommand: 'text', options: { query: text(), ...(chance(0.3) ? { top: int(-5, 40) } : {}), ...(chance(0.2) ? { sector: sector() } : {}) } }),
    () => chatInput('match', { subcommand: type(), options: { id: id(), ...(chance(0.3) ? { top: int(-5, 40) } : {}) } }),
    () => chatInput(type(), { subcommand: pick(['show', 'remove', 'close', 'reopen']), options: { id: id() } }),
    () => chatInput(type(), { subcommand: 'list', options: { ...(chance(0.5) ? { sector: sector() } : {}), ...(chance(0.5) ? { status: text() } : {}) } }),
    () => chatInput(type(), { subcommand: 'add', options: { title: text(), org: text(), description: text(), ...(chance(0.5) ? { sectors: sector(), keywords: text(), region: text(), contact: text(), kind: text() } : {}) } }),
    () => chatInput(type(), { subcommand: 'edit', options: { id: id(), ...(chance(0.7) ? { title: text() } : {}), ...(chance(0.5) ? { description: text(), sectors: sector() } : {}) } }),
    () => chatInput('watch', { subcommand: pick(['need', 'capability', 'remove', 'list']), options: { id: id() } }),
    () => chatInput('config', { group: 'curator-role', subcommand: pick(['add', 'remove', 'list']), options: { role: chance(0.5) ? { type: T.Role, value: String(int(1, 1e9)) } : text() } }),
    () => chatInput(pick(['help', 'sectors', 'stats', 'audit', 'export']), { options: chance(0.3) ? { limit: int(-10, 1e6), 'include-closed': chance(0.5) } : {} }),
    () => chatInput('import', { options: { file: { id: '900000000000000001', filename: text().slice(0, 50), size: int(0, 1e9), url: chance(0.5) ? 'https://cdn.discordapp.com/x.json' : text(), proxy_url: 'x' }, mode: text() } }),
    () => autocomplete(pick(['need', 'capability', 'match', 'watch']), 'id', { subcommand: pick(['show', 'edit', 'need', 'capability', 'remove']), options: { id: text() } }),
    () => autocomplete(pick(['search', 'match']), pick(['query', 'sector', 'id']), { subcommand: 'text', options: { query: text() } }),
    () => button(pick([`${type()}:page:${owner()}:${int(-3, 999)}:${text().slice(0, 20)}`, `match:page:${owner()}:${int(0, 5)}:t:${text().slice(0, 20)}`, `${type()}:match:${id()}`, `${text().slice(0, 40)}:${text().slice(0, 40)}`].map((s) => s.slice(0, 100)))),
    () => stringSelect(pick(['match:open', 'search:open', `${type()}:open`, text().slice(0, 100) || 'x']), [text().slice(0, 100)]),
    () => modalSubmit(pick([`${type()}:add`, `${type()}:edit:${id()}`.slice(0, 100), (text().slice(0, 100) || 'x')]), Object.fromEntries(['title', 'org', 'description', 'sectors', 'keywords', 'region', 'contact', 'kind'].filter(() => chance(0.7)).map((f) => [f, text()]))),
  ];

  /** A payload field set to something Discord would never send. */
  const malform = (i: Record<string, unknown>): void => {
    const data = (i.data ?? {}) as Record<string, unknown>;
    pick([
      () => (i.locale = pick([{}, 5, null, 'x'.repeat(300), ['zh-CN']])),
      () => (i.guild_id = pick([null, 5, '', '../../x', 'g'.repeat(100), { id: '1' }])),
      () => (i.member = pick([null, 'admin', { permissions: 8 }, { permissions: '8', roles: 'x' }, { user: { id: {} }, permissions: '0', roles: [] }, { permissions: 'all', roles: [] }])),
      () => (i.user = pick([5, { id: null }, []])),
      () => (i.data = pick([null, 'data', [], { name: 5 }, { ...data, options: 'x' }, { ...data, options: [{ name: 'x'.repeat(100), type: 'string' }] }, { ...data, custom_id: 7 }, { ...data, components: {} }, { ...data, values: 'v' }])),
      () => (i.type = pick([0, 6, 99, -1, 2.5])),
      () => (i.channel_id = pick([null, 7, 'c'.repeat(99)])),
      () => (i.message = pick([null, 'm', { embeds: 'e' }, { embeds: [{ author: { name: 7 } }] }, { embeds: [{ author: { name: '🔎 ' + text() } }] }])),
      () => (i.attachment_size_limit = pick(['big', -1, null])),
      () => {
        // Options nested deeper than Discord ever does.
        let o: unknown[] = [{ name: 'query', type: 3, value: text() }];
        for (let d = 0; d < int(2, 50); d++) o = [{ name: 'sub', type: 1, options: o }];
        i.data = { ...data, options: o };
      },
    ])();
  };

  return {
    next(curator: boolean): InteractionInit & { malformed?: boolean } {
      const init = pick(inits)();
      const user = { id: String(100000000000000100n + BigInt(int(0, 400))), username: `fuzz${int(0, 400)}` };
      return { ...init, user, permissions: curator ? '32' : pick(['0', '0', '1024']), locale: pick(['en-US', 'zh-CN', 'fr', 'zh-TW']) as never };
    },
    malform,
    chance,
  };
}

describe('fuzz: hostile interactions through the signed HTTP endpoint', () => {
  const bot = signer();
  let env: Env;
  let http: HttpHandle;

  beforeAll(async () => {
    env = await setup({ env: { DISCORD_PUBLIC_KEY: bot.hex, DISCORD_TOKEN: '' } });
    http = await startHttp(env.app, env.config, env.log, { port: 0 });
  });
  afterAll(async () => {
    await http?.stop();
    await env?.cleanup();
  });

  it(`${TOTAL} generated interactions: no 500, no internal error, valid bodies, nothing changed by non-curators`, async () => {
    const dir = env.app.services.directory.guild(env.fake.guildId);
    const snapshot = async () => ({
      counts: await dir.counts(),
      audit: (await dir.auditLog(100_000)).length,
      config: await dir.getConfig(),
    });
    const gen = generator(20261206);
    const statuses = new Map<number, number>();
    const problems: string[] = [];
    const url = `http://127.0.0.1:${http.port}/interactions`;

    const runPhase = async (count: number, curator: boolean) => {
      let next = 0;
      const worker = async () => {
        while (next < count) {
          const n = next++;
          const init = gen.next(curator);
          // Registered as deferred, so a slow answer's webhook edit is accepted too.
          const { interaction } = httpInteraction(env.fake, init, { deferred: true });
          const payload = structuredClone(interaction) as unknown as Record<string, unknown>;
          if (gen.chance(0.25)) gen.malform(payload);
          const body = JSON.stringify(payload);
          const res = await fetch(url, { method: 'POST', headers: bot.headers(body), body });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const text = await res.text();
          const what = `#${n}${curator ? ' (curator)' : ''} ${body.slice(0, 300)}`;
          if (res.status >= 500) problems.push(`HTTP ${res.status}: ${what}`);
          if (/\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i.test(text)) problems.push(`lone surrogate in the answer: ${what}`);
          if (res.status === 200 && (res.headers.get('content-type') ?? '').startsWith('application/json')) {
            const errors = validateCallbackBody(JSON.parse(text));
            if (errors.length) problems.push(`invalid body (${JSON.stringify(errors).slice(0, 300)}): ${what}`);
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    };

    const before = await snapshot();
    await runPhase(Math.round(TOTAL * (1 - CURATOR_SHARE)), false);
    while (http.inFlight() > 0) await sleep(20);
    expect(await snapshot()).toEqual(before);

    await runPhase(Math.round(TOTAL * CURATOR_SHARE), true);
    while (http.inFlight() > 0) await sleep(20);

    const errorLogs = env.logs.filter((l) => / ERROR /.test(l));
    expect(problems.slice(0, 10)).toEqual([]);
    expect(errorLogs.slice(0, 5)).toEqual([]);
    expect(env.fake.schemaErrors.slice(0, 5)).toEqual([]);
    expect([...statuses.keys()].every((s) => s === 200 || s === 400)).toBe(true);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(TOTAL);
    // Curators' writes went through (the generator reaches the write paths) and the directory reads back.
    const after = await snapshot();
    expect(after.audit).toBeGreaterThan(before.audit);
    console.log(`fuzz: HTTP statuses ${JSON.stringify(Object.fromEntries(statuses))}; curator phase wrote ${after.audit - before.audit} audit records`);
  }, 240_000);
});


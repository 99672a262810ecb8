// Interaction latency through the real transports against the fake Discord on 127.0.0.1:
// gateway (fake sends INTERACTION_CREATE → discord.js → dispatcher → REST callback arrives at the
// fake) and HTTP (signed POST → verification → dispatcher → HTTP response). Sequential, so the
// figures are per-interaction latency, not throughput. Figures only; nothing here asserts.
//   npx tsx bench/interaction.ts [count]
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIInteraction } from 'discord-api-types/v10';
import { createApp } from '../src/app.ts';
import { parseConfig } from '../src/config.ts';
import { parseDatasetText } from '../src/domain/dataset.ts';
import { startGateway } from '../src/discord/gateway.ts';
import { startHttp } from '../src/discord/http.ts';
import { createAttachmentFetcher } from '../src/interactions/attachments.ts';
import { silentLogger } from '../src/log.ts';
import { FakeDiscord, buildInteraction, chatInput, type InteractionInit } from '../test/fake-discord/server.ts';

const QUERIES = ['燃料电池', 'machine vision inspection', '故障定位', '新材料 涂层', 'battery thermal runaway', '机器人 焊接', '氢能', 'partial discharge', '缺陷检测', 'AI 质检'];

function pct(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
const line = (label: string, xs: readonly number[]) =>
  `${label}: median ${pct(xs, 50).toFixed(2)} ms · p95 ${pct(xs, 95).toFixed(2)} ms · max ${Math.max(...xs).toFixed(2)} ms (n=${xs.length})`;

/** The i-th interaction of the mix: /search and /match need, alternating. */
function nth(i: number, needIds: readonly string[]): { kind: string; init: InteractionInit } {
  // Many users, as on a real server: one user would soon meet the per-user rate limits.
  const user = { id: String(200000000000000000n + BigInt(i % 97)), username: `bench${i % 97}` };
  if (i % 2 === 0) return { kind: '/search', init: chatInput('search', { user, options: { query: QUERIES[(i / 2) % QUERIES.length]! } }) };
  return { kind: '/match need', init: chatInput('match', { subcommand: 'need', user, options: { id: needIds[((i - 1) / 2) % needIds.length]! } }) };
}

/** Runs the benchmark and returns the report (also what `npx tsx bench/interaction.ts` prints). */
export async function benchInteractions(count = 300): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-bench-'));
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const fake = await FakeDiscord.start();
  const config = parseConfig({
    STORE_URL: `sqlite://${join(dir, 'bench.sqlite')}`,
    LOG_LEVEL: 'silent',
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiBase,
    DISCORD_PUBLIC_KEY: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex'),
    SHARDS: '1',
  });
  const app = await createApp(config, silentLogger, createAttachmentFetcher([]));
  const demo = parseDatasetText(readFileSync(new URL('../data/demo.json', import.meta.url), 'utf8'));
  await app.services.directory.guild(fake.guildId).importDataset(demo, 'merge', { id: 'bench', name: 'bench' });
  const needIds = demo.needs.map((n) => n.id);
  const gateway = await startGateway(app, config, silentLogger);
  const http = await startHttp(app, config, silentLogger, { port: 0 });
  const out: string[] = [`== interaction latency (${count} sequential, /search and /match need alternating; demo data) ==`];
  try {
    // ---- gateway: fake Discord → discord.js → dispatcher → POST callback back at the fake
    const gw: Record<string, number[]> = {};
    let deferred = 0;
    for (let i = -20; i < count; i++) {
      const { kind, init } = nth(i < 0 ? i + 20 : i, needIds);
      const t = performance.now();
      const h = await fake.dispatchInteraction(init);
      const r = await h.response();
      const ms = performance.now() - t;
      if (i < 0) continue; // warm-up: JIT, index build, connection pool
      if (r.type !== 4) deferred++;
      (gw[kind] ??= []).push(ms);
    }
    const all = Object.values(gw).flat();
    out.push(line('gateway  all        ', all) + (deferred ? ` · ${deferred} deferred` : ''));
    for (const [kind, xs] of Object.entries(gw)) out.push(line(`gateway  ${kind.padEnd(11)}`, xs));

    // ---- HTTP endpoint: signed POST → verify → dispatcher → HTTP response
    const url = `http://127.0.0.1:${http.port}/interactions`;
    const ctx = { applicationId: fake.applicationId, bot: fake.bot, guild: fake.guilds[0], findCommand: () => undefined };
    const hp: Record<string, number[]> = {};
    for (let i = -20; i < count; i++) {
      const { kind, init } = nth(i < 0 ? i + 20 : i, needIds);
      const body = JSON.stringify(buildInteraction(init, ctx) satisfies APIInteraction);
      const ts = String(Math.floor(Date.now() / 1000));
      const t = performance.now();
      const signature = sign(null, Buffer.concat([Buffer.from(ts), Buffer.from(body)]), privateKey).toString('hex');
      const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': ts } });
      await res.arrayBuffer();
      const ms = performance.now() - t;
      if (i < 0) continue;
      (hp[kind] ??= []).push(ms);
    }
    out.push(line('http     all        ', Object.values(hp).flat()));
    for (const [kind, xs] of Object.entries(hp)) out.push(line(`http     ${kind.padEnd(11)}`, xs));
    out.push(`(gateway: from the fake sending INTERACTION_CREATE to the callback reaching it; http: signing included; schema errors at the fake: ${fake.schemaErrors.length})`);
  } finally {
    await gateway.stop();
    await http.stop();
    await app.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const count = Number(process.argv[2] ?? 300);
  benchInteractions(Number.isInteger(count) && count > 0 ? count : 300).then(
    (report) => process.stdout.write(report + '\n'),
    (err: unknown) => {
      process.stderr.write(`interaction benchmark failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

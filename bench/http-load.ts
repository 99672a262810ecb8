// The HTTP interactions endpoint under load, as deployed: `src/main.ts` with WORKERS=2 in its own
// processes (node:cluster), a 1,000-entry directory on SQLite, signed requests from many users, and
// the fake Discord on 127.0.0.1 taking the deferred replies. Figures only; nothing here asserts.
//   npx tsx bench/http-load.ts [burst-concurrency=200] [rate=100] [seconds=60]
// 1. Bursts: `concurrency` interactions at once (mixed /match need, /search, /need add), 3 rounds →
//    time to the HTTP response (p50/p95/max), errors, how many were deferred, and for the deferred
//    ones the time until their final reply reached Discord.
// 2. Sustained: `rate` interactions a second for `seconds` (open loop) → p50/p95/p99, errors, and
//    the RSS of the primary and workers before and after.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import type { APIInteraction } from 'discord-api-types/v10';
import { createApp } from '../src/app.ts';
import { parseConfig } from '../src/config.ts';
import { createAttachmentFetcher } from '../src/interactions/attachments.ts';
import { silentLogger } from '../src/log.ts';
import { chatInput, FakeDiscord, type InteractionInit } from '../test/fake-discord/server.ts';
import { httpInteraction } from '../test/discord/helpers.ts';
import { signer } from '../test/discord/signing.ts';
import { childEnv, MAIN, sqliteUrl, tempDir, TSX_LOADER } from '../test/support.ts';
import { generateCorpus } from './corpus.ts';

const QUERIES = ['燃料电池', 'machine vision inspection', '故障定位', '新材料 涂层', 'battery thermal runaway', '机器人 焊接', '氢能', 'partial discharge', '缺陷检测', 'AI 质检'];
const CURATOR = '32';

const pct = (xs: readonly number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const ms = (n: number) => `${n.toFixed(0)} ms`;
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

/** RSS (kB) of a process and its children, from /proc. */
function rssTree(pid: number): { pid: number; kb: number }[] {
  const kb = (p: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
  const children = (p: number): number[] => {
    try {
      return readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  return [pid, ...children(pid)].map((p) => ({ pid: p, kb: kb(p) }));
}

export async function benchHttpLoad(concurrency = 200, rate = 100, seconds = 60): Promise<string> {
  const tmp = tempDir('liaison-http-load-');
  const fake = await FakeDiscord.start();
  const bot = signer();
  const out: string[] = [`== HTTP endpoint under load (WORKERS=2, 1,000 entries on SQLite, signed requests, fake Discord) ==`];
  // Seed the directory before the server starts.
  const corpus = generateCorpus(1000);
  const seedApp = await createApp(parseConfig({ STORE_URL: sqliteUrl(tmp.dir), LOG_LEVEL: 'silent' }), silentLogger, createAttachmentFetcher([]));
  await seedApp.services.directory.guild(fake.guildId).importDataset(corpus, 'merge', { id: 'bench', name: 'bench' });
  await seedApp.close();
  const needIds = corpus.needs.map((n) => n.id);

  const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN], {
    cwd: tmp.dir,
    env: childEnv({
      WORKERS: '2', INTERACTIONS_PORT: '0', DISCORD_PUBLIC_KEY: bot.hex, DISCORD_API_URL: fake.apiBase,
      STORE_URL: sqliteUrl(tmp.dir), STATE_URL: 'memory:', LOG_LEVEL: 'info',
    }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    const port = await waitForPort(child.pid!, () => stderr);
    let n = 0;
    const next = (): InteractionInit => {
      const i = n++;
      const user = { id: String(300000000000000000n + BigInt(i % 1000)), username: `load${i % 1000}` };
      switch (i % 3) {
        case 0: return chatInput('match', { subcommand: 'need', user, options: { id: needIds[i % needIds.length]! } });
        case 1: return chatInput('search', { user, options: { query: QUERIES[i % QUERIES.length]! } });
        default: return chatInput('need', { subcommand: 'add', user, permissions: CURATOR, options: { title: `Load test need ${i}: 燃料电池 cold start`, org: `Load Co ${i % 50}`, description: 'Cold start of a PEM fuel cell stack below −30 °C takes too long.' } });
      }
    };
    const send = async (): Promise<{ ms: number; ok: boolean; deferred: boolean; token: string; sentAt: number }> => {
      const { interaction } = httpInteraction(fake, next());
      const body = JSON.stringify(interaction satisfies APIInteraction);
      const sentAt = Date.now();
      const t = performance.now();
      try {
        const res = await post(port, body, bot.headers(body), agent);
        const type = res.status === 200 ? (JSON.parse(res.text) as { type: number }).type : 0;
        return { ms: performance.now() - t, ok: res.status === 200, deferred: type === 5, token: interaction.token, sentAt };
      } catch {
        return { ms: performance.now() - t, ok: false, deferred: false, token: interaction.token, sentAt };
      }
    };
    const finalAt = (token: string) => fake.requests.find((r) => r.method === 'PATCH' && r.path.includes(`/${token}/`))?.at;

    // Warm-up: JIT, index build in both workers, connections.
    for (let i = 0; i < 60; i++) await send();

    // ---- 1. bursts
    const burst: Awaited<ReturnType<typeof send>>[] = [];
    for (let round = 0; round < 3; round++) {
      burst.push(...(await Promise.all(Array.from({ length: concurrency }, send))));
      await sleep(500);
    }
    await sleep(1000);
    const lat = burst.map((r) => r.ms);
    const deferred = burst.filter((r) => r.deferred);
    const finals = deferred.map((r) => (finalAt(r.token) ?? NaN) - r.sentAt).filter((x) => !Number.isNaN(x));
    out.push(`burst ${concurrency} concurrent ×3 (${burst.length} requests): HTTP response p50 ${ms(pct(lat, 50))} · p95 ${ms(pct(lat, 95))} · max ${ms(Math.max(...lat))} · errors ${burst.filter((r) => !r.ok).length} · deferred ${deferred.length}` +
      (deferred.length ? ` (final reply p95 ${ms(pct(finals, 95))}, missing ${deferred.length - finals.length})` : ''));

    // ---- 2. sustained rate
    const before = rssTree(child.pid!);
    const sustained: Promise<Awaited<ReturnType<typeof send>>>[] = [];
    const start = performance.now();
    const total = rate * seconds;
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      sustained.push(send());
    }
    const results = await Promise.all(sustained);
    const elapsed = (performance.now() - start) / 1000;
    await sleep(1000);
    const after = rssTree(child.pid!);
    const sl = results.map((r) => r.ms);
    const sdef = results.filter((r) => r.deferred);
    out.push(`sustained ${rate}/s for ${seconds} s (${results.length} requests in ${elapsed.toFixed(1)} s): p50 ${ms(pct(sl, 50))} · p95 ${ms(pct(sl, 95))} · p99 ${ms(pct(sl, 99))} · max ${ms(Math.max(...sl))} · errors ${results.filter((r) => !r.ok).length} · deferred ${sdef.length}`);
    const fmt = (xs: { pid: number; kb: number }[]) => xs.map((x, i) => `${i === 0 ? 'primary' : `worker ${i}`} ${mb(x.kb)}`).join(', ');
    out.push(`RSS before: ${fmt(before)} · after: ${fmt(after)}`);
    const errs = stderr.split('\n').filter((l) => / ERROR /.test(l));
    if (errs.length) out.push(`server errors logged: ${errs.length} (first: ${errs[0]!.slice(0, 200)})`);
    return out.join('\n');
  } finally {
    agent.destroy();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await fake.close();
    tmp.cleanup();
  }
}

function post(port: number, body: string, headers: Record<string, string>, agent: Agent): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/interactions', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));

async function waitForPort(_pid: number, stderr: () => string): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ports = [...stderr().matchAll(/"port":(\d+)/g)].map((m) => Number(m[1]));
    if (ports.length >= 2) return ports[0]!;
    if (Date.now() > deadline) throw new Error(`server not ready:\n${stderr()}`);
    await sleep(100);
  }
}

if (process.argv[1] && join(process.argv[1]) === join(new URL(import.meta.url).pathname)) {
  const [c, r, s] = process.argv.slice(2).map(Number);
  process.stdout.write((await benchHttpLoad(c || 200, r || 100, s || 60)) + '\n');
}

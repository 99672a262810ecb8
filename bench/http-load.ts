// The HTTP interactions endpoint under load, as deployed: `src/main.ts` with WORKERS=2 in its own
// processes (node:cluster), a 1,000-entry directory on SQLite, signed requests from many users, and a
// minimal webhook sink (its own process) taking the deferred replies. Requests are built and signed
// before the clock starts. Figures only; nothing here asserts.
//   npx tsx bench/http-load.ts [burst-concurrency=200] [rate=100] [seconds=60] [--reads-only]
// 1. Bursts: `concurrency` interactions at once (/match need, /search, /need add in turn), 3 rounds
//    → time to the HTTP response (p50/p95/max), errors, how many were deferred, and for those the
//    time until their final reply reached the sink.
// 2. Sustained: `rate` interactions a second for `seconds` (open loop) → p50/p95/p99, errors, and
//    the RSS of the primary and the workers before and after.
// 0. First, CPU time per interaction by kind, per process (primary, workers), at a modest rate: on a
//    shared, loaded machine wall-clock latency says more about the neighbours than about this code,
//    CPU time does not. `--cpu-only` stops after it; LIAISON_BENCH_MAIN=<path to src/main.ts> runs
//    another checkout (side by side with this one: run both at once, compare the ratios).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { APIInteraction } from 'discord-api-types/v10';
import { createApp } from '../src/app.ts';
import { parseConfig } from '../src/config.ts';
import { createAttachmentFetcher } from '../src/interactions/attachments.ts';
import { silentLogger } from '../src/log.ts';
import { autocomplete, buildInteraction, chatInput, FakeDiscord, type InteractionInit } from '../test/fake-discord/server.ts';
import { signer } from '../test/discord/signing.ts';
import { childEnv, MAIN, sqliteUrl, tempDir, TSX_LOADER } from '../test/support.ts';
import { generateCorpus } from './corpus.ts';

const QUERIES = ['燃料电池', 'machine vision inspection', '故障定位', '新材料 涂层', 'battery thermal runaway', '机器人 焊接', '氢能', 'partial discharge', '缺陷检测', 'AI 质检'];
const KINDS = ['/match need', '/search', '/need add', 'autocomplete', 'no-op', '/help'] as const;
/** The CPU phase's order: /need add last, since it grows the directory the others read. */
const CPU_KINDS: readonly Kind[] = ['no-op', '/help', 'autocomplete', '/search', '/match need', '/need add'];
type Kind = (typeof KINDS)[number];
/** Interactions of each kind in the CPU phase, and their rate. */
const CPU_SAMPLE = 240;
const CPU_RATE = 40;
const CLOCK_TICK_MS = 10; // USER_HZ = 100 on Linux
const CURATOR = '32';

/** Takes Discord's webhook calls (edit @original, follow-up, delete) and remembers when each token's first came. */
const SINK = `
const seen = new Map();
require('node:http').createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/log') { res.end(JSON.stringify(Object.fromEntries(seen))); return; }
  const m = /\\/webhooks\\/[^/]+\\/([^/?]+)/.exec(req.url);
  if (m && !seen.has(m[1]) && req.method !== 'DELETE') seen.set(m[1], Date.now());
  req.resume().on('end', () => {
    if (req.method === 'DELETE') { res.writeHead(204).end(); return; }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"1","channel_id":"1","content":"","embeds":[],"attachments":[]}');
  });
}).listen(0, '127.0.0.1', function () { console.log(this.address().port); });
`;

const pct = (xs: readonly number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const ms = (n: number) => `${n.toFixed(0)} ms`;
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));
const sumOf = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** A process and its children (the cluster's workers). */
function tree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch { /* no children */ }
  return [pid, ...children];
}

/** RSS (kB) of a process and its children, from /proc. */
function rssTree(pid: number): number[] {
  const kb = (p: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
  return tree(pid).map(kb);
}

/** CPU ms per interaction between two cpuTree() readings: total, then per process. */
function cpuPer(before: readonly number[], after: readonly number[], n: number): string {
  const per = after.map((c, j) => (c - (before[j] ?? 0)) / n);
  return `${sumOf(per).toFixed(2)} ms (${per.map((x, j) => `${j === 0 ? 'primary' : `worker ${j}`} ${x.toFixed(2)}`).join(' · ')})`;
}

/** CPU time (ms, user + system) of a process and its children, from /proc/<pid>/stat. */
function cpuTree(pid: number): number[] {
  return tree(pid).map((p) => {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * CLOCK_TICK_MS;
  });
}

function firstLine(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} not ready:\n${text}`)), 60_000);
    const onData = (d: Buffer) => {
      text += d.toString();
      const m = pattern.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
}

interface Signed { kind: string; token: string; body: string; headers: Record<string, string> }
interface Result { kind: string; token: string; ms: number; ok: boolean; deferred: boolean; sentAt: number; error?: string }

export async function benchHttpLoad(concurrency = 200, rate = 100, seconds = 60, readsOnly = false, cpuOnly = false): Promise<string> {
  const tmp = tempDir('liaison-http-load-');
  const fake = await FakeDiscord.start(); // only for its guild, member and bot fixtures
  const bot = signer();
  const out = [`== HTTP endpoint under load (WORKERS=2, 1,000 entries on SQLite; ${readsOnly ? '/match need and /search' : '/match need, /search, /need add in turn'}; signed requests) ==`];
  const corpus = generateCorpus(1000);
  const seedApp = await createApp(parseConfig({ STORE_URL: sqliteUrl(tmp.dir), LOG_LEVEL: 'silent' }), silentLogger, createAttachmentFetcher([]));
  await seedApp.services.directory.guild(fake.guildId).importDataset(corpus, 'merge', { id: 'bench', name: 'bench' });
  await seedApp.close();
  const needIds = corpus.needs.map((n) => n.id);

  const sink = spawn(process.execPath, ['-e', SINK], { stdio: ['ignore', 'pipe', 'inherit'] });
  const sinkPort = Number((await firstLine(sink, /^(\d+)$/m, 'webhook sink'))[1]);
  // LIAISON_BENCH_NODE_ARGS: e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" (the workers inherit them).
  const nodeArgs = (process.env.LIAISON_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const server = spawn(process.execPath, [...nodeArgs, '--import', TSX_LOADER, process.env.LIAISON_BENCH_MAIN ?? MAIN], {
    cwd: tmp.dir,
    env: childEnv({
      WORKERS: '2', INTERACTIONS_PORT: '0', DISCORD_PUBLIC_KEY: bot.hex, DISCORD_API_URL: `http://127.0.0.1:${sinkPort}`,
      STORE_URL: sqliteUrl(tmp.dir), STATE_URL: 'memory:', LOG_LEVEL: 'info',
      // LIAISON_BENCH_ENV="A=1 B=2": more for the server (e.g. NODE_CLUSTER_SCHED_POLICY=none).
      ...Object.fromEntries((process.env.LIAISON_BENCH_ENV ?? '').split(' ').filter((kv) => kv.includes('=')).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
    }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  server.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  // Idle sockets are closed before the server's 5 s keep-alive timeout would: a request written to a
  // socket the server is closing meanwhile is a client/server race (ECONNRESET), not the endpoint's error.
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, timeout: 4000 });
  const ctx = { applicationId: fake.applicationId, bot: fake.bot, guild: fake.guilds[0], findCommand: () => undefined };
  let n = 0;
  const next = (only?: Kind): Signed => {
    const i = n++;
    const k = only ? KINDS.indexOf(only) : readsOnly ? i % 2 : i % 3;
    const user = { id: String(300000000000000000n + BigInt(i % 1000)), username: `load${i % 1000}` };
    const init: InteractionInit = k === 0
      ? chatInput('match', { subcommand: 'need', user, options: { id: needIds[i % needIds.length]! } })
      : k === 1
        ? chatInput('search', { user, options: { query: QUERIES[i % QUERIES.length]! } })
        : k === 2
          ? chatInput('need', { subcommand: 'add', user, permissions: CURATOR, options: { title: `Load test need ${i}: 燃料电池 cold start`, org: `Load Co ${i % 50}`, description: 'Cold start of a PEM fuel cell stack below −30 °C takes too long.' } })
          : k === 3
            ? autocomplete('match', 'id', { subcommand: 'need', user, options: { id: QUERIES[i % QUERIES.length]!.slice(0, 1 + (i % 4)) } })
            : k === 4
              ? chatInput('no-such-command', { user }) // a user message at once: the transport's own cost
              : chatInput('help', { user });
    const interaction = buildInteraction(init, ctx) satisfies APIInteraction;
    const body = JSON.stringify(interaction);
    return { kind: KINDS[k]!, token: interaction.token, body, headers: bot.headers(body) };
  };
  const send = async (s: Signed, port: number, conn: Agent | false = agent): Promise<Result> => {
    const sentAt = Date.now();
    const t = performance.now();
    try {
      const res = await post(port, s.body, s.headers, conn);
      const type = res.status === 200 ? (JSON.parse(res.text) as { type: number }).type : 0;
      return { kind: s.kind, token: s.token, ms: performance.now() - t, ok: res.status === 200, deferred: type === 5, sentAt, ...(res.status === 200 ? {} : { error: `HTTP ${res.status}` }) };
    } catch (err) {
      return { kind: s.kind, token: s.token, ms: performance.now() - t, ok: false, deferred: false, sentAt, error: (err as { code?: string }).code ?? (err as Error).message };
    }
  };
  const finals = async (rs: readonly Result[]) => {
    const seen = JSON.parse((await post(sinkPort, '', {}, false, 'GET', '/log')).text) as Record<string, number>;
    const deferred = rs.filter((r) => r.deferred);
    const times = deferred.map((r) => (seen[r.token] ?? NaN) - r.sentAt).filter((x) => !Number.isNaN(x));
    return { deferred: deferred.length, times, missing: deferred.length - times.length };
  };
  /** Errors by cause (HTTP status, or the client's error code / timeout). */
  const errors = (rs: readonly Result[]) => {
    const by = new Map<string, number>();
    for (const r of rs) if (r.error) by.set(r.error, (by.get(r.error) ?? 0) + 1);
    return by.size ? ` (${[...by].map(([k, v]) => `${v} ${k}`).join(', ')})` : '';
  };
  const perKind = (rs: readonly Result[]) => KINDS.filter((k) => rs.some((r) => r.kind === k)).map((k) => `${k} p95 ${ms(pct(rs.filter((r) => r.kind === k).map((r) => r.ms), 95))}`).join(' · ');

  try {
    const port = Number((await firstLine(server, /HTTP interactions endpoint listening .*"port":(\d+)[\s\S]*HTTP interactions endpoint listening/, 'server'))[1]);
    // Warm-up: JIT and the index in both workers (a new connection each, so both get some).
    for (let i = 0; i < 60; i++) await send(next(KINDS[i % KINDS.length]), port, false);

    // ---- 0. CPU per interaction, by kind (open loop at CPU_RATE/s; idle CPU over the same time subtracted)
    await sleep(3000); // the warm-up's deferred work and the other worker's index updates settle first
    const idle0 = cpuTree(server.pid!);
    const idleStart = performance.now();
    await sleep(3000);
    const idleRate = cpuTree(server.pid!).map((c, j) => (c - (idle0[j] ?? 0)) / ((performance.now() - idleStart) / 1000));
    const idleMsPerS = sumOf(idleRate);
    out.push(`CPU per interaction (ms of CPU time, user + system, from /proc; ${CPU_SAMPLE} of each kind at ${CPU_RATE}/s, ` +
      `idle ${idleMsPerS.toFixed(1)} ms/s subtracted; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}):`);
    // LIAISON_BENCH_KINDS="/help,/search": only those (e.g. to profile one kind).
    const only = process.env.LIAISON_BENCH_KINDS?.split(',');
    for (const kind of CPU_KINDS.filter((k) => (!readsOnly || k !== '/need add') && (!only || only.includes(k)))) {
      const batch = Array.from({ length: CPU_SAMPLE }, () => next(kind));
      const c0 = cpuTree(server.pid!);
      const t0 = performance.now();
      const pendingCpu: Promise<Result>[] = [];
      for (let i = 0; i < batch.length; i++) {
        const wait = t0 + (i * 1000) / CPU_RATE - performance.now();
        if (wait > 1) await sleep(wait);
        pendingCpu.push(send(batch[i]!, port));
      }
      const rs = await Promise.all(pendingCpu);
      // Deferred work goes on after the acknowledgement: wait for every final reply (or 30 s).
      for (let w = 0; w < 300 && (await finals(rs)).missing > 0; w++) await sleep(100);
      await sleep(200);
      const c1 = cpuTree(server.pid!);
      const secs = (performance.now() - t0) / 1000;
      const per = c1.map((c, j) => Math.max(0, c - (c0[j] ?? 0) - (idleRate[j] ?? 0) * secs) / batch.length);
      const cpu = per.map((x, j) => `${j === 0 ? 'primary' : `worker ${j}`} ${x.toFixed(2)}`).join(' · ');
      out.push(`  ${kind.padEnd(12)} ${sumOf(per).toFixed(2)} ms total (${cpu}) · errors ${rs.filter((r) => !r.ok).length}${errors(rs)} · deferred ${rs.filter((r) => r.deferred).length}`);
    }
    if (cpuOnly) return out.join('\n');

    // ---- 1. bursts
    const burst: Result[] = [];
    const rounds: number[][] = [];
    const burstCpu0 = cpuTree(server.pid!);
    // LIAISON_BENCH_BURST_KIND=no-op: the transport alone (signature, claim, acknowledgement), no ranking behind it.
    const burstKind = KINDS.find((k) => k === process.env.LIAISON_BENCH_BURST_KIND);
    for (let round = 0; round < 3; round++) {
      const batch = Array.from({ length: concurrency }, () => next(burstKind));
      const round = await Promise.all(batch.map((s) => send(s, port)));
      rounds.push(round.map((r) => r.ms));
      burst.push(...round);
      await sleep(1500);
    }
    const lat = burst.map((r) => r.ms);
    const bf = await finals(burst);
    const burstCpu = cpuPer(burstCpu0, cpuTree(server.pid!), burst.length);
    out.push(`burst: ${concurrency} at once ×3 (${burst.length} requests): HTTP response p50 ${ms(pct(lat, 50))} · p95 ${ms(pct(lat, 95))} · max ${ms(Math.max(...lat))} · errors ${burst.filter((r) => !r.ok).length}${errors(burst)} · deferred ${bf.deferred}` +
      (bf.deferred ? ` (final reply p95 ${ms(pct(bf.times, 95))}, missing ${bf.missing})` : ''));
    out.push(`  by command: ${perKind(burst)}`);
    out.push(`  by round: ${rounds.map((r, i) => `${i + 1}: p50 ${ms(pct(r, 50))} p95 ${ms(pct(r, 95))} max ${ms(Math.max(...r))}`).join(' · ')}`);
    out.push(`  CPU per interaction (pauses between rounds included): ${burstCpu}`);

    // ---- 2. sustained rate (requests signed ahead, sent open-loop on schedule)
    const total = rate * seconds;
    const signed = Array.from({ length: total }, () => next());
    const before = rssTree(server.pid!);
    const sustainedCpu0 = cpuTree(server.pid!);
    const pending: Promise<Result>[] = [];
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const wait = start + (i * 1000) / rate - performance.now();
      if (wait > 1) await sleep(wait);
      pending.push(send(signed[i]!, port));
    }
    const results = await Promise.all(pending);
    const elapsed = (performance.now() - start) / 1000;
    await sleep(1500);
    const after = rssTree(server.pid!);
    const sustainedCpu = cpuPer(sustainedCpu0, cpuTree(server.pid!), total);
    const sl = results.map((r) => r.ms);
    const sf = await finals(results);
    out.push(`sustained: ${rate}/s for ${seconds} s (${results.length} requests in ${elapsed.toFixed(1)} s): p50 ${ms(pct(sl, 50))} · p95 ${ms(pct(sl, 95))} · p99 ${ms(pct(sl, 99))} · max ${ms(Math.max(...sl))} · errors ${results.filter((r) => !r.ok).length}${errors(results)} · deferred ${sf.deferred}` +
      (sf.deferred ? ` (final reply p99 ${ms(pct(sf.times, 99))}, missing ${sf.missing})` : ''));
    out.push(`  by command: ${perKind(results)}`);
    out.push(`  CPU per interaction: ${sustainedCpu} (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
    const fmt = (xs: number[]) => xs.map((kb, i) => `${i === 0 ? 'primary' : `worker ${i}`} ${mb(kb)}`).join(', ');
    out.push(`RSS before: ${fmt(before)} · after: ${fmt(after)}`);
    const errs = stderr.split('\n').filter((l) => / ERROR /.test(l));
    if (errs.length) out.push(`server errors logged: ${errs.length} (first: ${errs[0]!.slice(0, 240)})`);
    return out.join('\n');
  } finally {
    agent.destroy();
    server.kill('SIGTERM');
    sink.kill();
    await new Promise((r) => server.once('exit', r));
    await fake.close();
    tmp.cleanup();
  }
}

function post(port: number, body: string, headers: Record<string, string>, agent: Agent | false, method = 'POST', path = '/interactions'): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

if (process.argv[1] && join(process.argv[1]) === join(new URL(import.meta.url).pathname)) {
  const args = process.argv.slice(2);
  const [c, r, s] = args.filter((a) => /^\d+$/.test(a)).map(Number);
  process.stdout.write((await benchHttpLoad(c || 200, r || 100, s || 60, args.includes('--reads-only'), args.includes('--cpu-only'))) + '\n');
}

// WORKERS=2: one port served by two processes, on SQLite with the memory state, or as the README
// deploys several workers: directory and shared state on PostgreSQL. A replay is caught whichever
// worker it reaches (the primary holds the memory state, or both share PostgreSQL), also a replayed
// /need add: one entry; /metrics sums both workers; SIGTERM stops everything with exit 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardOptions } from '../../src/discord/gateway.ts';
import { chatInput, FakeDiscord } from '../fake-discord/server.ts';
import { childEnv, MAIN, sqliteUrl, tempDir, TSX_LOADER } from '../support.ts';
import { httpInteraction } from './helpers.ts';
import { signer } from './signing.ts';
import { openStore } from '../../src/store/db.ts';
import { Directory } from '../../src/store/directory.ts';
import { ENGINES } from '../store/engines.ts';

/** One request on a fresh connection, so the cluster may hand it to either worker. */
function fresh(port: number, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent: false, headers: { ...headers, connection: 'close' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

for (const backend of ['memory', 'postgres'] as const) describe(`WORKERS=2 (node:cluster), STATE_URL ${backend}`, () => {
  const bot = signer();
  let db: { url: string; cleanup(): Promise<void> } | undefined;
  let storeUrl = '';
  const tmp = tempDir('liaison-cluster-');
  let fake: FakeDiscord;
  let child: ChildProcess;
  let stderr = '';
  let port = 0;
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  let skipped = false;
  beforeAll(async () => {
    if (backend === 'postgres') {
      const engine = ENGINES.find((e) => e.name === 'postgres');
      if (!engine) {
        skipped = true;
        return;
      }
      db = await engine.fresh();
    }
    storeUrl = db?.url ?? sqliteUrl(tmp.dir);
    fake = await FakeDiscord.start();
    child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN], {
      cwd: tmp.dir,
      env: childEnv({
        WORKERS: '2', INTERACTIONS_PORT: '0', DISCORD_PUBLIC_KEY: bot.hex, DISCORD_API_URL: fake.apiBase,
        STORE_URL: storeUrl, STATE_URL: db?.url ?? 'memory:', LOG_LEVEL: 'info',
      }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`workers not ready in time:\n${stderr}`)), 80_000);
      child.stderr!.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        const ports = [...stderr.matchAll(/HTTP interactions endpoint listening .*"port":(\d+)/g)].map((m) => Number(m[1]));
        if (ports.length === 2) {
          clearTimeout(timer);
          resolve(ports[0]!);
        }
      });
      void exited.then(() => reject(new Error(`exited early:\n${stderr}`)));
    });
  }, 90_000); // two workers starting on a loaded 2-core machine took over 40 s once (load 9)

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await fake?.close();
    await db?.cleanup();
    tmp.cleanup();
  });

  it('both workers listen on the one port and answer /healthz', async (t) => {
    if (skipped) return t.skip();
    expect([...stderr.matchAll(/HTTP interactions endpoint listening .*"port":(\d+)/g)].map((m) => Number(m[1]))).toEqual([port, port]);
    const pids = new Set<number>();
    for (let i = 0; i < 12 && pids.size < 2; i++) {
      const res = await fresh(port, 'GET', '/healthz');
      expect(res.status).toBe(200);
      const h = JSON.parse(res.text) as { ok: boolean; store: string; state: string; pid: number };
      expect(h).toMatchObject({ ok: true, store: 'ok', state: 'ok' });
      pids.add(h.pid);
    }
    expect(pids.size).toBe(2);
  });

  it('a replayed interaction is answered once across workers; /metrics sums both workers', async (t) => {
    if (skipped) return t.skip();
    const { interaction } = httpInteraction(fake, chatInput('help'));
    const body = JSON.stringify(interaction);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await fresh(port, 'POST', '/interactions', body, bot.headers(body))).status);
    expect(statuses.sort()).toEqual([200, 409, 409, 409, 409, 409]);
    for (let i = 0; i < 4; i++) {
      const b = JSON.stringify(httpInteraction(fake, chatInput('sectors')).interaction);
      expect((await fresh(port, 'POST', '/interactions', b, bot.headers(b))).status).toBe(200);
    }
    const metrics = (await fresh(port, 'GET', '/metrics')).text;
    expect(metrics).toMatch(/liaison_interactions_total\{command="help",type="command",outcome="replied"\} 1\b/);
    expect(metrics).toMatch(/liaison_interactions_total\{command="sectors",type="command",outcome="replied"\} 4\b/);
    expect(metrics).toMatch(/liaison_http_refused_total\{reason="replay"\} 5\b/);
    expect(metrics).toMatch(/liaison_interaction_seconds_bucket/);
  });

  it('a replayed signed /need add reaching either worker makes one entry', async (t) => {
    if (skipped) return t.skip();
    const title = `Replay across workers (${backend}): 氢燃料电池低温启动`;
    const { interaction } = httpInteraction(fake, chatInput('need', {
      subcommand: 'add', permissions: '32', options: { title, org: 'Probe Co', description: 'Cold start below −30 °C.' },
    }));
    const body = JSON.stringify(interaction);
    const statuses = await Promise.all(Array.from({ length: 6 }, () => fresh(port, 'POST', '/interactions', body, bot.headers(body)).then((r) => r.status)));
    expect(statuses.sort()).toEqual([200, 409, 409, 409, 409, 409]);
    const store = await openStore(storeUrl);
    const dir = new Directory(store, undefined, { pollMs: 0 });
    try {
      const made = (await dir.guild(fake.guildId).list('need')).filter((e) => e.title === title);
      expect(made).toHaveLength(1);
    } finally {
      await dir.close();
      await store.close();
    }
  });

  it('SIGTERM stops both workers cleanly and the primary exits 0', async (t) => {
    if (skipped) return t.skip();
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(stderr.match(/HTTP endpoint stopped/g)).toHaveLength(2);
    expect(stderr).toContain('all workers stopped');
    expect(stderr).not.toMatch(/ ERROR /);
  }, 40_000);
});

describe('gateway shards across workers', () => {
  it('SHARDS=N: worker i holds the shards s with s mod WORKERS = i; auto: worker 0 alone', () => {
    const of = (SHARDS: number | 'auto', WORKERS: number, i: number) => shardOptions({ SHARDS, WORKERS, LIAISON_WORKER_INDEX: i });
    expect([0, 1, 2].map((i) => of(5, 3, i))).toEqual([
      { shards: [0, 3], shardCount: 5 }, { shards: [1, 4], shardCount: 5 }, { shards: [2], shardCount: 5 },
    ]);
    expect(of(1, 2, 1)).toBeUndefined();
    expect(of('auto', 2, 0)).toEqual({ shards: 'auto' });
    expect(of('auto', 2, 1)).toBeUndefined();
    expect(shardOptions({ SHARDS: 2, WORKERS: 1 })).toEqual({ shards: [0, 1], shardCount: 2 });
  });
});

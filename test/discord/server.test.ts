// npm start with DISCORD_TOKEN and INTERACTIONS_PORT: both transports in one real process, serving
// the fake Discord, until SIGTERM ends it cleanly (exit code 0, store closed, nothing left open).
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InteractionResponseType, InteractionType } from 'discord-api-types/v10';
import { FakeDiscord, chatInput } from '../fake-discord/server.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('runServer in a real process', () => {
  let fake: FakeDiscord;
  let dir: string;
  let child: ChildProcess | undefined;
  let stderr = '';
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    dir = mkdtempSync(join(tmpdir(), 'liaison-server-'));
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the gateway and the HTTP endpoint, then exits 0 on SIGTERM', async () => {
    // node with tsx's loader, not the tsx CLI: the CLI relays SIGTERM and, if the child does not confirm it within
    // 30 ms (a loaded machine), SIGKILLs it and exits 143.
    const loader = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
    child = spawn(process.execPath, ['--import', loader, join(ROOT, 'src', 'main.ts')], {
      cwd: dir, // no .env of the checkout
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DISCORD_TOKEN: fake.token,
        DISCORD_API_URL: fake.apiBase,
        DISCORD_PUBLIC_KEY: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex'),
        INTERACTIONS_PORT: '0',
        STORE_URL: `sqlite://${join(dir, 'x.sqlite')}`,
        SHARDS: '1',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child!.on('exit', (code, signal) => resolve({ code, signal })));
    const port = await new Promise<number>((resolve, reject) => {
      // Under the 60 s test limit: on a loaded 2-core CI machine the spawn under tsx took over 20 s once (start-up speed is a bench's job).
      const timer = setTimeout(() => reject(new Error(`not ready in time:\n${stderr}`)), 50_000);
      child!.stderr!.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        const m = /HTTP interactions endpoint listening .*"port":(\d+)/.exec(stderr);
        if (m && stderr.includes('gateway ready')) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      void exited.then(() => reject(new Error(`exited early:\n${stderr}`)));
    });

    const h = await fake.dispatchInteraction(chatInput('help'));
    expect((await h.response()).type).toBe(InteractionResponseType.ChannelMessageWithSource);

    const body = JSON.stringify({ id: '1', application_id: fake.applicationId, type: InteractionType.Ping, token: 't', version: 1 });
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = sign(null, Buffer.from(ts + body), privateKey).toString('hex');
    const res = await fetch(`http://127.0.0.1:${port}/interactions`, {
      method: 'POST', body, headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': ts },
    });
    expect(await res.json()).toEqual({ type: InteractionResponseType.Pong });

    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(stderr).toMatch(/shutting down .*SIGTERM/);
    expect(stderr).toContain('gateway stopped');
    expect(stderr).toContain('HTTP endpoint stopped');
    expect(stderr).not.toMatch(/ ERROR /);
    expect(fake.schemaErrors).toEqual([]);
  });
});

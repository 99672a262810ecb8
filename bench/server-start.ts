// The HTTP endpoint's start: spawns `node dist/src/main.js` (what npm start runs) with INTERACTIONS_PORT=0
// on a SQLite file and, from the moment it logs its port, sends a signed PING every 10 ms for 3 s. Reports
// the time from the spawn to the port, to the first PING answered, and the longest a PING waited (while
// the matching data loads). Given several checkouts (each with dist/ built), runs them in turn, A B A B ….
//   node --import tsx bench/server-start.ts [--runs 5] [<checkout> …]   (default: this one)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signer } from '../test/discord/signing.ts';

const args = process.argv.slice(2);
const at = args.indexOf('--runs');
const runs = at >= 0 ? Number(args.splice(at, 2)[1]) : 5;
const roots = (args.length ? args : [fileURLToPath(new URL('..', import.meta.url))]).map((r) => resolve(r));
const tmp = mkdtempSync(join(tmpdir(), 'liaison-server-start-'));
const key = signer();
const PING = JSON.stringify({ type: 1, id: '1', application_id: '1', token: 't', version: 1 });

function ping(port: number): Promise<number> {
  const t0 = performance.now();
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path: '/interactions', method: 'POST', headers: key.headers(PING) }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? done(performance.now() - t0) : fail(new Error(`PING: HTTP ${res.statusCode}`))));
    });
    req.on('error', fail);
    req.end(PING);
  });
}

interface Start { portMs: number; firstPingMs: number; longestWaitMs: number }

function once(root: string, store: string): Promise<Start> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const c = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: root,
      env: { ...process.env, STORE_URL: `sqlite://${store}`, LOG_LEVEL: 'info', DISCORD_TOKEN: '', INTERACTIONS_PORT: '0', INTERACTIONS_HOST: '127.0.0.1', DISCORD_PUBLIC_KEY: key.hex, WORKERS: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    let started = false;
    c.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      const m = /endpoint listening.*"port":(\d+)/.exec(err);
      if (!m || started) return;
      started = true;
      const portMs = performance.now() - t0;
      const port = Number(m[1]);
      const waits: Promise<{ sent: number; ms: number }>[] = [];
      const timer = setInterval(() => {
        const sent = performance.now() - t0;
        waits.push(ping(port).then((ms) => ({ sent, ms })));
      }, 10);
      setTimeout(() => {
        clearInterval(timer);
        void Promise.all(waits).then((ws) => {
          c.kill('SIGTERM');
          const first = ws.reduce((a, w) => Math.min(a, w.sent + w.ms), Infinity);
          done({ portMs, firstPingMs: first, longestWaitMs: Math.max(...ws.map((w) => w.ms)) });
        }, fail);
      }, 3000);
    });
    c.on('error', fail);
    c.on('exit', (code) => {
      if (!started) fail(new Error(`${root}: exited (${code}) before listening:\n${err}`));
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const figures = roots.map((root) => ({ root, starts: [] as Start[] }));
try {
  for (const [i, root] of roots.entries()) await once(root, join(tmp, `s-${i}.sqlite`)); // migrates the store; not counted
  for (let r = 0; r < runs; r++) for (const [i, f] of figures.entries()) f.starts.push(await once(f.root, join(tmp, `s-${i}.sqlite`)));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
for (const f of figures) {
  const m = (k: keyof Start) => Math.round(median(f.starts.map((s) => s[k])));
  process.stdout.write(JSON.stringify({ root: f.root, runs, portMs: m('portMs'), firstPingMs: m('firstPingMs'), longestPingWaitMs: m('longestWaitMs') }) + '\n');
}

// Start-up to the first console reply: spawns `node dist/src/main.js` (what npm start runs) on a SQLite
// file holding the demo data, pipes one command in and times, from the spawn, the banner line and the
// first line of the reply. Given several checkouts (each with its dist/ built), runs them in turn, A B A B …,
// so that they see the same load, and gives the ratio to the first pair by pair. `--via npm` starts each
// through `npm start` instead (npm's own start-up included, as the README's quick start runs it).
//   node --import tsx bench/startup.ts [--runs 9] [--command '/help'] [--via node|npm] [<checkout> …]   (default: this one)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StartupFigures { root: string; bannerMs: number[]; replyMs: number[] }

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args.splice(i, 2)[1]! : dflt;
};
const runs = Number(opt('runs', '9'));
const command = opt('command', '/help');
const via = opt('via', 'node');
if (via !== 'node' && via !== 'npm') throw new Error(`--via ${via}: node or npm`);
const roots = (args.length ? args : [fileURLToPath(new URL('..', import.meta.url))]).map((r) => resolve(r));
const tmp = mkdtempSync(join(tmpdir(), 'liaison-startup-'));

/** One start: ms from the spawn to the banner and to the first line of the reply. */
function once(root: string, store: string): Promise<{ banner: number; reply: number }> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const c = spawn(via === 'npm' ? 'npm' : process.execPath, via === 'npm' ? ['start', '--silent'] : ['dist/src/main.js'], {
      cwd: root, env: { ...process.env, STORE_URL: `sqlite://${store}`, LOG_LEVEL: 'silent', DISCORD_TOKEN: '', INTERACTIONS_PORT: '' },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let out = '';
    let banner = NaN;
    let reply = NaN;
    c.stdout.on('data', (b: Buffer) => {
      const t = performance.now() - t0;
      out += b.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0 && Number.isNaN(banner)) banner = t;
      if (nl >= 0 && out.length > nl + 1 && Number.isNaN(reply)) reply = t;
    });
    c.on('error', fail);
    c.on('close', () => done({ banner, reply }));
    c.stdin.end(`${command}\n`);
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const figures: StartupFigures[] = roots.map((root) => ({ root, bannerMs: [], replyMs: [] }));
const stores = roots.map((_, i) => join(tmp, `demo-${i}.sqlite`));
try {
  for (const [i, root] of roots.entries()) {
    if (!existsSync(join(root, 'dist/src/main.js'))) throw new Error(`${root}: dist/ is missing (npm run build)`);
    await once(root, stores[i]!); // seeds the demo data; not counted
  }
  for (let r = 0; r < runs; r++) {
    for (const [i, root] of roots.entries()) {
      const { banner, reply } = await once(root, stores[i]!);
      figures[i]!.bannerMs.push(banner);
      figures[i]!.replyMs.push(reply);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const base = figures[0]!;
for (const f of figures) {
  const ratios = f.replyMs.map((x, i) => x / base.replyMs[i]!);
  process.stdout.write(JSON.stringify({
    root: f.root, command, via, runs,
    replyMs: { median: median(f.replyMs), min: Math.min(...f.replyMs), max: Math.max(...f.replyMs) },
    bannerMs: { median: median(f.bannerMs) },
    ...(f === base ? {} : { replyRatioToFirst: median(ratios) }),
  }) + '\n');
}

// A PostgreSQL for tests: TEST_POSTGRES_URL when CI provides one, otherwise a private server in a temp
// dir (unix socket only, as the unprivileged postgres user when we are root), or undefined with a notice.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface TestPostgres { url: string; stop(): Promise<void> }

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

export async function startPostgres(): Promise<TestPostgres | undefined> {
  const given = process.env.TEST_POSTGRES_URL;
  if (given) return { url: given, stop: async () => {} };
  const bin = binDir();
  if (!bin) {
    console.warn('PostgreSQL tests skipped: no TEST_POSTGRES_URL and no /usr/lib/postgresql (apt-get install postgresql)');
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'liaison-pg-'));
  const data = join(dir, 'data');
  const asRoot = userInfo().uid === 0;
  // initdb refuses to run as root.
  const wrap = (cmd: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);
  if (asRoot) {
    chmodSync(dir, 0o755);
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const user = asRoot ? 'postgres' : userInfo().username;
  const [c1, a1] = wrap(join(bin, 'initdb'), ['-D', data, '-U', user, '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  execFileSync(c1, a1, { stdio: 'ignore' });
  const [c2, a2] = wrap(join(bin, 'postgres'), ['-D', data, '-k', dir, '-c', 'listen_addresses=', '-c', 'fsync=off', '-c', 'max_connections=200']);
  const server = spawn(c2, a2, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr!.setEncoding('utf8').on('data', (d: string) => (log += d));
  const deadline = Date.now() + 30_000;
  while (!/ready to accept connections/.test(log)) {
    if (server.exitCode !== null || Date.now() > deadline) {
      server.kill('SIGKILL');
      throw new Error(`test PostgreSQL did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `postgres://${user}@localhost/postgres?host=${encodeURIComponent(dir)}`,
    async stop() {
      const exited = new Promise((r) => server.once('exit', r));
      const [c3, a3] = wrap(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-s']);
      try {
        execFileSync(c3, a3, { stdio: 'ignore', timeout: 15_000 });
      } catch {
        server.kill('SIGKILL');
      }
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

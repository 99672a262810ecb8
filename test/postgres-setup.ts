// vitest globalSetup: starts a throw-away PostgreSQL for the store tests (initdb into a temp dir,
// unix socket only, as an unprivileged user when run as root) and exports TEST_POSTGRES_URL.
// Without PostgreSQL binaries the PostgreSQL variants are skipped, with a notice (REQUIRE_POSTGRES=1: an error).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function findBin(): string | undefined {
  if (process.env.PG_BIN && existsSync(join(process.env.PG_BIN, 'initdb'))) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

/** root may not run PostgreSQL: run it as nobody (uid/gid looked up once). */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'nobody']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'nobody']).toString().trim());
  return { uid, gid };
}

export default async function setup(): Promise<(() => Promise<void>) | void> {
  if (process.env.TEST_POSTGRES_URL) return; // given from outside (CI or a developer's server)
  const bin = findBin();
  if (!bin) {
    // CI must run the PostgreSQL variants: there, missing binaries are a failure, not a skip.
    if (process.env.REQUIRE_POSTGRES) throw new Error('REQUIRE_POSTGRES is set but no PostgreSQL binaries were found under /usr/lib/postgresql/*/bin (apt-get install postgresql)');
    process.stderr.write('\n[postgres] no PostgreSQL binaries (/usr/lib/postgresql/*/bin): PostgreSQL store tests are SKIPPED. `apt-get install postgresql` to run them.\n\n');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'liaison-pg-'));
  const user = runAs();
  chmodSync(dir, 0o700);
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const opts = user ? { uid: user.uid, gid: user.gid } : {};
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'], { ...opts, stdio: 'ignore' });
  // Unix socket in our temp dir, no TCP: nothing to collide with other runs on the machine.
  // fsync off: the tests kill clients, never the server; they need no disk flushes.
  const server: ChildProcess = spawn(join(bin, 'postgres'), [
    '-D', data, '-k', dir, '-c', 'listen_addresses=', '-c', 'fsync=off', '-c', 'synchronous_commit=off',
    '-c', 'full_page_writes=off', '-c', 'max_connections=400', '-c', 'shared_buffers=32MB',
  ], { ...opts, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr?.setEncoding('utf8').on('data', (d: string) => (log = (log + d).slice(-4000)));
  const url = `postgres://postgres@localhost/postgres?host=${encodeURIComponent(dir)}`;
  const started = Date.now();
  for (;;) {
    if (existsSync(join(dir, '.s.PGSQL.5432'))) {
      try {
        execFileSync(join(bin, 'pg_isready'), ['-h', dir, '-U', 'postgres', '-q']);
        break;
      } catch { /* not yet */ }
    }
    if (server.exitCode !== null || Date.now() - started > 30_000) {
      throw new Error(`PostgreSQL did not start (${bin}):\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  process.env.TEST_POSTGRES_URL = url;
  process.stderr.write(`[postgres] test server ${bin} on ${dir}\n`);
  return async () => {
    server.kill('SIGINT'); // fast shutdown
    await new Promise((r) => (server.exitCode !== null ? r(undefined) : server.once('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  };
}

// Start-up and command-line failures: one line saying what, which variable or file, and what to do;
// exit non-zero; the stack only with LOG_LEVEL=debug. Real processes for the ones a newcomer meets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.ts';
import { translate } from '../src/i18n/index.ts';
import { explain, PlainError, storeLabel } from '../src/startup.ts';
import { CLI, MAIN, run, sqliteUrl, tempDir, type RunResult } from './support.ts';

const en = (k: Parameters<typeof translate>[1], v?: Parameters<typeof translate>[2]) => translate('en-US', k, v);
/** A system error the way Node and undici nest it. */
const sysErr = (code: string, hostname?: string) => Object.assign(new Error(`getaddrinfo ${code} ${hostname ?? ''}`), { code, hostname });

describe('explain', () => {
  it('names the cause and the fix for the failures people meet', () => {
    const offline = new TypeError('fetch failed', { cause: sysErr('ENOTFOUND', 'discord.com') });
    expect(explain(offline, 'en-US')).toBe(en('start.network', { host: 'discord.com', code: 'ENOTFOUND' }));
    const invalid = Object.assign(new Error('An invalid token was provided.'), { code: 'TokenInvalid' });
    expect(explain(invalid, 'en-US')).toBe(en('start.tokenInvalid'));
    expect(explain(new Error('STORE_URL: unsupported scheme "foo:" (use …)'), 'zh-CN', { STORE_URL: 'foo' })).toBe(translate('zh-CN', 'start.storeScheme', { value: 'foo' }));
    expect(explain(Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' }), 'en-US', { INTERACTIONS_PORT: 8080 })).toBe(en('start.portInUse', { port: 8080 }));
    expect(explain(new PlainError('already said'), 'en-US')).toBe('already said');
    expect(explain(new Error('something odd\n  at x'), 'en-US')).toBe(en('start.failed', { message: 'something odd' }));
    let config: ConfigError | undefined;
    try { parseConfig({ INTERACTIONS_PORT: 'abc' }); } catch (e) { config = e as ConfigError; }
    expect(explain(config, 'en-US').split('\n')).toEqual([en('start.configInvalid'), `  ${en('config.var.INTERACTIONS_PORT', { value: 'abc' })}`]);
  });
  it('names the store in the reader\'s language', () => {
    expect(storeLabel('SQLite file var/x.sqlite', 'zh-CN')).toBe('SQLite 文件 var/x.sqlite');
    expect(storeLabel('PostgreSQL db/liaison', 'zh-CN')).toBe('PostgreSQL db/liaison');
  });
});

describe('npm start and the CLI fail in one line', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => { tmp = tempDir(); });
  afterAll(() => tmp.cleanup());
  // discord.js retries a refused connection for a few seconds: generous timeouts on a loaded machine.
  // A SQLite file per process: the four below start at once, and two opening one new file can meet "database is locked".
  let n = 0;
  const start = (env: Record<string, string>) => run(MAIN, [], { cwd: tmp.dir, env: { STORE_URL: sqliteUrl(tmp.dir, `store-${n++}.sqlite`), ...env }, input: '', timeoutMs: 110_000 });
  const oneLine = (r: RunResult, text: string) => {
    expect(r.code, r.stderr).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(text + '\n');
  };

  it('INTERACTIONS_PORT without DISCORD_PUBLIC_KEY, STORE_URL=foo, Discord unreachable (also in Chinese)', async () => {
    const unreachable = { DISCORD_TOKEN: 'x'.repeat(60), DISCORD_API_URL: 'http://127.0.0.1:9/api' };
    const [noKey, badStore, offline, zhDebug] = await Promise.all([
      start({ INTERACTIONS_PORT: '0' }),
      start({ STORE_URL: 'foo' }),
      start(unreachable),
      start({ ...unreachable, CONSOLE_LOCALE: 'zh-CN', LOG_LEVEL: 'debug' }),
    ]);
    oneLine(noKey, en('start.publicKeyMissing'));
    oneLine(badStore, en('start.storeScheme', { value: 'foo' }));
    oneLine(offline, en('start.network', { host: '127.0.0.1:9', code: 'ECONNREFUSED' }));
    expect(zhDebug.code).not.toBe(0);
    expect(zhDebug.stderr).toContain(translate('zh-CN', 'start.network', { host: '127.0.0.1:9', code: 'ECONNREFUSED' }) + '\n');
    expect(zhDebug.stderr).toMatch(/\n\s+at .+:\d+:\d+/); // the stack, on request
  }, 120_000);

  it('deploy-commands offline: one line, exit 1', async () => {
    const r = await run(CLI, ['deploy-commands'], { cwd: tmp.dir, env: { DISCORD_TOKEN: 'x'.repeat(60), DISCORD_APPLICATION_ID: '123456789012345678', DISCORD_API_URL: 'http://127.0.0.1:9/api' }, timeoutMs: 110_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`Error: ${en('start.network', { host: '127.0.0.1:9', code: 'ECONNREFUSED' })}\n`);
  }, 120_000);
});

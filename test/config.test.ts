import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ConfigSchema, parseConfig } from '../src/config.ts';
import { envLocale, translate } from '../src/i18n/index.ts';
import { configLines } from '../src/startup.ts';
import { CLI, DEMO_PATH, MAIN, run, sqliteUrl, tempDir } from './support.ts';

const KEY = 'a'.repeat(64);

function configError(env: Record<string, string>): string {
  try {
    parseConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('parseConfig: good values', () => {
  it('has working defaults for an empty environment (local console)', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({
      STORE_URL: 'sqlite://var/liaison.sqlite', LOCAL_GUILD_ID: 'local', DEMO_DATA: true, LOG_LEVEL: 'info',
      DISCORD_API_URL: 'https://discord.com/api', INTERACTIONS_HOST: '127.0.0.1', SHARDS: 'auto',
      ATTACHMENT_HOSTS: ['cdn.discordapp.com', 'media.discordapp.net'], IMPORT_MAX_BYTES: 5 * 1024 * 1024, CONSOLE_LOCALE: 'en-US',
      TIME_ZONE: 'Asia/Shanghai',
    });
    expect(c.DISCORD_TOKEN).toBeUndefined();
    expect(c.INTERACTIONS_PORT).toBeUndefined();
  });

  it('parses every variable it knows', () => {
    const c = parseConfig({
      DISCORD_TOKEN: 'token', DISCORD_APPLICATION_ID: '123456789012345678', DISCORD_PUBLIC_KEY: KEY.toUpperCase(),
      INTERACTIONS_PORT: '8080', INTERACTIONS_HOST: '0.0.0.0', STORE_URL: 'memory:', LOCAL_GUILD_ID: 'my_guild-1',
      DEMO_DATA: 'no', ATTACHMENT_HOSTS: ' CDN.example.com , ,files.example.org', IMPORT_MAX_BYTES: '1024', SHARDS: '4',
      LOG_LEVEL: 'silent', CONSOLE_LOCALE: 'zh-CN', DISCORD_API_URL: 'http://127.0.0.1:9999/api',
    });
    expect(c).toMatchObject({
      INTERACTIONS_PORT: 8080, DEMO_DATA: false, ATTACHMENT_HOSTS: ['cdn.example.com', 'files.example.org'],
      IMPORT_MAX_BYTES: 1024, SHARDS: 4, CONSOLE_LOCALE: 'zh-CN', DISCORD_API_URL: 'http://127.0.0.1:9999/api',
    });
  });

  it('treats empty values as unset, and ignores variables it does not know', () => {
    const c = parseConfig({ INTERACTIONS_PORT: '', DISCORD_PUBLIC_KEY: '  ', DEMO_DATA: '', PATH: '/bin', HOME: '/root' });
    expect(c.INTERACTIONS_PORT).toBeUndefined();
    expect(c.DISCORD_PUBLIC_KEY).toBeUndefined();
    expect(c.DEMO_DATA).toBe(true);
  });

  it('follows LANG for the console language unless CONSOLE_LOCALE says otherwise', () => {
    expect(parseConfig({ LANG: 'zh_CN.UTF-8' }).CONSOLE_LOCALE).toBe('zh-CN');
    expect(parseConfig({ LANG: 'en_GB.UTF-8' }).CONSOLE_LOCALE).toBe('en-US');
    expect(parseConfig({ LANG: 'zh_CN.UTF-8', CONSOLE_LOCALE: 'en-US' }).CONSOLE_LOCALE).toBe('en-US');
  });
});

describe('parseConfig: bad values stop with a message naming the variable', () => {
  const cases: [string, string][] = [
    ['INTERACTIONS_PORT', 'abc'], ['INTERACTIONS_PORT', '70000'], ['INTERACTIONS_PORT', '80.5'],
    ['DISCORD_PUBLIC_KEY', 'xyz'], ['DISCORD_PUBLIC_KEY', KEY + 'a'], ['DISCORD_APPLICATION_ID', 'my-app'],
    ['DISCORD_API_URL', 'not a url'], ['LOCAL_GUILD_ID', 'a:b'], ['DEMO_DATA', 'maybe'], ['IMPORT_MAX_BYTES', '-5'],
    ['IMPORT_MAX_BYTES', 'lots'], ['SHARDS', 'zero'], ['LOG_LEVEL', 'loud'], ['CONSOLE_LOCALE', 'fr-FR'],
  ];
  it.each(cases)('%s=%s', (name, value) => {
    const msg = configError({ [name]: value });
    expect(msg).toMatch(/^Invalid configuration:/);
    expect(msg).toContain(`  ${name}: `);
  });

  it('explains the expected form where it helps', () => {
    expect(configError({ DISCORD_PUBLIC_KEY: 'xyz' })).toContain('DISCORD_PUBLIC_KEY: must be 64 hex characters');
    expect(configError({ DISCORD_APPLICATION_ID: 'x' })).toContain('DISCORD_APPLICATION_ID: must be a numeric Discord snowflake');
  });

  it('names every bad variable at once', () => {
    const msg = configError({ INTERACTIONS_PORT: 'abc', DISCORD_PUBLIC_KEY: 'xyz', LOG_LEVEL: 'loud', STORE_URL: 'memory:' });
    for (const name of ['INTERACTIONS_PORT', 'DISCORD_PUBLIC_KEY', 'LOG_LEVEL']) expect(msg).toContain(`  ${name}: `);
    expect(msg).not.toContain('STORE_URL');
  });
});

describe('bad configuration stops the programs', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => { tmp = tempDir(); });
  afterAll(() => tmp.cleanup());

  it('npm start exits 2 naming the variables; the CLI exits 1 naming them', async () => {
    const env = { INTERACTIONS_PORT: 'abc', DISCORD_PUBLIC_KEY: 'xyz', STORE_URL: sqliteUrl(tmp.dir) };
    const [main, cli] = await Promise.all([
      run(MAIN, [], { cwd: tmp.dir, env }),
      run(CLI, ['import', DEMO_PATH], { cwd: tmp.dir, env }),
    ]);
    expect(main.code).toBe(2);
    expect(main.stdout).toBe('');
    expect(main.stderr).toBe([
      translate('en-US', 'start.configInvalid'),
      `  ${translate('en-US', 'config.var.DISCORD_PUBLIC_KEY', { value: 'xyz' })}`,
      `  ${translate('en-US', 'config.var.INTERACTIONS_PORT', { value: 'abc' })}`,
    ].join('\n') + '\n');
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('  INTERACTIONS_PORT = “abc” is not a port number: use a whole number from 0 to 65535, e.g. 8080.');
    expect(cli.stderr).toContain('  DISCORD_PUBLIC_KEY = “xyz” is not a public key');
    expect(cli.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('each bad variable reads as what to write instead, in the user\'s language', () => {
    let err: ConfigError | undefined;
    try { parseConfig({ DISCORD_APPLICATION_ID: '123', INTERACTIONS_PORT: 'abc', TIME_ZONE: 'Mars/Base' }); } catch (e) { err = e as ConfigError; }
    const en = configLines(err!, 'en-US');
    expect(en).toEqual([
      'DISCORD_APPLICATION_ID = “123” is not an application id (17 to 20 digits). Copy it from the Developer Portal → your application → General Information → Application ID.',
      'INTERACTIONS_PORT = “abc” is not a port number: use a whole number from 0 to 65535, e.g. 8080.',
      'TIME_ZONE = “Mars/Base” is not a time zone: use an IANA name such as Asia/Shanghai or UTC.',
    ]);
    expect(en.join('\n')).not.toMatch(/snowflake|NaN/);
    expect(configLines(err!, 'zh-CN')[1]).toBe('INTERACTIONS_PORT =“abc”不是端口号：请使用 0 到 65535 之间的整数，例如 8080。');
  });
});

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
/** process.env, process['env'], const { env } = process. */
const ENV_READ = /\bprocess\s*(\.\s*env\b|\[\s*['"]env['"]\s*\])|\{\s*env\s*\}\s*=\s*process\b/;

/** Files of src/ (tests aside) that read the environment, other than config.ts. */
function envReaders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => relative(SRC, join(e.parentPath, e.name)))
    .filter((f) => f !== 'config.ts')
    .filter((f) => ENV_READ.test(readFileSync(join(SRC, f), 'utf8')));
}

describe('config.ts is the only reader of the environment', () => {
  it('no other file of src/ reads process.env', () => {
    expect(envReaders(SRC)).toEqual([]);
  });

  it('the scan finds a reader (the pattern is not dead)', () => {
    const planted = ['process.env.X', "process['env']", 'const { env } = process'];
    for (const line of planted) expect(ENV_READ.test(line), line).toBe(true);
    expect(ENV_READ.test('const environment = processed.envelope')).toBe(false);
    expect(/process\.env/.test(readFileSync(join(SRC, 'config.ts'), 'utf8'))).toBe(true);
  });

  it('the language before a config: CONSOLE_LOCALE, else a Chinese LANG or LC_ALL', () => {
    expect(envLocale({ CONSOLE_LOCALE: 'zh-CN', LANG: 'en_US.UTF-8' })).toBe('zh-CN');
    expect(envLocale({ LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(envLocale({ LC_ALL: 'zh_TW.UTF-8' })).toBe('zh-CN');
    expect(envLocale({ CONSOLE_LOCALE: 'fr-FR', LANG: 'C' })).toBe('en-US');
  });
});

describe('.env.example documents every variable', () => {
  const example = readFileSync(fileURLToPath(new URL('../.env.example', import.meta.url)), 'utf8');
  const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
  /** Not the operator's: set by the primary for its workers, or the system's own. */
  const internal = new Set(['LIAISON_WORKER_INDEX', 'LANG']);
  const source = readFileSync(join(SRC, 'config.ts'), 'utf8');
  const read = new Set([
    ...Object.keys(ConfigSchema.in.shape),
    ...[...source.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!),
  ]);

  it('every variable config.ts reads is in .env.example', () => {
    expect(read).toContain('LIAISON_WORKER_NICE'); // the scan sees direct reads, not only the schema
    expect([...read].filter((v) => !internal.has(v) && !documented.has(v))).toEqual([]);
  });

  it('every variable in .env.example is one config.ts reads', () => {
    expect([...documented].filter((v) => !read.has(v))).toEqual([]);
  });
});

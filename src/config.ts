// The only reader of process.env: everything else receives a parsed Config.
import { config as loadDotenv } from 'dotenv';
import * as z from 'zod';
import { DEFAULT_TIME_ZONE, envLocale, isTimeZone, type Locale } from './i18n/index.ts';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce.number().int().min(0).max(65535);

export const ConfigSchema = z.object({
  DISCORD_TOKEN: z.string().min(1).optional(),
  DISCORD_APPLICATION_ID: z.string().regex(/^\d{5,25}$/, 'must be a numeric Discord snowflake').optional(),
  DISCORD_PUBLIC_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (the application public key)').optional(),
  DISCORD_API_URL: z.url().default('https://discord.com/api'),
  INTERACTIONS_PORT: port.optional(),
  INTERACTIONS_HOST: z.string().min(1).default('127.0.0.1'),
  STORE_URL: z.string().min(1).default('sqlite://var/liaison.sqlite'),
  STATE_URL: z.string().regex(/^(memory:(\/\/)?|postgres(ql)?:\/\/.+)$/, 'must be memory: or postgres://…').default('memory:'),
  LOCAL_GUILD_ID: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, - and _ only').default('local'),
  DEMO_DATA: bool.default(true),
  ATTACHMENT_HOSTS: z
    .string()
    .default('cdn.discordapp.com,media.discordapp.net')
    .transform((s) => s.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean)),
  IMPORT_MAX_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024),
  IMPORT_MAX_ENTRIES: z.coerce.number().int().positive().default(10_000),
  WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** Set by the primary for each worker it forks (0…WORKERS-1); not for operators. */
  LIAISON_WORKER_INDEX: z.coerce.number().int().min(0).optional(),
  SHARDS: z.union([z.literal('auto'), z.coerce.number().int().positive()]).default('auto'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  CONSOLE_LOCALE: z.enum(['en-US', 'zh-CN']).optional(),
  /** Times in replies (IANA name); the district's own zone by default. */
  TIME_ZONE: z.string().refine(isTimeZone, 'is not a time zone').default(DEFAULT_TIME_ZONE),
  LANG: z.string().optional(),
}).transform(({ LANG, ...c }) => ({
  ...c,
  // The console answers in Chinese on a Chinese desktop unless told otherwise.
  CONSOLE_LOCALE: c.CONSOLE_LOCALE ?? (LANG?.startsWith('zh') ? 'zh-CN' as const : 'en-US' as const),
}));

export type Config = z.infer<typeof ConfigSchema>;

/** A bad environment: `issues` name each variable and its value (the message is the English summary). */
export class ConfigError extends Error {
  constructor(message: string, readonly issues: readonly { variable: string; value: string; problem: string }[] = []) {
    super(message);
  }
}

/** Parses an environment; names every bad variable in the error. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings in .env mean "not set".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const result = ConfigSchema.safeParse(cleaned);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ variable: i.path.join('.'), value: String(cleaned[String(i.path[0])] ?? ''), problem: i.message }));
    const lines = issues.map((i) => `  ${i.variable}: ${i.problem}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`, issues);
  }
  return result.data;
}

let cached: Config | undefined;

/** Loads .env (if any) once, then parses process.env. */
export function loadConfig(overrides: Record<string, string | undefined> = {}): Config {
  if (!cached || Object.keys(overrides).length > 0) {
    loadDotenv({ quiet: true });
    const parsed = parseConfig({ ...process.env, ...overrides });
    if (Object.keys(overrides).length > 0) return parsed;
    cached = parsed;
  }
  return cached;
}

/** The language before (or without) a valid config: CONSOLE_LOCALE, else a Chinese LANG or LC_ALL, else English. */
export function localeFromEnv(): Locale {
  return envLocale(process.env);
}

/** Whether LOG_LEVEL asks for stacks, read leniently (for failures before the config parses). */
export function debugFromEnv(): boolean {
  return process.env.LOG_LEVEL === 'debug';
}

/** LIAISON_WORKER_NICE as written (the build worker parses it; src/match/build-worker-host.ts). */
export function workerNiceFromEnv(): string | undefined {
  return process.env.LIAISON_WORKER_NICE;
}

// Start-up and command-line failures as one line a person can act on: what, which variable or
// file, what to do. The stack only with LOG_LEVEL=debug.
import { ConfigError } from './config.ts';
import { CATALOGS, translate, type Locale, type MessageKey } from './i18n/index.ts';

/** An expected failure with its message already in the user's language. */
export class PlainError extends Error {}

interface Known { code?: string; hostname?: string; host?: string; port?: number; cause?: unknown }

function codeOf(err: unknown): Known {
  let e: unknown = err;
  // discord.js and undici wrap the system error one or two levels down.
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const k = e as Known;
    if (k.code && typeof k.code === 'string' && /^(E[A-Z]+|UND_ERR_\w+|TokenInvalid)$/.test(k.code)) return k;
    e = k.cause;
  }
  return (err && typeof err === 'object' ? err : {}) as Known;
}

/** The config problems as lines, each naming the variable, its value and what to write instead. */
export function configLines(err: ConfigError, locale: Locale): string[] {
  if (err.issues.length === 0) return [err.message];
  return err.issues.map((i) => {
    const key = `config.var.${i.variable}` as MessageKey;
    return key in CATALOGS['en-US']
      ? translate(locale, key, { value: i.value })
      : translate(locale, 'config.invalid', { variable: i.variable, value: i.value, problem: i.problem });
  });
}

/** One line (or, for a bad configuration, one line per variable) explaining why start-up failed. */
export function explain(err: unknown, locale: Locale, env: { STORE_URL?: string; INTERACTIONS_PORT?: number; DISCORD_API_URL?: string } = {}): string {
  const t = (k: MessageKey, v?: Record<string, string | number>) => translate(locale, k, v);
  if (err instanceof PlainError) return err.message;
  if (err instanceof ConfigError && err.issues.length === 0) return err.message;
  if (err instanceof ConfigError) return [t('start.configInvalid'), ...configLines(err, locale).map((l) => `  ${l}`)].join('\n');
  const message = err instanceof Error ? err.message : String(err);
  const known = codeOf(err);
  if (known.code === 'TokenInvalid' || /TokenInvalid|invalid token/i.test(message)) return t('start.tokenInvalid');
  if (known.code && ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT'].includes(known.code)) {
    const host = known.hostname ?? known.host ?? (env.DISCORD_API_URL ? new URL(env.DISCORD_API_URL).host : 'discord.com');
    return t('start.network', { host, code: known.code });
  }
  if (known.code === 'EADDRINUSE') return t('start.portInUse', { port: env.INTERACTIONS_PORT ?? known.port ?? '?' });
  if (/^STORE_URL\b.*unsupported scheme/.test(message)) return t('start.storeScheme', { value: env.STORE_URL ?? '' });
  if (/^STORE_URL\b/.test(message) || /SQLITE_CANTOPEN/.test(message)) {
    return t('start.storeUrl', { value: env.STORE_URL ?? '', reason: message.replace(/^STORE_URL:\s*/, '') });
  }
  return t('start.failed', { message: message.split('\n')[0]! });
}

/** Prints the explanation (and the stack when debugging) on stderr. */
export function report(err: unknown, locale: Locale, debug: boolean, env?: Parameters<typeof explain>[2], prefix = ''): void {
  process.stderr.write(`${prefix}${explain(err, locale, env)}\n`);
  if (debug && err instanceof Error && !(err instanceof PlainError) && !(err instanceof ConfigError)) process.stderr.write(`${err.stack ?? ''}\n`);
}

/** The store as the banner names it, in the reader's language (other stores are proper names: PostgreSQL host/db). */
export function storeLabel(description: string, locale: Locale): string {
  const file = /^SQLite file (.+)$/.exec(description);
  if (file) return translate(locale, 'store.sqliteFile', { path: file[1]! });
  if (/^in-memory SQLite/.test(description)) return translate(locale, 'store.memory');
  return description;
}

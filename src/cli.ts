// npm run cli -- <command>: validate, import, export, rank, deploy-commands. Messages in the
// language of CONSOLE_LOCALE or LANG; every error is one line naming what to do, exit non-zero.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createApp } from './app.ts';
import { ConfigError, debugFromEnv, loadConfig, localeFromEnv } from './config.ts';
import { DatasetError, parseDatasetText, problemText, serializeDataset } from './domain/dataset.ts';
import { MAX_REPORTED_PROBLEMS } from './domain/limits.ts';
import { closest } from './domain/suggest.ts';
import { translate, type Locale, type MessageKey, type Vars } from './i18n/index.ts';
import { createAttachmentFetcher } from './interactions/attachments.ts';
import { createLogger } from './log.ts';
import { rankDataset } from './match/rank.ts';
import { report } from './startup.ts';
import { importCounting } from './views/import.ts';

/** A usage or input mistake, already in the user's language. */
export class CliError extends Error {}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; example?: string }>;
const COMMANDS: Record<string, OptionSpec> = {
  validate: {},
  import: { guild: { type: 'string', example: 'local' }, replace: { type: 'boolean' } },
  export: { guild: { type: 'string', example: 'local' }, out: { type: 'string', example: 'directory.json' }, 'include-closed': { type: 'boolean' } },
  rank: { data: { type: 'string', example: 'data/demo.json' }, top: { type: 'string', example: '10' }, 'min-score': { type: 'string', example: '0.15' }, json: { type: 'boolean' } },
  'deploy-commands': { guild: { type: 'string', example: '123456789012345678' } },
  backup: { out: { type: 'string', example: 'backup.json' } },
  restore: {},
  migrate: {},
};
const POSITIONALS: Record<string, number> = { validate: 1, import: 1, restore: 1, migrate: 1 };

/** The command's options, strictly: an unknown one gets a did-you-mean, like a misspelt command. */
function parseOptions(command: string, args: string[], t: (k: MessageKey, v?: Vars) => string) {
  const spec = COMMANDS[command]!;
  const names = Object.keys(spec).map((n) => `--${n}`);
  try {
    return parseArgs({ args, allowPositionals: true, strict: true, options: { ...spec, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    const code = (err as { code?: string }).code;
    const option = /'(-{1,2}[^' ]+)/.exec((err as Error).message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const guess = closest(option.replace(/^-+/, ''), Object.keys(spec));
      const list = names.join(', ') || t('parse.noOptions');
      throw new CliError(guess ? t('cli.unknownOptionHint', { name: option, guess: `--${guess}`, command, list }) : t('cli.unknownOption', { name: option, command, list }));
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const name = option.split('=')[0]!;
      const s = spec[name.replace(/^-+/, '')];
      throw new CliError(s?.type === 'string' ? t('cli.optionValue', { name, example: s.example ?? '…' }) : t('cli.optionNoValue', { name }));
    }
    throw err;
  }
}

async function readDataset(file: string | undefined, command: string, locale: Locale) {
  const t = (k: MessageKey, v?: Vars) => translate(locale, k, v);
  if (!file) throw new CliError(t('cli.missingFile', { command }));
  const st = await stat(file).catch(() => undefined);
  if (st?.isDirectory()) throw new CliError(t('cli.isDirectory', { file }));
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(t('cli.cannotRead', { file, reason: code === 'ENOENT' ? `${t('cli.noSuchFile')} (ENOENT)` : code ?? (err as Error).message }));
  }
  try {
    return parseDatasetText(text);
  } catch (e) {
    if (!(e instanceof DatasetError)) throw e;
    const shown = e.issues.slice(0, MAX_REPORTED_PROBLEMS).map((p) => `  ${problemText(p, locale)}`);
    const more = e.issues.length - shown.length;
    throw new CliError([t('cli.problems', { file, count: e.issues.length }), ...shown, ...(more > 0 ? [`  ${t('problem.more', { count: more })}`] : [])].join('\n'));
  }
}

/** The guild a command works on; checked before the store is opened. */
function guildOf(value: string | undefined, fallback: string, t: (k: MessageKey, v?: Vars) => string): string {
  const guild = value ?? fallback;
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(guild)) throw new CliError(t('cli.badGuild', { guild }));
  return guild;
}

async function withApp<T>(fn: (app: Awaited<ReturnType<typeof createApp>>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const app = await createApp(config, createLogger(config.LOG_LEVEL), createAttachmentFetcher([], { allowFiles: true }));
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

export async function runCli(argv: string[], out: (s: string) => void, err: (s: string) => void, locale: Locale = localeFromEnv()): Promise<number> {
  const t = (k: MessageKey, v?: Vars) => translate(locale, k, v);
  const [command, ...rest] = argv;
  if (command === undefined) {
    out(t('cli.usage') + '\n');
    return 2;
  }
  if (command === 'help' || command === '--help' || command === '-h') {
    const about = rest[0] && rest[0] in COMMANDS ? t(`cli.help.${rest[0]}` as MessageKey) : t('cli.usage');
    out(about + '\n');
    return 0;
  }
  if (!(command in COMMANDS)) {
    const guess = closest(command.replace(/^-+/, ''), Object.keys(COMMANDS));
    throw new CliError(guess ? t('cli.unknownCommandHint', { name: command, guess }) : t('cli.unknownCommand', { name: command }));
  }
  const { values: v, positionals } = parseOptions(command, rest, t);
  const values = v as Record<string, string | boolean | undefined>;
  const str = (name: string) => values[name] as string | undefined;
  if (values.help) {
    out(t(`cli.help.${command}` as MessageKey) + '\n');
    return 0;
  }
  const extra = positionals[POSITIONALS[command] ?? 0];
  if (extra !== undefined) throw new CliError(t('cli.extraArgument', { value: extra, command }));
  switch (command) {
    case 'validate': {
      const d = await readDataset(positionals[0], command, locale);
      out(t('cli.valid', { file: positionals[0]!, needs: d.needs.length, capabilities: d.capabilities.length }) + '\n');
      return 0;
    }
    case 'import': {
      const d = await readDataset(positionals[0], command, locale);
      return withApp(async (app) => {
        const guild = guildOf(str('guild'), app.config.LOCAL_GUILD_ID, t);
        const mode = values.replace ? 'replace' : 'merge';
        const r = await importCounting(app.services.directory.guild(guild), d, mode, { id: 'cli', name: 'cli' });
        out(t('cli.imported', { guild, mode: t(mode === 'replace' ? 'import.mode.replace' : 'import.mode.merge'), ...r }) + '\n');
        return 0;
      });
    }
    case 'export':
      return withApp(async (app) => {
        const guild = guildOf(str('guild'), app.config.LOCAL_GUILD_ID, t);
        const dir = app.services.directory.guild(guild);
        const dataset = await dir.exportDataset({ includeClosed: values['include-closed'] === true });
        const text = serializeDataset(dataset);
        const file = str('out');
        if (file) {
          await writeFile(file, text).catch((e: NodeJS.ErrnoException) => {
            throw new CliError(t('cli.cannotWrite', { file, reason: e.code ?? e.message }));
          });
          err(t('cli.wrote', { file, needs: dataset.needs.length, capabilities: dataset.capabilities.length }) + '\n');
        } else out(text);
        // A server id nobody ever used is most likely a typo: say so (the empty file is still written).
        const counts = await dir.counts();
        const empty = counts.need.open + counts.need.closed + counts.capability.open + counts.capability.closed === 0;
        if (empty && (await dir.auditLog(1)).length === 0) {
          err(t('cli.warning', { message: t('cli.unknownGuild', { guild, store: app.store.description, local: app.config.LOCAL_GUILD_ID }) }) + '\n');
        }
        return 0;
      });
    case 'rank': {
      if (!str('data')) throw new CliError(t('cli.rankNeedsData'));
      const top = str('top') === undefined ? 10 : Number(str('top'));
      if (!Number.isInteger(top) || top < 1 || top > 1000) throw new CliError(t('cli.badTop', { value: String(str('top')) }));
      const minScore = str('min-score') === undefined ? 0 : Number(str('min-score'));
      if (!(minScore >= 0 && minScore <= 1)) throw new CliError(t('cli.badMinScore', { value: String(str('min-score')) }));
      const d = await readDataset(str('data'), command, locale);
      const started = Date.now();
      err(t('cli.ranking', { needs: d.needs.length, capabilities: d.capabilities.length }) + '\n');
      const rankings = rankDataset(d, top, minScore);
      err(t('cli.ranked', { ms: Date.now() - started }) + '\n');
      if (values.json) out(JSON.stringify(rankings) + '\n');
      else {
        for (const [list, map] of Object.entries(rankings) as [string, Record<string, { id: string; score: number }[]>][]) {
          for (const [id, items] of Object.entries(map)) out(`${list} ${id}: ${items.map((i) => `${i.id} ${i.score.toFixed(2)}`).join(', ') || '—'}\n`);
        }
      }
      return 0;
    }
    case 'deploy-commands': {
      const guild = str('guild');
      if (guild !== undefined && !/^\d{5,25}$/.test(guild)) throw new CliError(t('cli.badSnowflake', { guild }));
      const config = loadConfig();
      if (!config.DISCORD_TOKEN) throw new CliError(t('deploy.needsToken'));
      if (!config.DISCORD_APPLICATION_ID) throw new CliError(t('deploy.needsApplication'));
      const { deployCommands } = await import('./discord/deploy.ts');
      const n = await deployCommands(config, guild);
      out(t('cli.registered', { count: n, where: guild ? t('cli.inGuild', { guild }) : t('cli.globally') }) + '\n');
      return 0;
    }
    case 'backup':
    case 'restore':
    case 'migrate':
      return storeCommand(command, positionals[0], str('out'), out, err, t);
    default:
      return 2;
  }
}

/** backup / restore / migrate work on the store alone (no app: no start-up migration, no commands). */
async function storeCommand(command: 'backup' | 'restore' | 'migrate', file: string | undefined, outFile: string | undefined, out: (s: string) => void, err: (s: string) => void, t: (k: MessageKey, v?: Vars) => string): Promise<number> {
  const config = loadConfig();
  const { openStore } = await import('./store/db.ts');
  const backup = await import('./store/backup.ts');
  const legacy = await import('./store/legacy.ts');
  let text = '';
  if (command === 'restore') {
    if (!file) throw new CliError(t('cli.missingFile', { command }));
    text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new CliError(t('cli.cannotRead', { file, reason: e.code ?? e.message }));
    });
  }
  const store = await openStore(config.STORE_URL);
  try {
    if (command === 'backup') {
      const data = JSON.stringify(await backup.createBackup(store), null, 1) + '\n';
      if (outFile) {
        await writeFile(outFile, data).catch((e: NodeJS.ErrnoException) => {
          throw new CliError(t('cli.cannotWrite', { file: outFile, reason: e.code ?? e.message }));
        });
        err(t('cli.backupWritten', { file: outFile }) + '\n');
      } else out(data);
    } else if (command === 'restore') {
      let parsed;
      try {
        parsed = backup.parseBackup(text);
      } catch (e) {
        throw new CliError(t('cli.restoreInvalid', { file: file ?? "", message: (e as Error).message }));
      }
      const r = await backup.restoreBackup(store, parsed, { id: 'cli', name: 'cli' });
      out(t('cli.restored', { guilds: r.guilds, entries: r.entries, at: parsed.createdAt }) + '\n');
    } else {
      const source = file ?? store.file ?? 'var/liaison.sqlite';
      if (!legacy.hasLegacyTable(source)) throw new CliError(t('cli.notLegacy', { file: source }));
      const r = await legacy.migrateLegacy(store, source);
      out(t('cli.migrated', { file: source, store: store.description, report: legacy.describeReport(r) }) + '\n');
    }
    return 0;
  } finally {
    await store.close();
  }
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!);
if (isMain) {
  const locale = localeFromEnv();
  runCli(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s), locale).then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof CliError) process.stderr.write(translate(locale, 'cli.error', { message: e.message }) + '\n');
      else {
        let debug = debugFromEnv();
        let env;
        try {
          const c = loadConfig();
          debug = c.LOG_LEVEL === 'debug';
          env = c;
        } catch (configErr) {
          if (!(configErr instanceof ConfigError)) throw configErr;
        }
        report(e, locale, debug, env, e instanceof ConfigError ? '' : translate(locale, 'cli.error', { message: '' }));
      }
      process.exit(1);
    },
  );
}

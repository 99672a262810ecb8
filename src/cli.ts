// npm run cli -- <command>: validate, import, export, rank, deploy-commands.
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DatasetError, parseDatasetText, serializeDataset } from './domain/dataset.ts';
import { createAttachmentFetcher } from './interactions/attachments.ts';
import { createLogger } from './log.ts';
import { rankDataset } from './match/rank.ts';

const USAGE = `Usage: npm run cli -- <command>
  validate <file>                              check a dataset file (contract version 1)
  import <file> [--guild G] [--replace]        load a dataset into a guild's directory (merge by default)
  export [--guild G] [--out FILE] [--include-closed]
                                               write a guild's directory as a dataset
  rank --data <file> [--top N] [--min-score S] [--json]
                                               rank partners for every entry of a dataset file (no store);
                                               every candidate up to --top unless --min-score (the bot shows ≥ 0.15)
  deploy-commands [--guild ID]                 register the slash commands with Discord`;

class CliError extends Error {}

async function readDataset(file: string | undefined) {
  if (!file) throw new CliError('missing <file>');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseDatasetText(text);
}

/** The guild a command works on; checked before the store is opened. */
function guildOf(value: string | undefined, fallback: string): string {
  const guild = value ?? fallback;
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(guild)) throw new CliError(`--guild must be 1 to 32 letters, digits, "-" or "_", not "${guild}"`);
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

export async function runCli(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      guild: { type: 'string' }, replace: { type: 'boolean' }, out: { type: 'string' }, 'include-closed': { type: 'boolean' },
      data: { type: 'string' }, top: { type: 'string' }, 'min-score': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' },
    },
  });
  switch (command) {
    case 'validate': {
      const d = await readDataset(positionals[0]);
      out(`OK: ${positionals[0]} holds ${d.needs.length} needs and ${d.capabilities.length} capabilities (contract version 1).\n`);
      return 0;
    }
    case 'import': {
      const d = await readDataset(positionals[0]);
      return withApp(async (app) => {
        const guild = guildOf(values.guild, app.config.LOCAL_GUILD_ID);
        const r = await app.services.directory.guild(guild).importDataset(d, values.replace ? 'replace' : 'merge', { id: 'cli', name: 'command line' });
        out(`Imported into guild ${guild} (${r.mode}): ${r.added.length} added, ${r.updated.length} updated, ${r.removed.length} removed.\n`);
        return 0;
      });
    }
    case 'export':
      return withApp(async (app) => {
        const guild = guildOf(values.guild, app.config.LOCAL_GUILD_ID);
        const text = serializeDataset(await app.services.directory.guild(guild).exportDataset({ includeClosed: values['include-closed'] ?? false }));
        if (values.out) {
          const file = values.out;
          await writeFile(file, text).catch((e: NodeJS.ErrnoException) => {
            throw new CliError(`cannot write ${file}: ${e.code ?? e.message}`);
          });
          err(`Wrote ${values.out}\n`);
        } else out(text);
        return 0;
      });
    case 'rank': {
      if (!values.data) throw new CliError('rank needs --data <file>');
      const top = values.top === undefined ? 10 : Number(values.top);
      if (!Number.isInteger(top) || top < 1 || top > 1000) throw new CliError(`--top must be a whole number from 1 to 1000, not "${values.top}"`);
      const d = await readDataset(values.data);
      const started = Date.now();
      err(`Ranking ${d.needs.length} needs and ${d.capabilities.length} capabilities…\n`);
      const minScore = values['min-score'] === undefined ? 0 : Number(values['min-score']);
      if (!(minScore >= 0 && minScore <= 1)) throw new CliError(`--min-score must be a number from 0 to 1, not "${values['min-score']}"`);
      const rankings = rankDataset(d, top, minScore);
      err(`Done in ${Date.now() - started} ms.\n`);
      if (values.json) out(JSON.stringify(rankings) + '\n');
      else {
        for (const [list, map] of Object.entries(rankings) as [string, Record<string, { id: string; score: number }[]>][]) {
          for (const [id, items] of Object.entries(map)) out(`${list} ${id}: ${items.map((i) => `${i.id} ${i.score.toFixed(2)}`).join(', ') || '—'}\n`);
        }
      }
      return 0;
    }
    case 'deploy-commands': {
      const { deployCommands } = await import('./discord/deploy.ts');
      const config = loadConfig();
      const n = await deployCommands(config, values.guild);
      out(`Registered ${n} commands ${values.guild ? `in guild ${values.guild}` : 'globally'}.\n`);
      return 0;
    }
    case undefined:
    case 'help':
      out(USAGE + '\n');
      return command ? 0 : 2;
    default:
      throw new CliError(`unknown command "${command}"\n${USAGE}`);
  }
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!);
if (isMain) {
  runCli(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof DatasetError || e instanceof CliError || e instanceof ConfigError) process.stderr.write(`Error: ${e.message}\n`);
      // node:util parseArgs errors (unknown option, missing value …) carry codes ERR_PARSE_ARGS_*.
      else if (e instanceof TypeError && String((e as { code?: string }).code).startsWith('ERR_PARSE_ARGS_')) process.stderr.write(`Error: ${e.message}\n${USAGE}\n`);
      else process.stderr.write(`Error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}

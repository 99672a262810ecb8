// npm start: the Discord gateway when DISCORD_TOKEN is set, the HTTP endpoint when INTERACTIONS_PORT
// is set, otherwise the local console on the embedded store with the demo data.
import cluster from 'node:cluster';
import { createApp, seedDemo } from './app.ts';
import { ConfigError, debugFromEnv, loadConfig, localeFromEnv, type Config } from './config.ts';
import { translate } from './i18n/index.ts';
import { createAttachmentFetcher } from './interactions/attachments.ts';
import { preloadCommands } from './interactions/loader.ts';
import { createLogger } from './log.ts';
import { runConsole } from './discord/console.ts';
import { PlainError, report, storeLabel } from './startup.ts';

let config: Config | undefined;

async function main(): Promise<void> {
  config = loadConfig();
  const locale = config.CONSOLE_LOCALE;
  const log = createLogger(config.LOG_LEVEL);

  if (config.DISCORD_TOKEN || config.INTERACTIONS_PORT !== undefined) {
    if (config.INTERACTIONS_PORT !== undefined && !config.DISCORD_PUBLIC_KEY) throw new PlainError(translate(locale, 'start.publicKeyMissing'));
    if (config.WORKERS > 1 && cluster.isPrimary) {
      const { runPrimary } = await import('./discord/cluster.ts');
      await runPrimary(config, log);
      return;
    }
    const { runServer } = await import('./discord/server.ts');
    await runServer(config, log);
    return;
  }

  const app = await createApp(config, log, createAttachmentFetcher(config.ATTACHMENT_HOSTS, { allowFiles: true }), { warm: false, lazyCommands: true });
  const dir = app.services.directory.guild(config.LOCAL_GUILD_ID);
  const seeded = config.DEMO_DATA ? await seedDemo(dir) : false;
  const counts = await dir.counts();
  const interactive = Boolean(process.stdin.isTTY);
  const banner = translate(locale, 'console.banner', {
    store: storeLabel(app.store.description, locale), guild: config.LOCAL_GUILD_ID,
    needs: counts.need.open + counts.need.closed, capabilities: counts.capability.open + counts.capability.closed,
  });
  process.stdout.write(`${banner}${seeded ? translate(locale, 'console.demoLoaded') : ''}\n${interactive ? translate(locale, 'console.keys') + '\n' : ''}`);
  // The matching data and the commands not used yet load while the user types, or once the first piped line
  // has been answered: never ahead of the first reply (a first /match loads what it needs itself).
  let warm: NodeJS.Timeout | undefined;
  const warmSoon = () => (warm ??= setTimeout(() => {
    app.services.matcher.warmUp();
    preloadCommands(app.dispatcher.commands).catch((err: unknown) => log.warn('a command failed to load', { err }));
  }, 250).unref());
  if (interactive) warmSoon();
  const write = (t: string) => {
    const ok = process.stdout.write(t);
    warmSoon();
    return ok;
  };
  await runConsole(app, { input: process.stdin, output: process.stdout, write, interactive }, locale);
  await app.close();
}

main().catch((err: unknown) => {
  // Before the config is read, the language and LOG_LEVEL come leniently from the environment.
  const locale = config?.CONSOLE_LOCALE ?? localeFromEnv();
  const debug = config ? config.LOG_LEVEL === 'debug' : debugFromEnv();
  report(err, locale, debug, config);
  process.exit(err instanceof ConfigError ? 2 : 1);
});

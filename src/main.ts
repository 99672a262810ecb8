// npm start: the Discord gateway when DISCORD_TOKEN is set, the HTTP endpoint when INTERACTIONS_PORT
// is set, otherwise the local console on the embedded store with the demo data.
import { createApp, seedDemo } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createAttachmentFetcher } from './interactions/attachments.ts';
import { createLogger } from './log.ts';
import { runConsole } from './discord/console.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.message + '\n');
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);

  if (config.DISCORD_TOKEN || config.INTERACTIONS_PORT !== undefined) {
    const { runServer } = await import('./discord/server.ts');
    await runServer(config, log);
    return;
  }

  const app = await createApp(config, log, createAttachmentFetcher(config.ATTACHMENT_HOSTS, { allowFiles: true }));
  const dir = app.services.directory.guild(config.LOCAL_GUILD_ID);
  const seeded = config.DEMO_DATA ? await seedDemo(dir) : false;
  const counts = await dir.counts();
  const interactive = Boolean(process.stdin.isTTY);
  process.stdout.write(
    `Liaison console — store: ${app.store.description} · guild "${config.LOCAL_GUILD_ID}": ` +
      `${counts.need.open + counts.need.closed} needs, ${counts.capability.open + counts.capability.closed} capabilities` +
      `${seeded ? ' (demo data loaded)' : ''}\n` +
      (interactive ? 'Type /help for commands, !help for console keys, Ctrl+D to quit.\n' : ''),
  );
  await runConsole(app, { input: process.stdin, output: process.stdout, write: (t) => process.stdout.write(t), interactive }, config.CONSOLE_LOCALE);
  await app.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`Liaison failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});

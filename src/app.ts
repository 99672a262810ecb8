// Wires config, store, matcher, commands and dispatcher; shared by every transport and the CLI.
import { readFile } from 'node:fs/promises';
import type { Config } from './config.ts';
import { parseDatasetText } from './domain/dataset.ts';
import type { CommandModule, Services } from './interactions/command.ts';
import { Dispatcher } from './interactions/dispatcher.ts';
import { loadCommands, loadCommandsLazily } from './interactions/loader.ts';
import type { Logger } from './log.ts';
import { createRanker, warmUp } from './match/engine.ts';
import { MatchService } from './match/service.ts';
import { openStore, type Store } from './store/db.ts';
import { migrateOnStart } from './store/legacy.ts';
import { Directory, type GuildDirectory } from './store/directory.ts';
import { Watcher } from './watch/watcher.ts';
import { Introductions } from './intro/service.ts';
import { Sweeper } from './office/sweep.ts';
import { Messenger } from './office/outbox.ts';
import { openState } from './state/index.ts';

export const DEMO_FILE = new URL('../data/demo.json', import.meta.url);

export interface App {
  config: Config;
  services: Services;
  dispatcher: Dispatcher;
  /** The relational store (store.ping() answers whether it is reachable). */
  store: Store;
  /** Posting reminders and expiry, digests: started by a transport that can post (setOutbox). */
  sweeper: Sweeper;
  close(): Promise<void>;
}

export async function createApp(
  config: Config, log: Logger,
  fetchAttachment: Services['fetchAttachment'],
  /**
   * now: the clock of the store and the introduction reminders (tests move it). warm: false leaves loading
   * the matching data to the caller (the console does it after its first reply). lazyCommands: each built
   * command is imported when first used (the console; loader.ts).
   */
  opts: { now?: () => Date; warm?: boolean; lazyCommands?: boolean } = {},
): Promise<App> {
  const store = await openStore(config.STORE_URL);
  try {
    await migrateOnStart(store, log);
  } catch (err) {
    await store.close();
    throw err;
  }
  const directory = new Directory(store, opts.now);
  const matcher = new MatchService(createRanker, { log });
  if (opts.warm !== false) warmUp();
  let commands: CommandModule[] = [];
  // One DM-then-office-channel policy for every sender (its "no office channel" warnings are once a day per person).
  const messenger = new Messenger(log, opts.now);
  const watcher = new Watcher(directory, matcher, log, { messenger });
  const state = await openState(config.STATE_URL).catch(async (err: unknown) => {
    await directory.close();
    await store.close();
    throw err;
  });
  const intros = new Introductions(directory, matcher, log, opts.now, messenger);
  const services: Services = { directory, matcher, config, log, fetchAttachment, commands: () => commands, watcher, state, intros };
  commands = opts.lazyCommands ? await loadCommandsLazily() : await loadCommands();
  const dispatcher = new Dispatcher(commands, services);
  const sweeper = new Sweeper(directory, matcher, log, { messenger, ...(opts.now ? { now: opts.now } : {}) });
  const close = async () => {
    intros.close();
    await sweeper.stop();
    await state.close();
    await directory.close();
    await store.close();
  };
  return { config, services, dispatcher, store, sweeper, close };
}

/** Loads the demo dataset into a guild that has never held anything. Returns whether it did. */
export async function seedDemo(dir: GuildDirectory): Promise<boolean> {
  const counts = await dir.counts();
  const empty = counts.need.open + counts.need.closed + counts.capability.open + counts.capability.closed === 0;
  if (!empty || (await dir.auditLog(1)).length > 0) return false;
  const dataset = parseDatasetText(await readFile(DEMO_FILE, 'utf8'));
  await dir.importDataset(dataset, 'merge', { id: 'system', name: 'demo seed' });
  return true;
}

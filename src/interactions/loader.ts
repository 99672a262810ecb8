// The one loader of commands/: used by the bot (every transport) and by deploy-commands.
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CommandModuleSchema, type CommandModule } from './command.ts';

export const COMMANDS_DIR = resolve(fileURLToPath(new URL('../../commands', import.meta.url)));

export class CommandLoadError extends Error {}

/** Set by the bundled start (build-bundle.ts): its own copy of each built command, by file name. */
let bundled: Record<string, () => Promise<unknown>> | undefined;
export function useBundledCommands(commands: Record<string, () => Promise<unknown>> | undefined): void {
  bundled = commands;
}

/** A command module: the bundle's copy for the built commands (one copy of every module), else imported. */
function importCommand(dir: string, file: string): Promise<unknown> {
  if (bundled && resolve(dir) === COMMANDS_DIR) {
    const load = Object.hasOwn(bundled, file) ? bundled[file] : undefined;
    if (!load) return Promise.reject(new CommandLoadError(`${file}: not in the built start (npm run build)`));
    return load();
  }
  return import(pathToFileURL(join(dir, file)).href);
}

/** Validates one module; the file name must equal the command name. */
export function validateCommand(file: string, mod: unknown): CommandModule {
  const result = CommandModuleSchema.safeParse(mod);
  if (!result.success) {
    const why = result.error.issues.map((i) => `${i.path.join('.') || '(module)'}: ${i.message}`).join('; ');
    throw new CommandLoadError(`${file}: not a valid command module (${why})`);
  }
  const m = mod as CommandModule;
  const expected = basename(file, extname(file));
  if (m.data.name !== expected) throw new CommandLoadError(`${file}: command name "${m.data.name}" must equal the file name "${expected}"`);
  const json = m.data.toJSON();
  if (json.name !== m.data.name) throw new CommandLoadError(`${file}: toJSON() name "${json.name}" differs from data.name`);
  // A loaded definition never changes: /help, the console's parser and deploy-commands get copies of this one
  // instead of the builders checking every option again (~1 ms a command on each call).
  Object.defineProperty(m.data, 'toJSON', { value: () => structuredClone(json), configurable: true, writable: true });
  return m;
}

/** Rejects a second command with a name already taken. */
export function checkUnique(mods: readonly CommandModule[]): void {
  const seen = new Set<string>();
  for (const m of mods) {
    if (seen.has(m.data.name)) throw new CommandLoadError(`duplicate command name "${m.data.name}"`);
    seen.add(m.data.name);
  }
}

/** What the build writes beside the built commands (dist/commands.json): enough to list and parse them unloaded. */
export interface ManifestEntry {
  file: string;
  name: string;
  definition: ReturnType<CommandModule['data']['toJSON']>;
  handlers: ('autocomplete' | 'component' | 'modal' | 'dmGuild')[];
}

const HANDLERS = ['autocomplete', 'component', 'modal', 'dmGuild'] as const;
export const manifestFile = (dir: string) => join(dir, '..', 'commands.json');

/** The manifest of the commands in `dir` (run by npm run build on the built commands). */
export async function commandManifest(dir: string): Promise<ManifestEntry[]> {
  const files = (await readdir(dir)).filter((f) => /\.(ts|js|mjs)$/.test(f) && !f.endsWith('.d.ts')).sort();
  const mods = await loadCommands(dir);
  return mods.map((m, i) => ({ file: files[i]!, name: m.data.name, definition: m.data.toJSON(), handlers: HANDLERS.filter((h) => typeof m[h] === 'function') }));
}

const loaders = new WeakMap<CommandModule, () => Promise<CommandModule>>();

/** A command whose module is imported when one of its handlers is first called. */
function lazyCommand(dir: string, e: ManifestEntry): CommandModule {
  let loading: Promise<CommandModule> | undefined;
  const load = () => (loading ??= importCommand(dir, e.file).then((mod: unknown) => {
    const m = validateCommand(e.file, mod);
    const missing = HANDLERS.filter((h) => e.handlers.includes(h) !== (typeof m[h] === 'function'));
    if (missing.length) throw new CommandLoadError(`${e.file}: its handlers (${missing.join(', ')}) differ from ${basename(manifestFile(dir))}: npm run build`);
    return m;
  }));
  const m: CommandModule = {
    data: { name: e.name, toJSON: () => structuredClone(e.definition) },
    execute: async (ctx) => (await load()).execute(ctx),
  };
  if (e.handlers.includes('autocomplete')) m.autocomplete = async (ctx) => (await load()).autocomplete!(ctx);
  if (e.handlers.includes('component')) m.component = async (ctx) => (await load()).component!(ctx);
  if (e.handlers.includes('modal')) m.modal = async (ctx) => (await load()).modal!(ctx);
  loaders.set(m, load);
  return m;
}

/**
 * The built commands (dist/) as their manifest describes them, each module imported when first used, so
 * a start answers its first command without importing all of them and building their definitions. A command
 * with a synchronous handler (dmGuild) is imported at once. Without a manifest (the sources): loadCommands.
 */
export async function loadCommandsLazily(dir: string = COMMANDS_DIR): Promise<CommandModule[]> {
  let manifest: ManifestEntry[];
  try {
    manifest = JSON.parse(await readFile(manifestFile(dir), 'utf8')) as ManifestEntry[];
  } catch {
    return loadCommands(dir);
  }
  const mods: CommandModule[] = [];
  for (const e of manifest) {
    if (e.handlers.includes('dmGuild')) mods.push(validateCommand(e.file, await importCommand(dir, e.file)));
    else mods.push(lazyCommand(dir, e));
  }
  checkUnique(mods);
  return mods;
}

/** Imports every command not imported yet (a console warms them up while its user types). */
export async function preloadCommands(mods: readonly CommandModule[]): Promise<void> {
  for (const m of mods) await loaders.get(m)?.();
}

export async function loadCommands(dir: string = COMMANDS_DIR): Promise<CommandModule[]> {
  const files = (await readdir(dir)).filter((f) => /\.(ts|js|mjs)$/.test(f) && !f.endsWith('.d.ts')).sort();
  const mods: CommandModule[] = [];
  for (const file of files) {
    const mod: unknown = await importCommand(dir, file);
    mods.push(validateCommand(file, mod));
  }
  checkUnique(mods);
  return mods;
}

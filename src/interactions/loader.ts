// The one loader of commands/: used by the bot (every transport) and by deploy-commands.
import { readdir } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CommandModuleSchema, type CommandModule } from './command.ts';

export const COMMANDS_DIR = resolve(fileURLToPath(new URL('../../commands', import.meta.url)));

export class CommandLoadError extends Error {}

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

export async function loadCommands(dir: string = COMMANDS_DIR): Promise<CommandModule[]> {
  const files = (await readdir(dir)).filter((f) => /\.(ts|js|mjs)$/.test(f) && !f.endsWith('.d.ts')).sort();
  const mods: CommandModule[] = [];
  for (const file of files) {
    const mod: unknown = await import(pathToFileURL(join(dir, file)).href);
    mods.push(validateCommand(file, mod));
  }
  checkUnique(mods);
  return mods;
}

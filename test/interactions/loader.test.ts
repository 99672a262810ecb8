import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS_DIR, CommandLoadError, checkUnique, commandManifest, loadCommands, loadCommandsLazily, manifestFile, preloadCommands, useBundledCommands, validateCommand } from '../../src/interactions/loader.ts';
import type { CommandModule } from '../../src/interactions/command.ts';
import { DISCORD_LIMITS } from '../../src/interactions/limits.ts';
import { tempDir } from '../support.ts';

const mod = (name: string, extra: Record<string, unknown> = {}) => ({
  data: { name, toJSON: () => ({ name, description: `the ${name} command` }) },
  execute: async () => ({ body: { type: 1 } }),
  ...extra,
});

/** A command module file that imports nothing, as a string. */
const source = (name: string, opts: { jsonName?: string; execute?: boolean } = {}) => `
export const data = { name: ${JSON.stringify(name)}, toJSON: () => ({ name: ${JSON.stringify(opts.jsonName ?? name)}, description: 'test' }) };
${opts.execute === false ? '' : 'export async function execute() { return { body: { type: 1 } }; }'}
`;

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => { tmp = tempDir(); });
afterEach(() => tmp.cleanup());

describe('validateCommand', () => {
  it('accepts a module whose name equals its file name', () => {
    const m = mod('ping', { autocomplete: async () => ({}) });
    expect(validateCommand('ping.ts', m)).toBe(m);
    expect(validateCommand('/abs/path/ping.js', mod('ping')).data.name).toBe('ping');
  });

  it('rejects a module without execute', () => {
    const { execute: _e, ...rest } = mod('ping');
    expect(() => validateCommand('ping.ts', rest)).toThrow(CommandLoadError);
    expect(() => validateCommand('ping.ts', rest)).toThrow(/ping\.ts: not a valid command module \(execute: /);
    expect(() => validateCommand('ping.ts', mod('ping', { execute: 'not a function' }))).toThrow(/execute: must be a function/);
  });

  it('rejects a module without data, with a bad name, or with optional handlers that are not functions', () => {
    expect(() => validateCommand('ping.ts', { execute: async () => ({}) })).toThrow(/data: /);
    expect(() => validateCommand('Bad Name.ts', mod('Bad Name'))).toThrow(/data\.name: must be 1–32/);
    expect(() => validateCommand('x.ts', mod('x'.repeat(33)))).toThrow(/data\.name/);
    expect(() => validateCommand('ping.ts', mod('ping', { component: 42 }))).toThrow(/component: must be a function/);
  });

  it('rejects a name different from the file name, and a toJSON name different from data.name', () => {
    expect(() => validateCommand('ping.ts', mod('pong'))).toThrow('ping.ts: command name "pong" must equal the file name "ping"');
    const m = mod('ping');
    m.data.toJSON = () => ({ name: 'pong', description: 'x' });
    expect(() => validateCommand('ping.ts', m)).toThrow('toJSON() name "pong" differs from data.name');
  });
});

describe('a loaded definition', () => {
  it('is built once: later toJSON calls return equal copies without asking the builder again', () => {
    let calls = 0;
    const m = mod('ping');
    const build = m.data.toJSON;
    m.data.toJSON = () => { calls++; return build(); };
    validateCommand('ping.ts', m);
    const a = m.data.toJSON();
    (a as { description: string }).description = 'changed by a caller';
    expect(m.data.toJSON()).toEqual({ name: 'ping', description: 'the ping command' });
    expect(calls).toBe(1);
  });

  it('a module that fails validation keeps its own toJSON', () => {
    const m = mod('pong');
    const own = m.data.toJSON;
    expect(() => validateCommand('ping.ts', m)).toThrow(CommandLoadError);
    expect(m.data.toJSON).toBe(own);
  });
});

/** A built command that counts its imports (globalThis.__imported) and echoes what execute is given. */
const counted = (name: string, extra = '') => `
globalThis.__imported = [...(globalThis.__imported ?? []), ${JSON.stringify(name)}];
export const data = { name: ${JSON.stringify(name)}, toJSON: () => ({ name: ${JSON.stringify(name)}, description: 'the ${name} command' }) };
export async function execute(ctx) { return { body: { type: 4, data: { content: '${name} ran for ' + ctx.who } } }; }
${extra}`;
const imported = () => (globalThis as { __imported?: string[] }).__imported ?? [];

describe('loadCommandsLazily (the built commands and their manifest)', () => {
  let built: string;
  const entry = (name: string, handlers: string[] = []) => ({ file: `${name}.mjs`, name, definition: { name, description: `the ${name} command` }, handlers });
  beforeEach(() => {
    (globalThis as { __imported?: string[] }).__imported = [];
    built = join(tmp.dir, 'dist', 'commands');
    mkdirSync(built, { recursive: true });
    writeFileSync(join(built, 'alpha.mjs'), counted('alpha', 'export async function autocomplete() { return { body: { type: 8 } }; }'));
    writeFileSync(join(built, 'beta.mjs'), counted('beta', 'export function dmGuild(args) { return args[0]; }'));
    writeFileSync(manifestFile(built), JSON.stringify([entry('alpha', ['autocomplete']), entry('beta', ['dmGuild'])]));
  });

  it('lists every command from the manifest, imports one when it is first used, and a dmGuild command at once', async () => {
    const mods = await loadCommandsLazily(built);
    expect(mods.map((m) => m.data.name)).toEqual(['alpha', 'beta']);
    expect(mods[0]!.data.toJSON()).toEqual({ name: 'alpha', description: 'the alpha command' });
    expect(typeof mods[0]!.autocomplete).toBe('function');
    expect(mods[0]!.component).toBeUndefined();
    expect(imported()).toEqual(['beta']);
    const reply = await mods[0]!.execute({ who: 'u1' } as never);
    expect(reply).toEqual({ body: { type: 4, data: { content: 'alpha ran for u1' } } });
    await mods[0]!.execute({ who: 'u2' } as never);
    expect(imported()).toEqual(['beta', 'alpha']);
    await preloadCommands(mods);
    expect(imported()).toEqual(['beta', 'alpha']);
  });

  it('the build writes the manifest from the modules (names, definitions, handlers)', async () => {
    const other = join(tmp.dir, 'other', 'commands');
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, 'gamma.mjs'), counted('gamma', 'export async function modal() { return { body: { type: 4 } }; }'));
    expect(await commandManifest(other)).toEqual([entry('gamma', ['modal'])]);
  });

  it('without a manifest (the sources), every command is imported at once', async () => {
    const plain = join(tmp.dir, 'plain', 'commands');
    mkdirSync(plain, { recursive: true });
    writeFileSync(join(plain, 'delta.mjs'), counted('delta'));
    const mods = await loadCommandsLazily(plain);
    expect(mods.map((m) => m.data.name)).toEqual(['delta']);
    expect(imported()).toEqual(['delta']);
  });

  it('a module whose handlers differ from the manifest fails when used, naming the fix', async () => {
    writeFileSync(join(built, 'alpha.mjs'), counted('alpha'));
    const mods = await loadCommandsLazily(built);
    await expect(mods[0]!.execute({ who: 'u1' } as never)).rejects.toThrow(/alpha\.mjs: its handlers \(autocomplete\) differ from commands\.json: npm run build/);
    await expect(preloadCommands(mods)).rejects.toThrow(CommandLoadError);
  });
});

describe('the bundled start (useBundledCommands)', () => {
  afterEach(() => useBundledCommands(undefined));

  it('takes the commands of the built folder from the bundle, other folders from their files', async () => {
    const files = readdirSync(COMMANDS_DIR).filter((f) => f.endsWith('.ts'));
    const copies = Object.fromEntries(files.map((f) => [f, async () => mod(f.replace(/\.ts$/, ''))]));
    useBundledCommands(copies);
    const mods = await loadCommands(COMMANDS_DIR);
    expect(mods.map((m) => m.data.toJSON().description)).toEqual(files.map((f) => `the ${f.replace(/\.ts$/, '')} command`));
    writeFileSync(join(tmp.dir, 'ping.ts'), source('ping'));
    expect((await loadCommands(tmp.dir)).map((m) => m.data.name)).toEqual(['ping']);
  });

  it('a built command missing from the bundle fails, naming the fix', async () => {
    useBundledCommands({});
    await expect(loadCommands(COMMANDS_DIR)).rejects.toThrow(/not in the built start \(npm run build\)/);
  });
});

describe('checkUnique', () => {
  it('accepts distinct names and rejects a duplicate', () => {
    const a = mod('a') as unknown as CommandModule;
    const b = mod('b') as unknown as CommandModule;
    expect(() => checkUnique([a, b])).not.toThrow();
    expect(() => checkUnique([a, b, mod('a') as unknown as CommandModule])).toThrow('duplicate command name "a"');
  });
});

describe('loadCommands', () => {
  it('loads modules from a folder, sorted, skipping non-modules and .d.ts', async () => {
    writeFileSync(join(tmp.dir, 'beta.ts'), source('beta'));
    writeFileSync(join(tmp.dir, 'alpha.mjs'), source('alpha'));
    writeFileSync(join(tmp.dir, 'types.d.ts'), 'export {};');
    writeFileSync(join(tmp.dir, 'README.md'), '# not a command');
    const mods = await loadCommands(tmp.dir);
    expect(mods.map((m) => m.data.name)).toEqual(['alpha', 'beta']);
  });

  it('fails on a module without execute, a misnamed module, or two modules with one name', async () => {
    writeFileSync(join(tmp.dir, 'broken.ts'), source('broken', { execute: false }));
    await expect(loadCommands(tmp.dir)).rejects.toThrow(/broken\.ts: not a valid command module \(execute: /);

    const misnamed = join(tmp.dir, 'misnamed');
    mkdirSync(misnamed);
    writeFileSync(join(misnamed, 'help.ts'), source('assist'));
    await expect(loadCommands(misnamed)).rejects.toThrow('command name "assist" must equal the file name "help"');

    const dup = join(tmp.dir, 'dup');
    mkdirSync(dup);
    writeFileSync(join(dup, 'same.ts'), source('same'));
    writeFileSync(join(dup, 'same.mjs'), source('same'));
    await expect(loadCommands(dup)).rejects.toThrow('duplicate command name "same"');
  });

  it('loads every real command in commands/, each named after its file, within Discord limits', async () => {
    const files = readdirSync(COMMANDS_DIR).filter((f) => /\.(ts|js|mjs)$/.test(f) && !f.endsWith('.d.ts'));
    const mods = await loadCommands();
    expect(mods.map((m) => m.data.name).sort()).toEqual(files.map((f) => f.replace(/\.(ts|js|mjs)$/, '')).sort());
    for (const m of mods) {
      const json = m.data.toJSON();
      expect(json.description.length, json.name).toBeGreaterThan(0);
      expect(json.description.length, json.name).toBeLessThanOrEqual(DISCORD_LIMITS.optionValue);
      expect(json.description_localizations?.['zh-CN'], json.name).toBeTruthy();
    }
    expect(mods.map((m) => m.data.name)).toEqual(expect.arrayContaining(['help', 'need', 'capability', 'search', 'match', 'sectors', 'import', 'export']));
  });
});

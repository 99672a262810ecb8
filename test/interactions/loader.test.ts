import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS_DIR, CommandLoadError, checkUnique, loadCommands, validateCommand } from '../../src/interactions/loader.ts';
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

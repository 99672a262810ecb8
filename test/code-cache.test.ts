// Node 20's code cache for the bundled start (src/code-cache.ts): made on a first run, taken on the next,
// made again when V8 refuses it, and never in the way when it cannot be written.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheFile, runCached } from '../src/code-cache.ts';
import { tempDir } from './support.ts';

const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

/** A CommonJS file that records its module scope on a global, and requires a sibling. */
function script(): { file: string; dir: string } {
  const tmp = tempDir('liaison-code-cache-');
  dirs.push(tmp);
  writeFileSync(join(tmp.dir, 'dep.cjs'), 'module.exports = 41;');
  const file = join(tmp.dir, 'bundle.cjs');
  writeFileSync(file, 'const dep = require("./dep.cjs");\nfunction add(a) { return a + dep; }\nmodule.exports = add;\nglobalThis.__codeCacheRun = { value: add(1), file: __filename, self: module.exports === add };\n');
  return { file, dir: join(tmp.dir, 'cache') };
}

const ran = () => (globalThis as { __codeCacheRun?: unknown }).__codeCacheRun;

describe('runCached', () => {
  it('runs the file as require would, makes the cache once, and takes it on the next run', () => {
    const { file, dir } = script();
    const first = runCached(file, 'h1', dir);
    expect(first.cache).toBe('miss');
    expect(ran()).toEqual({ value: 42, file, self: true });
    first.save();
    expect(existsSync(cacheFile(dir, file, 'h1'))).toBe(true);
    expect(runCached(file, 'h1', dir).cache).toBe('hit');
    expect(ran()).toEqual({ value: 42, file, self: true });
  });

  it('makes the cache again when V8 refuses it, and drops the caches of other builds', () => {
    const { file, dir } = script();
    mkdirSync(dir, { recursive: true });
    writeFileSync(cacheFile(dir, file, 'h1'), Buffer.from('not a code cache'));
    writeFileSync(cacheFile(dir, file, 'old'), Buffer.from('an older build'));
    const run = runCached(file, 'h1', dir);
    expect(run.cache).toBe('rejected');
    run.save();
    expect(readdirSync(dir)).toEqual([`bundle.cjs-h1-${process.version}-${process.arch}.v8`]);
    expect(runCached(file, 'h1', dir).cache).toBe('hit');
  });

  it('runs without a cache where none can be written', () => {
    const { file } = script();
    const blocked = join(file, 'no-dir'); // under a file: mkdir fails
    const run = runCached(file, 'h1', blocked);
    expect(run.cache).toBe('miss');
    expect(() => run.save()).not.toThrow();
    expect(ran()).toEqual({ value: 42, file, self: true });
    expect(runCached(file, 'h1', blocked).cache).toBe('miss');
  });

  it('leaves the file to require when source maps are on (node --enable-source-maps maps only what require loads)', () => {
    const { file, dir } = script();
    const was = process.sourceMapsEnabled;
    process.setSourceMapsEnabled(true);
    try {
      expect(runCached(file, 'h1', dir).cache).toBe('off');
      expect(ran()).toEqual({ value: 42, file, self: true });
    } finally {
      process.setSourceMapsEnabled(was);
    }
    expect(existsSync(dir)).toBe(false);
  });

  it('lets the error of a failing file through', () => {
    const { file, dir } = script();
    writeFileSync(file, 'throw new Error("bad start");');
    expect(() => runCached(file, 'h2', dir)).toThrow('bad start');
  });
});

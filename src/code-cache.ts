// Node 20 has no compile cache (module.enableCompileCache is Node 22+), and compiling the bundled start
// was ~100 ms of a ~350 ms start; Node 22+'s cache is made when a module is compiled, before it runs, so it
// misses the functions compiled while it runs. V8's code cache is the borrowed means: the CommonJS bundle is compiled
// through vm.Script with the bytes V8 made last time (cachedData), and when there were none, or V8 rejected
// them (another Node, other V8 flags), new ones are made once the start has run (so that they hold the
// functions it compiled) and written beside it. A cache that cannot be read or written only costs the compile.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

export interface CachedRun {
  /**
   * 'hit': V8 took the cached code; 'miss': none was there; 'rejected': V8 refused it (it is made again);
   * 'off': source maps are on (node --enable-source-maps), which Node applies to what require loads, not to a vm.Script.
   */
  cache: 'hit' | 'miss' | 'rejected' | 'off';
  /** Writes the cache now if this run has to (at most once; also done 2 s after the start, or at exit). */
  save(): void;
}

/** The cache file of a bundle: its content hash and the runtime in the name, so no other build or Node reads it. */
export const cacheFile = (dir: string, file: string, hash: string) =>
  join(dir, `${basename(file)}-${hash}-${process.version}-${process.arch}.v8`);

/**
 * Runs the CommonJS file `file` (module scope as require gives it) compiled with the code cache kept in
 * `dir` under `hash` (the file's content hash, which the build knows).
 */
export function runCached(file: string, hash: string, dir: string, saveAfterMs = 2000): CachedRun {
  if (process.sourceMapsEnabled) {
    createRequire(file)(file);
    return { cache: 'off', save: () => {} };
  }
  const cached = cacheFile(dir, file, hash);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cached);
  } catch {
    cachedData = undefined;
  }
  // The wrapper stays on the file's first line, so line numbers (and the source map) are unchanged.
  const source = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(file, 'utf8')}\n})`;
  const script = new Script(source, { filename: file, cachedData });
  const cache = cachedData === undefined ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
  let pending = cache !== 'hit';
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    if (!pending) return;
    pending = false;
    clearTimeout(timer);
    process.off('exit', save);
    try {
      mkdirSync(dir, { recursive: true });
      const tmp = `${cached}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cached); // atomic: a concurrent start reads the old file or the new one, never half of it
      const prefix = `${basename(file)}-`;
      for (const f of readdirSync(dir)) if (f.startsWith(prefix) && f.endsWith('.v8') && join(dir, f) !== cached) rmSync(join(dir, f), { force: true });
    } catch {
      // read-only install (e.g. a container's dist/): every start compiles, as without the cache
    }
  };
  if (pending) {
    timer = setTimeout(save, saveAfterMs).unref();
    process.once('exit', save);
  }
  const module = { exports: {} as unknown };
  const fn = script.runInThisContext() as (...a: unknown[]) => void;
  fn.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return { cache, save };
}

// The compiled start (npm start → dist/): the start, the servers and the commands one bundle from the sources
// (their import.meta.url pinned to tsc's layout), run through a stub that caches its compiled code; kysely, zod and the builders bundled for the rest of dist/ (the
// rewrite of imports), and the built console answering through them (CI builds dist/ in npm ci, through prepare).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST_VAR, MAIN_BUNDLE, mainStub, pinMetaUrl } from '../src/build-bundle.ts';
import { rewriteImports, VENDORED, vendorFile } from '../src/build-vendor.ts';
import { ROOT, childEnv, tempDir } from './support.ts';

describe('rewriteImports', () => {
  it('points static, dynamic and bare imports of a bundled package at its file, relative to the importer', () => {
    const code = [
      "import { z } from 'zod';",
      'import { Kysely, sql } from "kysely";',
      "const b = await import('@discordjs/builders');",
      "import 'discord-api-types/v10';",
    ].join('\n');
    const out = rewriteImports(code, '/app/dist/src/store', '/app/dist/vendor');
    expect(out).toBe([
      "import { z } from '../../vendor/zod.js';",
      'import { Kysely, sql } from "../../vendor/kysely.js";',
      "const b = await import('../../vendor/discordjs__builders.js');",
      "import '../../vendor/discord-api-types__v10.js';",
    ].join('\n'));
  });

  it('leaves other packages, subpaths, relative imports and look-alike strings alone', () => {
    const code = [
      "import pg from 'pg';",
      "import { z } from 'zod/v4';",
      "import { x } from './zod';",
      "import { y } from 'kysely-extra';",
      "const s = 'zod';",
    ].join('\n');
    expect(rewriteImports(code, '/app/dist/src', '/app/dist/vendor')).toBe(code);
  });
});

describe('pinMetaUrl', () => {
  it('points every import.meta.url at the file tsc writes (dist-relative .js)', () => {
    const code = "export const F = new URL('../../data/glossary.json', import.meta.url);\nconst d = fileURLToPath(new URL('.', import.meta.url));";
    expect(pinMetaUrl(code, 'src/match/glossary.ts')).toBe(
      `export const F = new URL('../../data/glossary.json', (${DIST_VAR} + "src/match/glossary.js"));\nconst d = fileURLToPath(new URL('.', (${DIST_VAR} + "src/match/glossary.js")));`);
  });

  it('leaves code without import.meta.url, and import.meta.resolve, alone', () => {
    const code = "const api = import.meta.resolve('tsx/esm/api');\nconst url = 'import.meta.urls';";
    expect(pinMetaUrl(code, 'src/x.ts')).toBe(code);
  });
});

const built = existsSync(join(ROOT, 'dist', 'vendor', vendorFile('zod')));
// A dist/ built by an older build (a worktree rebased without `npm run build`) skips the bundle's own checks.
const bundled = existsSync(join(ROOT, 'dist', 'src', MAIN_BUNDLE));
describe.skipIf(!built)('the built start (dist/)', () => {
  it.skipIf(!bundled)('the start, the servers and every command are one bundle, run by the stub under its content hash', () => {
    const bundle = readFileSync(join(ROOT, 'dist', 'src', MAIN_BUNDLE));
    expect(readFileSync(join(ROOT, 'dist', 'src', 'main.js'), 'utf8')).toBe(mainStub(createHash('sha256').update(bundle).digest('hex').slice(0, 16)));
    const text = bundle.toString('utf8');
    for (const f of readdirSync(join(ROOT, 'commands')).filter((f) => f.endsWith('.ts'))) expect(text).toContain(`// commands/${f}`);
    expect(text).toContain('// src/discord/server.ts');
    // Every import() of a package is a require() (code-cache.ts runs the bundle as a script, where import() has no loader).
    expect(text).not.toMatch(/\bimport\("/);
    expect(text).toMatch(/require\("pg"\)/);
    expect(text).not.toMatch(/require\("(zod|kysely|@discordjs\/builders|discord-api-types)/); // bundled in, not required
  });

  it('imports no bundled package by name', () => {
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : []));
    const bare = new RegExp(`from\\s*['"](${VENDORED.map((v) => v.replace('/', '\\/')).join('|')})['"]`);
    const offenders = [...files(join(ROOT, 'dist', 'src')), ...files(join(ROOT, 'dist', 'commands'))].filter((f) => bare.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('answers the console through the bundled packages (store, schemas, builders); a bad command gets its message', async () => {
    const tmp = tempDir();
    try {
      const input = '/help\n/need show id:N-0001\n/need show id:N-9999\n/match need id:N-0009\n';
      const stdout = await new Promise<string>((resolve, reject) => {
        const c = execFile(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], { cwd: tmp.dir, env: childEnv({ STORE_URL: `sqlite://${join(tmp.dir, 's.sqlite')}` }), timeout: 60_000 },
          (err, out) => (err ? reject(err) : resolve(out)));
        c.stdin!.end(input);
      });
      expect(stdout).toMatch(/36 needs, 48 capabilities/);
      expect(stdout).toContain('/match need | capability | text');
      expect(stdout).toContain('10kV小电流接地配电网单相接地故障区段定位');
      expect(stdout).toMatch(/N-9999/);
      // The matching data found through the pinned paths (glossary automata, lexicon, calibration).
      expect(stdout).toMatch(/C-0013 · Microalgae lipid extraction[^\n]* — 0\.\d\d/);
    } finally {
      tmp.cleanup();
    }
  }, 90_000);
});

// Part of npm run build: what `npm start` loads is bundled (esbuild: a dev dependency at the version tsx installs, so one copy). The console's
// first reply used to load ~130 modules; Node spent most of a start resolving, reading and compiling them,
// and zod, discord's builders and discord-api-types were loaded whole. Bundled from the sources, the
// start (dist/src/main.js) and the commands (dist/commands/*.js, still found by the loader's directory
// scan) share chunks in dist/chunks/, those packages are cut to what the code uses, and every dynamic
// import (servers, cluster, PostgreSQL) stays a chunk loaded when first used.
// The rest of dist/ stays tsc's output: the build worker, the command line and the analyser's hash read it.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Plugin } from 'esbuild';

/** Pure-JavaScript packages bundled in; every other package (native, or loaded only by servers) stays external. */
export const BUNDLED = ['zod', 'kysely', '@discordjs/builders', 'discord-api-types', 'fuse.js', 'keyv', '@keyv/serialize', 'dotenv'];

/** npm start's file (dist/src/main.js) turns Node's compile cache on, then imports the bundled start. */
export const MAIN_BUNDLE = 'main-bundle';
export const MAIN_STUB = `// npm start. Node 22+ keeps the bundle's compiled code on disk (module.enableCompileCache, in the
// system's temporary directory), so later starts skip most of the compiling; Node 20 has no such cache.
import module from 'node:module';
module.enableCompileCache?.();
await import('./${MAIN_BUNDLE}.js');
`;

/** A module's own URL as tsc's output has it (dist/<path>.js), so paths relative to it keep working. */
export const DIST_VAR = '__liaison_dist';

const packageOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);

/** The source with import.meta.url pointing at where tsc puts the file (root-relative .ts → dist-relative .js). */
export function pinMetaUrl(code: string, rootRelative: string): string {
  const js = rootRelative.replace(/\\/g, '/').replace(/\.ts$/, '.js');
  return code.replace(/\bimport\.meta\.url\b/g, `(${DIST_VAR} + ${JSON.stringify(js)})`);
}

function plugin(root: string): Plugin {
  return {
    name: 'liaison',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (a) => {
        if (a.path.startsWith('node:')) return { external: true };
        // What a bundled package imports is bundled with it.
        if (a.importer.includes('/node_modules/')) return undefined;
        return BUNDLED.includes(packageOf(a.path)) ? undefined : { external: true };
      });
      // zod's ~40 message locales (~370 KB, ~40 % of zod) are never used: Liaison's own messages name the
      // problem, and zod's defaults stay English.
      b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({ contents: "export { default as en } from './en.js';", loader: 'js' }));
      b.onLoad({ filter: /\.ts$/ }, (a) => {
        if (a.path.includes('/node_modules/')) return undefined;
        const code = readFileSync(a.path, 'utf8');
        return { contents: code.includes('import.meta.url') ? pinMetaUrl(code, relative(root, a.path)) : code, loader: 'ts' };
      });
    },
  };
}

/**
 * Bundles dist/src/main-bundle.js (under the stub dist/src/main.js) and dist/commands/*.js from the sources under root, over tsc's files of the same
 * names, with their shared code in dist/chunks/. false without esbuild (dist/ keeps tsc's output).
 */
export async function bundle(root: string, distDir: string): Promise<boolean> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    return false;
  }
  const commands = readdirSync(join(root, 'commands')).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();
  const entries = [
    { in: join(root, 'src/main.ts'), out: `src/${MAIN_BUNDLE}` },
    ...commands.map((f) => ({ in: join(root, 'commands', f), out: `commands/${f.replace(/\.ts$/, '')}` })),
  ];
  const result = await esbuild.build({
    entryPoints: entries, outdir: distDir, bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20',
    chunkNames: 'chunks/[name]-[hash]', write: false, sourcemap: 'linked', logLevel: 'error', absWorkingDir: root,
    // Every output sits one directory below dist/ (src/, commands/, chunks/), so dist/ is '../' from each.
    // The CommonJS packages (dotenv, discord-api-types) ask for node's modules through require.
    banner: { js: `import { createRequire as __liaison_cr } from 'node:module'; const require = __liaison_cr(import.meta.url); const ${DIST_VAR} = new URL('../', import.meta.url).href;` },
    plugins: [plugin(root)],
  });
  rmSync(join(distDir, 'chunks'), { recursive: true, force: true });
  for (const f of result.outputFiles) {
    const depth = relative(distDir, f.path).split(/[\\/]/).length;
    if (depth !== 2) throw new Error(`bundle: ${f.path} is not one directory below ${distDir}`);
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.contents);
  }
  writeFileSync(join(distDir, 'src', 'main.js'), MAIN_STUB);
  return true;
}

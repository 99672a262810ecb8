// Part of npm run build: what `npm start` loads is bundled (esbuild: a dev dependency at the version tsx installs, so one copy). The console's
// first reply used to load ~130 modules; Node spent most of a start resolving, reading and compiling them,
// and zod, discord's builders and discord-api-types were loaded whole. The start, the servers and every
// command are one CommonJS file (dist/src/main-bundle.cjs) bundled from the sources: what the console does not
// need at once (commands, servers, PostgreSQL) is in it but evaluated when first imported, and one file of
// CommonJS is what V8's code cache can hold (code-cache.ts).
// The rest of dist/ stays tsc's output: the build worker, the command line and the analyser's hash read it, and
// dist/commands/ (the manifest is taken from it; the bundled start imports its own copy of each command).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, relative } from 'node:path';
import type { Plugin } from 'esbuild';

/** Pure-JavaScript packages bundled in; every other package (native, or loaded only by servers) stays external. */
export const BUNDLED = ['zod', 'kysely', '@discordjs/builders', 'discord-api-types', 'fuse.js', 'keyv', '@keyv/serialize', 'dotenv'];

/** npm start's file (dist/src/main.js) runs the bundled start with its compiled code cached. */
export const MAIN_BUNDLE = 'main-bundle.cjs';
export const mainStub = (hash: string) => `// npm start: the bundled start (${MAIN_BUNDLE}) with its compiled code cached in dist/.v8-cache/ by
// code-cache.js, on every Node: Node 22+'s own compile cache (on here for the packages loaded later, such as
// discord.js) caches code compiled before the module runs, while this cache also holds the functions the start ran.
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { runCached } from './code-cache.js';
module.enableCompileCache?.();
runCached(fileURLToPath(new URL('./${MAIN_BUNDLE}', import.meta.url)), '${hash}', fileURLToPath(new URL('../.v8-cache/', import.meta.url)));
`;

/** A module's own URL as tsc's output has it (dist/<path>.js), so paths relative to it keep working. */
export const DIST_VAR = '__liaison_dist';

const packageOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);

/** The source with import.meta.url pointing at where tsc puts the file (root-relative .ts → dist-relative .js). */
export function pinMetaUrl(code: string, rootRelative: string): string {
  const js = rootRelative.replace(/\\/g, '/').replace(/\.ts$/, '.js');
  return code.replace(/\bimport\.meta\.url\b/g, `(${DIST_VAR} + ${JSON.stringify(js)})`);
}

/** The bundle's entry: every command registered with the loader (so that each is its bundled copy), then the start. */
const VIRTUAL = 'liaison:commands';
const entry = `import '${VIRTUAL}';\nimport './src/main.ts';\n`;
const registry = (commands: string[]) => `import { useBundledCommands } from './src/interactions/loader.ts';
useBundledCommands({
${commands.map((f) => `  ${JSON.stringify(f.replace(/\.ts$/, '.js'))}: () => import('./commands/${f}'),`).join('\n')}
});
`;

function plugin(root: string, commands: string[]): Plugin {
  return {
    name: 'liaison',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${VIRTUAL}$`) }, () => ({ path: VIRTUAL, namespace: 'liaison' }));
      b.onLoad({ filter: /.*/, namespace: 'liaison' }, () => ({ contents: registry(commands), resolveDir: root, loader: 'ts' }));
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
 * Bundles dist/src/main-bundle.cjs from the sources under root and writes the stub dist/src/main.js over tsc's
 * file. false without esbuild (dist/ keeps tsc's output).
 */
export async function bundle(root: string, distDir: string): Promise<boolean> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    return false;
  }
  const commands = readdirSync(join(root, 'commands')).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();
  const result = await esbuild.build({
    stdin: { contents: entry, resolveDir: root, sourcefile: 'start.ts', loader: 'ts' },
    outfile: join(distDir, 'src', MAIN_BUNDLE), bundle: true, format: 'cjs', platform: 'node', target: 'node20',
    // import() of a package becomes require(): the bundle runs as a vm.Script on Node 20 (code-cache.ts), where
    // import() would need a loader of its own. Imports of the sources are evaluated when first imported.
    supported: { 'dynamic-import': false },
    write: false, sourcemap: 'linked', logLevel: 'error', absWorkingDir: root,
    // The bundle sits in dist/src/, so dist/ is '..' from it.
    banner: { js: `const ${DIST_VAR} = require("node:url").pathToFileURL(require("node:path").join(__dirname, "..", "/")).href;` },
    plugins: [plugin(root, commands)],
  });
  let hash = '';
  for (const f of result.outputFiles) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.contents);
    if (f.path.endsWith(MAIN_BUNDLE)) hash = createHash('sha256').update(f.contents).digest('hex').slice(0, 16);
  }
  writeFileSync(join(distDir, 'src', 'main.js'), mainStub(hash));
  return true;
}

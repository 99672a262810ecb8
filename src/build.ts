// The tail of npm run build (run by npm install through prepare): the compiled code in dist/ finds
// data/ where the sources do (dist/data → ../data), the glossary's automata are precomputed, and the
// start is bundled (build-bundle.ts); the packages with hundreds of modules are bundled for what else runs
// from dist/ (build-vendor.ts: the build worker, the command line).
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundle } from './build-bundle.ts';
import { commandManifest, manifestFile } from './interactions/loader.ts';
import { vendor } from './build-vendor.ts';
import { buildSnapshot } from './match/build-automaton.ts';
import { SNAPSHOT_FILE } from './match/glossary.ts';

const dist = new URL('../', import.meta.url);
const link = fileURLToPath(new URL('data', dist));
rmSync(link, { recursive: true, force: true });
symlinkSync('../data', link, 'dir');
writeFileSync(SNAPSHOT_FILE, buildSnapshot());
const vendored = await vendor(fileURLToPath(dist), ['src', 'commands']);
const bundled = vendored && await bundle(fileURLToPath(new URL('../', dist)), fileURLToPath(dist));
// The commands' names, definitions and handlers, so that the console can start without importing them all.
const builtCommands = fileURLToPath(new URL('commands', dist));
writeFileSync(manifestFile(builtCommands), JSON.stringify(await commandManifest(builtCommands)));
process.stderr.write(`built ${fileURLToPath(dist)} (glossary automata in ${fileURLToPath(SNAPSHOT_FILE)}${bundled ? '; the start, the servers and the commands bundled in src/main-bundle.cjs; kysely, zod and the builders bundled in vendor/' : '; esbuild not found: packages left unbundled'})\n`);

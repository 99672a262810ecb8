// Part of npm run build: kysely, zod and discord's builders are hundreds of small ES modules (~480 files
// before the console's first reply), and Node spends most of a start resolving and compiling them.
// Bundled into one file each under dist/vendor/ (esbuild, a dev dependency at the version tsx installs) and the compiled
// code pointed at those files, the same packages load ~3–8× faster. Without esbuild, dist/ keeps the
// plain imports. Tests run the sources, which import the packages themselves.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** Pure-JavaScript packages on the start-up path, as the code imports them. */
export const VENDORED = ['kysely', 'zod', '@discordjs/builders', 'discord-api-types/v10'] as const;

export const vendorFile = (spec: string) => `${spec.replace(/^@/, '').replace(/\//g, '__')}.js`;

/** `from 'zod'` / `import('zod')` → the bundled file, relative to the importing file. */
export function rewriteImports(code: string, fromDir: string, vendorDir: string): string {
  return code.replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"]+)\2/g, (all, head: string, q: string, spec: string) => {
    if (!(VENDORED as readonly string[]).includes(spec)) return all;
    let rel = relative(fromDir, join(vendorDir, vendorFile(spec)));
    if (!rel.startsWith('.')) rel = `./${rel}`;
    return `${head}${q}${rel}${q}`;
  });
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? jsFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : []);
}

/** Bundles the packages into distDir/vendor and rewrites the compiled code's imports; false without esbuild. */
export async function vendor(distDir: string, codeDirs: string[]): Promise<boolean> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    return false;
  }
  const vendorDir = join(distDir, 'vendor');
  mkdirSync(vendorDir, { recursive: true });
  await Promise.all(VENDORED.map((spec) => esbuild.build({
    entryPoints: [spec], bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'error',
    outfile: join(vendorDir, vendorFile(spec)), absWorkingDir: dirname(distDir),
  })));
  for (const dir of codeDirs) {
    for (const file of jsFiles(join(distDir, dir))) {
      const code = readFileSync(file, 'utf8');
      const out = rewriteImports(code, dirname(file), vendorDir);
      if (out !== code) writeFileSync(file, out);
    }
  }
  return true;
}

// The report's font comes from npm (@embedpdf/fonts-sc: Noto Sans Hans, SIL OFL 1.1), never from the system,
// so Chinese renders on a fresh machine after `npm install`. Registered once per process.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';

export const REPORT_FONT = 'Liaison Report Sans';
const FILES = [
  ['NotoSansHans-Regular.otf', 400],
  ['NotoSansHans-Bold.otf', 700],
] as const;

let registered = false;

/** Folder holding the package's .otf files (its exports hide them, so go via the resolved entry point). */
export function fontDir(): string {
  const entry = createRequire(import.meta.url).resolve('@embedpdf/fonts-sc');
  return join(dirname(entry), '..', 'fonts');
}

/** Registers the report font family (regular and bold) and returns its name. Throws if the files are missing. */
export function reportFont(): string {
  if (registered) return REPORT_FONT;
  for (const [file, weight] of FILES) {
    const path = join(fontDir(), file);
    if (!GlobalFonts.registerFromPath(path, REPORT_FONT, { weight })) {
      throw new Error(`Cannot load the report font ${path}; run npm install (package @embedpdf/fonts-sc).`);
    }
  }
  registered = true;
  return REPORT_FONT;
}

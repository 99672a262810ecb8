// The problem lexicon (data/problems/<sector>.json) and standards (data/standards.json): how
// enterprises describe failures, complaints and wishes, mapped to the methods labs write; and
// standard codes mapped to their subject. Formats: the zod schemas below (README "Matching").
import { readdirSync, readFileSync } from 'node:fs';
import * as z from 'zod';
import { SectorId } from '../domain/sectors.ts';

/**
 * A gapped form ("线路…跳闸", "won't … start"): two parts a few words apart in one clause (bridge.ts GAP). The
 * second part may be one character (a consequence: 轴承…响, 焊缝…裂); the first, what it happens to, may not.
 */
export const GAP_MARK = '…';
const Form = z.string().trim().min(2).max(120).refine((f) => {
  if (!f.includes(GAP_MARK) && !f.includes('...')) return true;
  const parts = f.split(/…|\.\.\./).map((x) => x.trim());
  return parts.length === 2 && parts[0]!.length >= 2 && parts[1]!.length >= 1;
}, 'a gapped form has two parts around one "…": 2 or more characters, then 1 or more');
const Forms = z.strictObject({ zh: z.array(Form), en: z.array(Form) });

export const FAMILY_KINDS = ['defect', 'failure', 'complaint', 'cost', 'yield', 'energy', 'labour', 'quality', 'compliance', 'safety', 'wish'] as const;

export const ProblemFamily = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'kebab-case ASCII'),
  kind: z.enum(FAMILY_KINDS),
  problem: Forms,
  methods: Forms,
  concepts: z.array(z.string()).optional(),
  sectors: z.array(SectorId).optional(),
});
export type ProblemFamily = z.infer<typeof ProblemFamily>;

export const ProblemFile = z.strictObject({ version: z.literal(1), sector: SectorId, families: z.array(ProblemFamily).min(1) });
export type ProblemFile = z.infer<typeof ProblemFile>;

export const Standard = z.strictObject({
  code: z.string().min(2),
  title: z.strictObject({ zh: z.string(), en: z.string() }),
  subject: z.strictObject({ zh: z.array(z.string().trim().min(1).max(120)), en: z.array(z.string().trim().min(1).max(120)) }),
  concepts: z.array(z.string()).optional(),
  sectors: z.array(SectorId).optional(),
});
export type Standard = z.infer<typeof Standard>;
export const StandardsFile = z.strictObject({ version: z.literal(1), standards: z.array(Standard) });

export const PROBLEMS_DIR = new URL('../../data/problems/', import.meta.url);
export const STANDARDS_FILE = new URL('../../data/standards.json', import.meta.url);

/** Every problem file, parsed; errors name the file. */
export function loadProblemFiles(dir: URL = PROBLEMS_DIR): { file: string; data: ProblemFile }[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return names.map((file) => {
    const r = ProblemFile.safeParse(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
    if (!r.success) throw new Error(`${file}: ${r.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return { file, data: r.data };
  });
}

export function loadStandards(url: URL = STANDARDS_FILE): Standard[] {
  try {
    return StandardsFile.parse(JSON.parse(readFileSync(url, 'utf8'))).standards;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** Problems found across files that break the rules a schema cannot see: duplicate ids, unknown concepts. */
export function lexiconProblems(files: readonly { file: string; data: ProblemFile }[], standards: readonly Standard[], conceptIds: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const seen = new Map<string, string>();
  for (const { file, data } of files) {
    if (file !== `${data.sector}.json`) out.push(`${file}: sector "${data.sector}" does not match the file name`);
    for (const f of data.families) {
      const prev = seen.get(f.id);
      if (prev) out.push(`${file}: family "${f.id}" also in ${prev}`);
      seen.set(f.id, file);
      for (const c of f.concepts ?? []) if (!conceptIds.has(c)) out.push(`${file}: family "${f.id}": unknown concept "${c}"`);
    }
  }
  const codes = new Set<string>();
  for (const s of standards) {
    // Sub-parts (UL 508A, IEEE 802.3) share their family's key and are merged when loaded.
    const k = s.code.toUpperCase().replace(/\s+/g, '');
    if (codes.has(k)) out.push(`standards.json: "${s.code}" is listed twice`);
    codes.add(k);
    for (const c of s.concepts ?? []) if (!conceptIds.has(c)) out.push(`standards.json: "${s.code}": unknown concept "${c}"`);
  }
  return out;
}

/** Standards bodies whose codes count even when data/standards.json does not list the code. */
export const STANDARD_PREFIXES: ReadonlySet<string> = new Set([
  'GB', 'GB/T', 'GB/Z', 'GBZ', 'JB/T', 'HG/T', 'QC/T', 'NB/T', 'DL/T', 'YY', 'YY/T', 'SJ/T', 'GJB', 'HJ', 'T/CSAE',
  'IEC', 'ISO', 'ISO/IEC', 'UL', 'EN', 'ASTM', 'IATF', 'IEEE', 'SAE', 'DIN', 'JIS', 'ANSI', 'NFPA', 'AECQ', 'IPC', 'IPCA',
  'JSTD', 'MILSTD', 'ETSI', 'CISPR', 'USP', 'ASME', 'API', 'AWS', 'NACE', 'NEMA', 'IP', 'CQI', 'ICH',
]);

/** Capitalised prefix chunks ("GB/T", "IPC-A-", "MIL-STD-", "AEC-Q") and the family number. */
const CODE = /(?<![A-Za-z0-9])((?:[A-Z][A-Za-z]{0,5}(?:\/[A-Z]{1,2})?[ \-]?){1,3})(\d{1,6})/g;

function prefixKey(prefix: string): string {
  return prefix.toUpperCase().replace(/[\s-]+/g, '');
}

/** "GB/T 2423.17-2008" → "GB/T2423": prefix without spaces or hyphens, and the main number. */
export function standardKey(code: string): string | undefined {
  CODE.lastIndex = 0;
  const m = CODE.exec(code.normalize('NFKC'));
  return m ? prefixKey(m[1]!) + m[2]! : undefined;
}

/** Every standard code in a text, as keys; only codes of known standards bodies (`prefixes`), written in capitals. */
export function standardKeys(text: string, prefixes: ReadonlySet<string> = STANDARD_PREFIXES): string[] {
  const out: string[] = [];
  const src = text.normalize('NFKC');
  CODE.lastIndex = 0;
  for (let m = CODE.exec(src); m; m = CODE.exec(src)) {
    const p = prefixKey(m[1]!);
    if (prefixes.has(p)) out.push(p + m[2]!);
  }
  return out;
}

// The interchange format, version 1 (shared/contracts/dataset.md): parse with messages that name
// list, index, id and field; serialize in the contract's field order.
import { z } from 'zod';
import {
  CapabilityRecord, NeedRecord, recordSchema,
  type CapabilityRecord as Cap, type EntryType, type NeedRecord as Need,
} from './entry.ts';
import { MAX_REPORTED_PROBLEMS } from './limits.ts';
import { SECTOR_IDS } from './sectors.ts';
import { closest } from './suggest.ts';

export const Dataset = z.strictObject({
  version: z.literal(1),
  needs: z.array(NeedRecord),
  capabilities: z.array(CapabilityRecord),
});
export type Dataset = z.infer<typeof Dataset>;

export const LIST_OF: Record<EntryType, 'needs' | 'capabilities'> = { need: 'needs', capability: 'capabilities' };

export class DatasetError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    const shown = problems.slice(0, MAX_REPORTED_PROBLEMS);
    const more = problems.length - shown.length;
    super(`${problems.length} problem(s) in the dataset:\n${shown.join('\n')}${more > 0 ? `\n… and ${more} more` : ''}`);
    this.name = 'DatasetError';
    this.problems = problems;
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
}

function describe(type: string): string {
  return type === 'array' ? 'a list' : type === 'object' ? 'an object' : `a ${type}`;
}

/** A value quoted in a problem line: at most 60 characters, cut between code points. */
function short(text: string): string {
  const chars = Array.from(text.length > 200 ? text.slice(0, 200) : text);
  const cut = chars.length > 60 ? chars.slice(0, 59).join('') + '…' : chars.join('');
  return cut.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** One human sentence for one zod issue on an entry, given the entry's raw value. */
export function issueMessage(issue: z.core.$ZodIssue, entry: unknown): string {
  const value = valueAt(entry, issue.path);
  const field = issue.path[0];
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => `unknown field "${short(k)}"`).join('; ');
    case 'invalid_type':
      return value === undefined ? 'is required' : `must be ${describe(issue.expected)}`;
    case 'invalid_value': {
      if (field === 'sectors') {
        const hint = closest(String(value), SECTOR_IDS);
        return `unknown sector "${short(String(value))}"${hint ? ` — did you mean "${hint}"?` : ''} (valid: ${SECTOR_IDS.join(', ')})`;
      }
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(', ');
      const hint = closest(String(value), issue.values.map(String));
      return `invalid value ${short(JSON.stringify(value) ?? String(value))}${hint ? ` — did you mean "${hint}"?` : ''} (expected one of ${allowed})`;
    }
    default:
      return issue.message;
  }
}

/** Problems of one entry, each line naming list, index, id and field. */
export function entryProblems(type: EntryType, index: number, raw: unknown): string[] {
  const list = LIST_OF[type];
  const id = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : undefined;
  const where = `${list}[${index}]${id !== undefined ? ` (${id})` : ''}`;
  const result = recordSchema(type).safeParse(raw);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${where}${pathText(issue.path)}: ${issueMessage(issue, raw)}`);
}

/** Parses a contract document (already JSON-decoded). Throws DatasetError listing every problem. */
export function parseDataset(input: unknown): Dataset {
  const problems: string[] = [];
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new DatasetError(['the document must be a JSON object with "version", "needs" and "capabilities"']);
  const doc = input as Record<string, unknown>;
  for (const key of Object.keys(doc)) {
    if (!['version', 'needs', 'capabilities'].includes(key)) problems.push(`unknown top-level field "${key}"`);
  }
  if (doc.version !== 1) problems.push(`version: must be 1 (got ${JSON.stringify(doc.version)})`);
  for (const type of ['need', 'capability'] as const) {
    const list = LIST_OF[type];
    const items = doc[list];
    if (items === undefined) { problems.push(`${list}: is required (use [] for none)`); continue; }
    if (!Array.isArray(items)) { problems.push(`${list}: must be a list`); continue; }
    const firstIndex = new Map<string, number>();
    items.forEach((raw, index) => {
      problems.push(...entryProblems(type, index, raw));
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id !== 'string') return;
      const first = firstIndex.get(id);
      if (first !== undefined) problems.push(`${list}[${index}] (${id}).id: duplicate id "${id}" (first at ${list}[${first}])`);
      else firstIndex.set(id, index);
    });
  }
  if (problems.length > 0) throw new DatasetError(problems);
  return Dataset.parse(input);
}

/** Decodes and parses JSON text; a syntax error names the position. */
export function parseDatasetText(text: string): Dataset {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new DatasetError([`not valid JSON: ${(err as Error).message}`]);
  }
  return parseDataset(json);
}

const NEED_ORDER = ['id', 'org', 'title', 'description', 'sectors', 'keywords', 'region', 'contact'] as const;
const CAP_ORDER = ['id', 'org', 'kind', 'title', 'description', 'sectors', 'keywords', 'region', 'contact'] as const;

function ordered<T extends object>(entry: T, order: readonly string[]): T {
  const out: Record<string, unknown> = {};
  for (const key of order) {
    const v = (entry as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = v;
  }
  return out as T;
}

export function toDataset(needs: readonly Need[], capabilities: readonly Cap[]): Dataset {
  return {
    version: 1,
    needs: needs.map((n) => ordered(n, NEED_ORDER)),
    capabilities: capabilities.map((c) => ordered(c, CAP_ORDER)),
  };
}

export function serializeDataset(dataset: Dataset): string {
  return JSON.stringify(toDataset(dataset.needs, dataset.capabilities), null, 2) + '\n';
}

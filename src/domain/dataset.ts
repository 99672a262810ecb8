// The interchange format, version 1 (docs/interchange-format.md): parse with messages that name
// list, index, id and field; serialize in the contract's field order.
import * as z from 'zod';
import { translate, type Locale, type MessageKey, type Vars } from '../i18n/index.ts';
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

/** The format as a JSON Schema (shipped as docs/dataset.schema.json; a test keeps the file equal to this). */
export function datasetJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(Dataset, { io: 'input' }), title: 'Liaison dataset, interchange format version 1 (docs/interchange-format.md)' };
}

/** Where the format is described, for every import error. */
export const FORMAT_DOC = 'docs/interchange-format.md';

export const LIST_OF: Record<EntryType, 'needs' | 'capabilities'> = { need: 'needs', capability: 'capabilities' };

/** One problem: where it is (list, index, id, field path) and what, as a catalogue key. */
export interface Problem { where: string; key: MessageKey; vars: Vars }

/** A problem as a line in a language: "needs[3] (N-0004).sectors[0]: …". */
export function problemText(p: Problem, locale: Locale = 'en-US'): string {
  const what = translate(locale, p.key, p.vars);
  return p.where ? `${p.where}${locale === 'zh-CN' ? '：' : ': '}${what}` : what;
}

export class DatasetError extends Error {
  /** The problems in English (the command line's and the tests' wording). */
  readonly problems: readonly string[];
  constructor(readonly issues: readonly Problem[]) {
    const problems = issues.map((p) => problemText(p));
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

const TYPE_KEYS: Record<string, MessageKey> = {
  array: 'problem.mustBe.array', object: 'problem.mustBe.object', string: 'problem.mustBe.string', number: 'problem.mustBe.number',
};

/** A value quoted in a problem line: at most 60 characters, cut between code points. */
function short(text: string): string {
  const chars = Array.from(text.length > 200 ? text.slice(0, 200) : text);
  const cut = chars.length > 60 ? chars.slice(0, 59).join('') + '…' : chars.join('');
  return cut.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** What is wrong in one zod issue on an entry, given the entry's raw value. */
export function issueProblem(issue: z.core.$ZodIssue, entry: unknown): { key: MessageKey; vars: Vars } {
  const value = valueAt(entry, issue.path);
  const field = issue.path[0];
  switch (issue.code) {
    case 'unrecognized_keys':
      return { key: 'problem.unknownField', vars: { field: issue.keys.map(short).join('", "') } };
    case 'invalid_type':
      if (value === undefined) return { key: 'problem.required', vars: {} };
      return { key: TYPE_KEYS[issue.expected] ?? 'problem.mustBe.other', vars: { expected: issue.expected } };
    case 'invalid_value': {
      if (field === 'sectors') {
        const guess = closest(String(value), SECTOR_IDS);
        return { key: guess ? 'problem.unknownSectorHint' : 'problem.unknownSector', vars: { value: short(String(value)), valid: SECTOR_IDS.join(', '), ...(guess ? { guess } : {}) } };
      }
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(', ');
      const guess = closest(String(value), issue.values.map(String));
      return { key: guess ? 'problem.invalidValueHint' : 'problem.invalidValue', vars: { value: short(JSON.stringify(value) ?? String(value)), allowed, ...(guess ? { guess } : {}) } };
    }
    case 'too_small':
      return issue.origin === 'string' ? { key: 'problem.empty', vars: {} } : { key: 'problem.other', vars: { message: issue.message } };
    case 'too_big':
      return { key: issue.origin === 'array' ? 'problem.tooMany' : 'problem.tooLong', vars: { max: Number(issue.maximum) } };
    case 'invalid_format':
      return field === 'id' ? { key: 'problem.idChars', vars: {} } : { key: 'problem.other', vars: { message: issue.message } };
    default:
      return { key: 'problem.other', vars: { message: issue.message } };
  }
}

/** One sentence for one zod issue, in a language. */
export function issueMessage(issue: z.core.$ZodIssue, entry: unknown, locale: Locale = 'en-US'): string {
  const p = issueProblem(issue, entry);
  return translate(locale, p.key, p.vars);
}

/** Problems of one entry, each naming list, index, id and field. */
export function entryIssues(type: EntryType, index: number, raw: unknown): Problem[] {
  const list = LIST_OF[type];
  const id = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : undefined;
  const where = `${list}[${index}]${id !== undefined ? ` (${id})` : ''}`;
  const result = recordSchema(type).safeParse(raw);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ where: `${where}${pathText(issue.path)}`, ...issueProblem(issue, raw) }));
}

/** Problems of one entry in English. */
export function entryProblems(type: EntryType, index: number, raw: unknown): string[] {
  return entryIssues(type, index, raw).map((p) => problemText(p));
}

/** Parses a contract document (already JSON-decoded). Throws DatasetError listing every problem. */
export function parseDataset(input: unknown): Dataset {
  const problems: Problem[] = [];
  const at = (where: string, key: MessageKey, vars: Vars = {}) => problems.push({ where, key, vars });
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new DatasetError([{ where: '', key: 'problem.notObject', vars: {} }]);
  const doc = input as Record<string, unknown>;
  for (const key of Object.keys(doc)) {
    if (!['version', 'needs', 'capabilities'].includes(key)) at('', 'problem.unknownTopField', { field: key });
  }
  if (doc.version !== 1) at('version', 'problem.version', { value: String(JSON.stringify(doc.version)) });
  for (const type of ['need', 'capability'] as const) {
    const list = LIST_OF[type];
    const items = doc[list];
    if (items === undefined) { at(list, 'problem.listRequired'); continue; }
    if (!Array.isArray(items)) { at(list, 'problem.mustBe.array'); continue; }
    const firstIndex = new Map<string, number>();
    items.forEach((raw, index) => {
      problems.push(...entryIssues(type, index, raw));
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id !== 'string') return;
      const first = firstIndex.get(id);
      if (first !== undefined) at(`${list}[${index}] (${id}).id`, 'problem.duplicate', { id, first: `${list}[${first}]` });
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
    throw new DatasetError([{ where: '', key: 'problem.json', vars: { reason: (err as Error).message } }]);
  }
  return parseDataset(json);
}

const NEED_ORDER = ['id', 'org', 'title', 'description', 'sectors', 'keywords', 'region', 'contact'] as const;
const CAP_ORDER = ['id', 'org', 'kind', 'level', 'title', 'description', 'sectors', 'keywords', 'region', 'contact'] as const;

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

import { describe, expect, it } from 'vitest';
import {
  DatasetError, parseDataset, parseDatasetText, serializeDataset, toDataset, type Dataset,
} from '../../src/domain/dataset.ts';
import { FIELD_LIMITS, MAX_REPORTED_PROBLEMS } from '../../src/domain/limits.ts';
import { demoText, smallDataset } from '../support.ts';

/** The problems parseDataset reports for a document (fails the test when it parses). */
function problemsOf(doc: unknown): readonly string[] {
  try {
    parseDataset(doc);
  } catch (err) {
    expect(err).toBeInstanceOf(DatasetError);
    return (err as DatasetError).problems;
  }
  throw new Error('expected the dataset to be rejected');
}

/** A dataset with four needs, so needs[3] exists. */
function fourNeeds(): Dataset {
  const d = smallDataset();
  d.needs.push({ id: 'N-0004', org: 'Org', title: 'Stack durability', description: 'Durability of the stack.' });
  return d;
}

describe('parseDataset: success', () => {
  it('accepts a valid document and returns its entries', () => {
    const d = parseDataset(smallDataset());
    expect(d.needs.map((n) => n.id)).toEqual(['N-0001', 'N-0002', 'N-0003']);
    expect(d.capabilities[0]?.kind).toBe('key-lab');
  });
  it('accepts empty lists, a BOM, and Chinese, English and mixed text', () => {
    expect(parseDataset({ version: 1, needs: [], capabilities: [] })).toEqual({ version: 1, needs: [], capabilities: [] });
    const d = parseDatasetText('\uFEFF' + JSON.stringify(smallDataset()));
    expect(d.needs[0]?.org).toBe('上海某输配电设备有限公司');
  });
});

describe('parseDataset: errors name list, index, id and field', () => {
  it('an unknown sector suggests the closest id', () => {
    const d = fourNeeds();
    d.needs[3]!.sectors = ['fuel-cell' as never];
    const problems = problemsOf(d);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^needs\[3\] \(N-0004\)\.sectors\[0\]: unknown sector "fuel-cell" — did you mean "fuel-cells"\?/);
  });

  it('an unknown sector with no near id still lists the valid ones', () => {
    const d = smallDataset();
    d.capabilities[1]!.sectors = ['new-materials', 'astrophysics' as never];
    const [p] = problemsOf(d);
    expect(p).toMatch(/^capabilities\[1\] \(C-0002\)\.sectors\[1\]: unknown sector "astrophysics" \(valid: power-grid, /);
    expect(p).not.toContain('did you mean');
    d.capabilities[1]!.sectors = ['' as never];
    expect(problemsOf(d)[0]).toMatch(/^capabilities\[1\] \(C-0002\)\.sectors\[0\]: unknown sector "" \(valid: /);
  });

  it('unknown fields name the field and the entry', () => {
    const d = smallDataset() as unknown as { needs: Record<string, unknown>[]; capabilities: Record<string, unknown>[] };
    d.needs[1]!.budget = '80万';
    d.capabilities[0]!.website = 'https://lab.example';
    const problems = problemsOf(d);
    expect(problems).toContain('needs[1] (N-0002): unknown field "budget"');
    expect(problems).toContain('capabilities[0] (C-0001): unknown field "website"');
  });

  it('unknown top-level fields are errors', () => {
    expect(problemsOf({ ...smallDataset(), meta: {} })).toContain('unknown top-level field "meta"');
  });

  it('duplicate ids name both positions', () => {
    const d = smallDataset();
    d.needs[2]!.id = 'N-0001';
    expect(problemsOf(d)).toEqual(['needs[2] (N-0001).id: duplicate id "N-0001" (first at needs[0])']);
    // the same id in the other list is allowed
    const ok = smallDataset();
    ok.capabilities[0]!.id = 'N-0001';
    expect(() => parseDataset(ok)).not.toThrow();
  });

  it('over-long text names the field and the limit', () => {
    const d = smallDataset();
    d.needs[0]!.description = 'x'.repeat(FIELD_LIMITS.description + 1);
    expect(problemsOf(d)).toEqual([`needs[0] (N-0001).description: is longer than ${FIELD_LIMITS.description} characters`]);
    d.needs[0]!.description = 'x'.repeat(FIELD_LIMITS.description);
    expect(() => parseDataset(d)).not.toThrow();
  });

  it('missing and mistyped fields, bad ids, bad kinds', () => {
    const d = smallDataset() as unknown as { needs: Record<string, unknown>[]; capabilities: Record<string, unknown>[] };
    delete d.needs[0]!.title;
    d.needs[1]!.keywords = 'a, b';
    d.needs[2]!.id = 'N 3';
    d.capabilities[0]!.kind = 'keylab';
    const problems = problemsOf(d);
    expect(problems).toContain('needs[0] (N-0001).title: is required');
    expect(problems).toContain('needs[1] (N-0002).keywords: must be a list');
    expect(problems.some((p) => p.startsWith('needs[2] (N 3).id: may only hold'))).toBe(true);
    expect(problems.some((p) => p.startsWith('capabilities[0] (C-0001).kind: invalid value "keylab" — did you mean "key-lab"?'))).toBe(true);
  });

  it('an entry without an id or not an object is named by its index', () => {
    const problems = problemsOf({ version: 1, needs: [42, { org: 'a', title: 'b', description: 'c' }], capabilities: [] });
    expect(problems).toContain('needs[0]: must be an object');
    expect(problems).toContain('needs[1].id: is required');
  });

  it('wrong or missing version, missing lists and non-objects are errors', () => {
    expect(problemsOf({ ...smallDataset(), version: 2 })).toEqual(['version: must be 1 (got 2)']);
    expect(problemsOf({ ...smallDataset(), version: '1' })).toEqual(['version: must be 1 (got "1")']);
    expect(problemsOf({ needs: [], capabilities: [] })).toEqual(['version: must be 1 (got undefined)']);
    expect(problemsOf({ version: 1, capabilities: [] })).toEqual(['needs: is required (use [] for none)']);
    expect(problemsOf({ version: 1, needs: {}, capabilities: [] })).toEqual(['needs: must be a list']);
    for (const doc of [null, [], 'text', 1]) expect(problemsOf(doc)[0]).toContain('must be a JSON object');
  });

  it('non-JSON text is an error naming the cause', () => {
    expect(() => parseDatasetText('{"version": 1,')).toThrow(DatasetError);
    expect(() => parseDatasetText('not json')).toThrow(/not valid JSON/);
    expect(() => parseDatasetText('')).toThrow(/not valid JSON/);
  });

  it('reports every problem at once, the message capped at MAX_REPORTED_PROBLEMS', () => {
    const n = MAX_REPORTED_PROBLEMS + 7;
    const needs = Array.from({ length: n }, (_, i) => ({ id: `N-${i}`, org: 'o', title: 't', description: 'd', sectors: ['nope'] }));
    let err: DatasetError | undefined;
    try { parseDataset({ version: 1, needs, capabilities: [] }); } catch (e) { err = e as DatasetError; }
    expect(err?.problems).toHaveLength(n);
    expect(err?.message).toContain(`${n} problem(s)`);
    expect(err?.message).toContain('… and 7 more');
    expect(err?.message.split('\n').filter((l) => l.startsWith('needs[')).length).toBe(MAX_REPORTED_PROBLEMS);
  });
});

describe('serialization', () => {
  it('export → import round-trips data/demo.json to equal data', () => {
    const demo = parseDatasetText(demoText());
    const again = parseDatasetText(serializeDataset(demo));
    expect(again).toEqual(demo);
    expect(serializeDataset(again)).toBe(serializeDataset(demo));
  });

  it('writes the contract field order and leaves out absent optional fields', () => {
    const shuffled = { contact: 'c', sectors: ['yachts' as const], description: 'd', title: 't', kind: 'other' as const, org: 'o', id: 'C-1' };
    const d = toDataset([], [shuffled]);
    expect(Object.keys(d.capabilities[0]!)).toEqual(['id', 'org', 'kind', 'title', 'description', 'sectors', 'contact']);
    const text = serializeDataset({ version: 1, needs: [{ id: 'N-1', title: 't', org: 'o', description: 'd', region: undefined }], capabilities: [] });
    expect(text).not.toContain('region');
    expect(Object.keys(JSON.parse(text))).toEqual(['version', 'needs', 'capabilities']);
  });
});

describe('problems in the reader\'s language', () => {
  it('every problem reads in Chinese with full-width punctuation, naming the same place', async () => {
    const { problemText } = await import('../../src/domain/dataset.ts');
    const d = smallDataset() as unknown as { needs: Record<string, unknown>[] };
    d.needs[0]!.sectors = ['fuel-cell'];
    d.needs[1]!.budget = 1;
    let err: DatasetError | undefined;
    try { parseDataset(d); } catch (e) { err = e as DatasetError; }
    const zh = err!.issues.map((p) => problemText(p, 'zh-CN'));
    expect(zh).toContain('needs[1] (N-0002)：未知字段“budget”');
    expect(zh.some((l) => l.startsWith('needs[0] (N-0001).sectors[0]：未知领域“fuel-cell”，是否要找“fuel-cells”？'))).toBe(true);
    expect(zh.join('\n')).not.toMatch(/unknown|did you mean/i);
  });
});

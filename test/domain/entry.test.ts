import { describe, expect, it } from 'vitest';
import {
  CAPABILITY_KINDS, CapabilityFields, CapabilityRecord, EntryId, NeedFields, NeedRecord, StoredNeed,
  fieldsSchema, recordSchema, storedSchema, toRecord, type StoredEntry,
} from '../../src/domain/entry.ts';
import { FIELD_LIMITS } from '../../src/domain/limits.ts';
import { SECTOR_IDS } from '../../src/domain/sectors.ts';

const need = { id: 'N-0001', org: 'Acme', title: 'Fault location', description: 'Locate faults quickly.' };
const cap = { id: 'C-0001', org: 'Lab', title: 'Protection lab', description: 'Relay protection.', kind: 'key-lab' };

const issuesOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; code: string; message: string }[] } }) => r.error?.issues ?? [];

describe('NeedRecord', () => {
  it('accepts a minimal need and a full one', () => {
    expect(NeedRecord.parse(need)).toEqual(need);
    const full = { ...need, sectors: ['power-grid', 'fuel-cells'], keywords: ['故障定位', 'travelling wave'], region: '奉贤区', contact: '王工' };
    expect(NeedRecord.parse(full)).toEqual(full);
  });

  it('rejects a need missing org, title or description', () => {
    for (const field of ['org', 'title', 'description'] as const) {
      const { [field]: _dropped, ...rest } = need;
      const r = NeedRecord.safeParse(rest);
      expect(r.success, field).toBe(false);
      expect(issuesOf(r).map((i) => i.path[0])).toContain(field);
    }
  });

  it('trims text, and rejects text that is empty after trimming', () => {
    expect(NeedRecord.parse({ ...need, title: '  padded  ' }).title).toBe('padded');
    const r = NeedRecord.safeParse({ ...need, org: '   \n ' });
    expect(r.success).toBe(false);
    expect(issuesOf(r)[0]?.path).toEqual(['org']);
  });

  it('accepts text at each field limit and rejects one character more', () => {
    const limited = { org: FIELD_LIMITS.org, title: FIELD_LIMITS.title, description: FIELD_LIMITS.description, region: FIELD_LIMITS.region, contact: FIELD_LIMITS.contact } as const;
    for (const [field, max] of Object.entries(limited)) {
      expect(NeedRecord.safeParse({ ...need, [field]: '字'.repeat(max) }).success, `${field} at ${max}`).toBe(true);
      const r = NeedRecord.safeParse({ ...need, [field]: '字'.repeat(max + 1) });
      expect(r.success, `${field} at ${max + 1}`).toBe(false);
      expect(issuesOf(r)[0]?.path).toEqual([field]);
      expect(issuesOf(r)[0]?.message).toContain(String(max));
    }
  });

  it('limits keywords in number and length', () => {
    const many = Array.from({ length: FIELD_LIMITS.keywords }, (_, i) => `kw${i}`);
    expect(NeedRecord.safeParse({ ...need, keywords: many }).success).toBe(true);
    expect(NeedRecord.safeParse({ ...need, keywords: [...many, 'one more'] }).success).toBe(false);
    expect(NeedRecord.safeParse({ ...need, keywords: ['k'.repeat(FIELD_LIMITS.keyword)] }).success).toBe(true);
    expect(NeedRecord.safeParse({ ...need, keywords: ['k'.repeat(FIELD_LIMITS.keyword + 1)] }).success).toBe(false);
    expect(NeedRecord.safeParse({ ...need, keywords: ['  '] }).success).toBe(false);
  });

  it('accepts every sector id and rejects an unknown one', () => {
    expect(NeedRecord.safeParse({ ...need, sectors: [...SECTOR_IDS] }).success).toBe(true);
    const r = NeedRecord.safeParse({ ...need, sectors: ['power-grid', 'fuel-cell'] });
    expect(r.success).toBe(false);
    expect(issuesOf(r)[0]?.path).toEqual(['sectors', 1]);
  });

  it('rejects unknown fields, and kind on a need', () => {
    const r = NeedRecord.safeParse({ ...need, budget: 100 });
    expect(r.success).toBe(false);
    expect(issuesOf(r)[0]?.code).toBe('unrecognized_keys');
    expect(NeedRecord.safeParse({ ...need, kind: 'key-lab' }).success).toBe(false);
  });

  it('rejects wrong types', () => {
    expect(NeedRecord.safeParse({ ...need, title: 42 }).success).toBe(false);
    expect(NeedRecord.safeParse({ ...need, sectors: 'power-grid' }).success).toBe(false);
    expect(NeedRecord.safeParse({ ...need, keywords: [1, 2] }).success).toBe(false);
  });
});

describe('EntryId', () => {
  it('accepts letters, digits, "-", "_" and "." up to the limit', () => {
    for (const id of ['N-0001', 'acme_lab.2', 'X', 'a'.repeat(FIELD_LIMITS.id)]) expect(EntryId.safeParse(id).success, id).toBe(true);
  });
  it('rejects empty, too long and other characters', () => {
    for (const id of ['', 'a'.repeat(FIELD_LIMITS.id + 1), 'N 0001', 'N/1', 'N:1', '需求1', 'g:x:need']) expect(EntryId.safeParse(id).success, id).toBe(false);
    expect(NeedRecord.safeParse({ ...need, id: 'bad id' }).success).toBe(false);
    expect(NeedRecord.safeParse({ ...need, id: 7 }).success).toBe(false);
  });
});

describe('CapabilityRecord', () => {
  it('accepts every kind, and no kind at all', () => {
    for (const kind of CAPABILITY_KINDS) expect(CapabilityRecord.safeParse({ ...cap, kind }).success, kind).toBe(true);
    const { kind: _k, ...noKind } = cap;
    expect(CapabilityRecord.safeParse(noKind).success).toBe(true);
  });
  it('rejects an unknown kind and unknown fields', () => {
    const r = CapabilityRecord.safeParse({ ...cap, kind: 'keylab' });
    expect(r.success).toBe(false);
    expect(issuesOf(r)[0]?.path).toEqual(['kind']);
    expect(CapabilityRecord.safeParse({ ...cap, website: 'https://x' }).success).toBe(false);
  });
});

describe('fields, stored entries and schema pickers', () => {
  it('field schemas hold no id', () => {
    const { id: _id, ...fields } = need;
    expect(NeedFields.safeParse(fields).success).toBe(true);
    expect(NeedFields.safeParse(need).success).toBe(false);
    expect(CapabilityFields.safeParse({ ...fields, kind: 'incubator' }).success).toBe(true);
    expect(NeedFields.safeParse({ ...fields, kind: 'incubator' }).success).toBe(false);
  });

  it('picks the schema by type', () => {
    expect(recordSchema('need')).toBe(NeedRecord);
    expect(recordSchema('capability')).toBe(CapabilityRecord);
    expect(fieldsSchema('capability')).toBe(CapabilityFields);
    expect(storedSchema('need')).toBe(StoredNeed);
  });

  it('a stored entry needs its metadata; toRecord strips it again', () => {
    const stored = { ...need, status: 'open', createdAt: '2025-01-02T03:04:05.000Z', updatedAt: '2025-01-02T03:04:05.000Z', createdBy: 'u1' };
    expect(StoredNeed.safeParse(stored).success).toBe(true);
    expect(StoredNeed.safeParse({ ...stored, status: 'archived' }).success).toBe(false);
    expect(StoredNeed.safeParse({ ...stored, createdAt: 'yesterday' }).success).toBe(false);
    expect(StoredNeed.safeParse(need).success).toBe(false);
    expect(toRecord(stored as StoredEntry)).toEqual(need);
  });
});

import * as z from 'zod';
import { FIELD_LIMITS as L } from './limits.ts';
import { SectorId } from './sectors.ts';

export const ENTRY_TYPES = ['need', 'capability'] as const;
export const EntryType = z.enum(ENTRY_TYPES);
export type EntryType = z.infer<typeof EntryType>;

export const CAPABILITY_KINDS = [
  'university-lab', 'key-lab', 'engineering-center', 'enterprise-tech-center', 'incubator', 'transfer-base', 'testing-service', 'other',
] as const;
export const CapabilityKind = z.enum(CAPABILITY_KINDS);
export type CapabilityKind = z.infer<typeof CapabilityKind>;

export const EntryId = z
  .string()
  .min(1, 'id is empty')
  .max(L.id, `id is longer than ${L.id} characters`)
  .regex(/^[A-Za-z0-9._-]+$/, 'id may only hold letters, digits, "-", "_" and "."');

const required = (max: number) =>
  z.string().trim().min(1, 'is empty').max(max, `is longer than ${max} characters`);
const optional = (max: number) => z.string().trim().max(max, `is longer than ${max} characters`).optional();

const sectorList = z.array(SectorId).max(16);
const keywordList = z.array(required(L.keyword)).max(L.keywords, `more than ${L.keywords} keywords`);

/** The editable fields shared by needs and capabilities (the contract's entry minus id). */
export const NeedFields = z.strictObject({
  org: required(L.org),
  title: required(L.title),
  description: required(L.description),
  sectors: sectorList.optional(),
  keywords: keywordList.optional(),
  region: optional(L.region),
  contact: optional(L.contact),
});
/** A carrier's level (国家级 / 市级 / 区级); here rather than in collaboration.ts, which imports this module. */
export const CARRIER_LEVELS = ['national', 'municipal', 'district'] as const;
export const CarrierLevel = z.enum(CARRIER_LEVELS);
export type CarrierLevel = z.infer<typeof CarrierLevel>;

/** `kind` names the carrier (平台载体) when it is one of CARRIER_KINDS; `level` is its level. */
export const CapabilityFields = NeedFields.extend({ kind: CapabilityKind.optional(), level: CarrierLevel.optional() });

/** Entries exactly as the interchange contract (version 1) has them. */
export const NeedRecord = NeedFields.extend({ id: EntryId });
export const CapabilityRecord = CapabilityFields.extend({ id: EntryId });
export type NeedRecord = z.infer<typeof NeedRecord>;
export type CapabilityRecord = z.infer<typeof CapabilityRecord>;
export type EntryRecord = NeedRecord | CapabilityRecord;
export type EntryFields = z.infer<typeof CapabilityFields>;

/** matched: an introduction reached agreement; like closed, no longer suggested (reopen puts it back). */
export const EntryStatus = z.enum(['open', 'closed', 'matched']);
export type EntryStatus = z.infer<typeof EntryStatus>;

/** What the store adds to a contract record. */
export const StoredMeta = z.strictObject({
  status: EntryStatus,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  createdBy: z.string().min(1),
  /** Bumped by every change; an edit based on an older version is refused (optimistic concurrency). */
  version: z.number().int().min(1).optional(),
});

export const StoredNeed = NeedRecord.extend(StoredMeta.shape);
export const StoredCapability = CapabilityRecord.extend(StoredMeta.shape);
export type StoredNeed = z.infer<typeof StoredNeed>;
export type StoredCapability = z.infer<typeof StoredCapability>;
export type StoredEntry = StoredNeed | StoredCapability;

export function recordSchema(type: EntryType) {
  return type === 'need' ? NeedRecord : CapabilityRecord;
}
export function fieldsSchema(type: EntryType) {
  return type === 'need' ? NeedFields : CapabilityFields;
}
export function storedSchema(type: EntryType) {
  return type === 'need' ? StoredNeed : StoredCapability;
}

/** Strips what the store adds, keeping contract field order. */
export function toRecord(entry: StoredEntry): EntryRecord {
  const { status: _s, createdAt: _c, updatedAt: _u, createdBy: _b, version: _v, ...record } = entry;
  return record;
}

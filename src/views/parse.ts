// Parsing of user-typed option values (sector names in either language, lists, kinds).
import { CAPABILITY_KINDS, CARRIER_LEVELS, type CapabilityKind, type CarrierLevel } from '../domain/entry.ts';
import { UserError } from '../domain/errors.ts';
import { SECTORS, SECTOR_IDS, sectorById, type SectorId } from '../domain/sectors.ts';
import { closest } from '../domain/suggest.ts';

const SECTOR_NAMES = new Map<string, SectorId>();
for (const s of SECTORS) {
  SECTOR_NAMES.set(s.id, s.id);
  SECTOR_NAMES.set(s.zh, s.id);
  SECTOR_NAMES.set(s.en.toLowerCase(), s.id);
}

/** A sector by id, Chinese or English name. */
export function parseSector(value: string): SectorId {
  const v = value.trim();
  const hit = SECTOR_NAMES.get(v) ?? SECTOR_NAMES.get(v.toLowerCase());
  if (hit) return hit;
  const guess = closest(v, [...SECTOR_NAMES.keys()]);
  if (!guess) throw new UserError('error.unknownSector', { value: v });
  // The id to type, and the sector's name in both languages so either reader recognises it.
  const s = sectorById(SECTOR_NAMES.get(guess)!);
  throw new UserError('error.unknownSectorHint', { value: v, guess: s.id, name: `${s.zh} / ${s.en}` });
}

/** Splits on commas (ASCII or Chinese), 、 and semicolons; drops empties and duplicates. */
export function splitList(value: string | undefined): string[] {
  if (!value) return [];
  return [...new Set(value.split(/[,，、;；\n]/).map((s) => s.trim()).filter(Boolean))];
}

export function parseSectors(value: string | undefined): SectorId[] {
  return [...new Set(splitList(value).map(parseSector))];
}

export function parseKind(value: string | undefined): CapabilityKind | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if ((CAPABILITY_KINDS as readonly string[]).includes(v)) return v as CapabilityKind;
  throw new UserError('error.unknownKind', { value, kinds: CAPABILITY_KINDS.join(', ') });
}

/** A carrier level by id or by its name in either language (国家级, 市级, 区级). */
export function parseLevel(value: string | undefined): CarrierLevel | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  const zh: Record<string, CarrierLevel> = { 国家级: 'national', 市级: 'municipal', 区级: 'district' };
  if ((CARRIER_LEVELS as readonly string[]).includes(v)) return v as CarrierLevel;
  if (zh[v]) return zh[v];
  throw new UserError('error.unknownLevel', { value, levels: CARRIER_LEVELS.join(', ') });
}

export const MAX_TOP = 25;
export function parseTop(value: number | undefined, fallback = 10): number {
  if (value === undefined) return fallback;
  if (value < 1 || value > MAX_TOP) throw new UserError('error.topRange', { max: MAX_TOP });
  return value;
}

export { SECTOR_IDS };

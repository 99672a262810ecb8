import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SECTORS, SECTOR_IDS, SectorsFile, isSectorId, sectorById } from '../../src/domain/sectors.ts';
import { closest, editDistance } from '../../src/domain/suggest.ts';
import { ROOT } from '../support.ts';

const file = () => JSON.parse(readFileSync(join(ROOT, 'data', 'sectors.json'), 'utf8')) as { version: 1; sectors: { id: string }[] };

describe('sector taxonomy', () => {
  it('holds the 16 contract ids, each with Chinese and English names and descriptions', () => {
    expect(SECTOR_IDS).toHaveLength(16);
    expect(SECTORS.map((s) => s.id).sort()).toEqual([...SECTOR_IDS].sort());
    for (const s of SECTORS) {
      expect(s.zh).toMatch(/\p{Script=Han}/u);
      expect(s.en).toMatch(/[a-z]/i);
      expect(s.description.zh.length).toBeGreaterThan(0);
      expect(s.description.en.length).toBeGreaterThan(0);
    }
    expect(sectorById('fuel-cells').zh).toBe('燃料电池');
    expect(sectorById('power-grid').zh).toBe('输配电');
  });

  it('isSectorId tells ids from names and typos', () => {
    expect(isSectorId('fuel-cells')).toBe(true);
    expect(isSectorId('fuel-cell')).toBe(false);
    expect(isSectorId('燃料电池')).toBe(false);
    expect(isSectorId('')).toBe(false);
  });

  it('SectorsFile accepts data/sectors.json', () => {
    expect(SectorsFile.safeParse(file()).success).toBe(true);
  });

  it('SectorsFile rejects a missing sector, a duplicate, an unknown id, an extra field and a wrong version', () => {
    const f = file();
    const missing = { ...f, sectors: f.sectors.slice(1) };
    const r = SectorsFile.safeParse(missing);
    expect(r.success).toBe(false);
    expect(r.error?.issues.some((i) => i.message.includes(`"${SECTOR_IDS[0]}" is missing`))).toBe(true);
    expect(SectorsFile.safeParse({ ...f, sectors: [...f.sectors, f.sectors[0]] }).success).toBe(false);
    expect(SectorsFile.safeParse({ ...f, sectors: [...f.sectors, { ...f.sectors[0], id: 'space' }] }).success).toBe(false);
    expect(SectorsFile.safeParse({ ...f, extra: true }).success).toBe(false);
    expect(SectorsFile.safeParse({ ...f, version: 2 }).success).toBe(false);
  });
});

describe('closest (did-you-mean)', () => {
  it('suggests the intended sector id for typos and prefixes', () => {
    expect(closest('fuel-cell', SECTOR_IDS)).toBe('fuel-cells');
    expect(closest('powergrid', SECTOR_IDS)).toBe('power-grid');
    expect(closest('Telecom', SECTOR_IDS)).toBe('telecom');
    expect(closest('new-material', SECTOR_IDS)).toBe('new-materials');
  });
  it('suggests nothing for input far from every candidate', () => {
    expect(closest('quantum-gravity', SECTOR_IDS)).toBeUndefined();
    expect(closest('xyz', ['power-grid'])).toBeUndefined();
    expect(closest('anything', [])).toBeUndefined();
    expect(closest('', SECTOR_IDS)).toBeUndefined();
    expect(closest('   ', SECTOR_IDS)).toBeUndefined();
  });
  it('editDistance is the Levenshtein distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

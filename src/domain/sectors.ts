import * as z from 'zod';
import sectorsFile from '../../data/sectors.json' with { type: 'json' };

// The plan's 16 sector ids, fixed by the interchange contract.
export const SECTOR_IDS = [
  'power-grid', 'electronics', 'fine-chemicals', 'biomedicine', 'agri-food', 'yachts',
  'logistics-equipment', 'new-energy', 'telecom', 'new-materials', 'fuel-cells',
  'opto-mechatronics', 'digital-info', 'green-tech', 'modern-agriculture', 'advanced-manufacturing',
] as const;

export const SectorId = z.enum(SECTOR_IDS);
export type SectorId = z.infer<typeof SectorId>;

export const Sector = z.strictObject({
  id: SectorId,
  zh: z.string().min(1),
  en: z.string().min(1),
  description: z.strictObject({ zh: z.string().min(1), en: z.string().min(1) }),
});
export type Sector = z.infer<typeof Sector>;

export const SectorsFile = z
  .strictObject({ version: z.literal(1), sectors: z.array(Sector) })
  .superRefine((file, ctx) => {
    const seen = new Set(file.sectors.map((s) => s.id));
    for (const id of SECTOR_IDS) {
      if (!seen.has(id)) ctx.addIssue({ code: 'custom', message: `sector "${id}" is missing`, path: ['sectors'] });
    }
    if (seen.size !== file.sectors.length) ctx.addIssue({ code: 'custom', message: 'duplicate sector id', path: ['sectors'] });
  });

// Not parsed at start (~25 ms of a start, zod compiling the schema): test/data/files.test.ts checks the file.
export const SECTORS: readonly Sector[] = sectorsFile.sectors as Sector[];
const byId = new Map(SECTORS.map((s) => [s.id, s]));

export function sectorById(id: SectorId): Sector {
  return byId.get(id)!;
}

export function isSectorId(value: string): value is SectorId {
  return byId.has(value as SectorId);
}

// The plain figures a report shows. The store computes them (next step of issue 11); the renderers only draw them.
import * as z from 'zod';
import { CarrierKind, CarrierLevel, IntroStage } from '../domain/collaboration.ts';
import { SectorId } from '../domain/sectors.ts';

const Count = z.int().min(0).max(10_000_000);

export const SectorFigures = z.strictObject({
  sector: SectorId,
  needs: Count,
  capabilities: Count,
  /** Open needs with no partner above the suggestion cut. */
  unmetNeeds: Count,
});
export type SectorFigures = z.infer<typeof SectorFigures>;

export const TargetFigures = z.strictObject({
  kind: CarrierKind,
  level: CarrierLevel.optional(),
  target: z.int().min(1),
  actual: Count,
});
export type TargetFigures = z.infer<typeof TargetFigures>;

export const ReportFigures = z.strictObject({
  period: z.strictObject({ from: z.iso.date(), to: z.iso.date() }).refine((p) => p.from <= p.to, 'period ends before it starts'),
  /** The sector the report was filtered to, if any. */
  sector: SectorId.optional(),
  sectors: z.array(SectorFigures).max(16),
  /** Introductions per stage (a missing stage counts 0). */
  introductions: z.partialRecord(IntroStage, Count),
  /** Median days from posting to introduction request; null when there was none. */
  medianDaysToIntroduction: z.number().min(0).nullable(),
  targets: z.array(TargetFigures).max(20),
});
export type ReportFigures = z.infer<typeof ReportFigures>;

// Report figures from plain records, so the store only has to load rows (or run the same sums in SQL).
import { INTRO_STAGES, progress } from '../domain/collaboration.ts';
import type { Carrier, Introduction, IntroStage, Target } from '../domain/collaboration.ts';
import { SECTOR_IDS } from '../domain/sectors.ts';
import type { SectorId } from '../domain/sectors.ts';
import { ReportFigures } from './figures.ts';

export interface ReportEntry {
  id: string;
  type: 'need' | 'capability';
  sectors: readonly SectorId[];
  /** Only open (and matched) entries are counted per sector; closed ones are history. */
  status: 'open' | 'closed' | 'matched';
  createdAt: string;
  /** Needs only: no partner scores above the suggestion cut (the match engine decides). */
  unmet?: boolean;
}

export interface ReportInput {
  /** Inclusive days, yyyy-mm-dd (UTC). */
  period: { from: string; to: string };
  sector?: SectorId;
  entries: readonly ReportEntry[];
  introductions: readonly Introduction[];
  carriers: readonly Carrier[];
  targets: readonly Target[];
}

const DAY = 86_400_000;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/**
 * Per sector: open needs, open capabilities, unmet needs (an entry in two sectors counts in both).
 * Introductions: those requested in the period, counted at every stage they reached (a funnel).
 * Median days: from a need's posting to its first introduction request in the period, one figure per need.
 * Targets: carriers counted against each target (by kind, and by level when the target names one).
 */
export function computeFigures(input: ReportInput): ReportFigures {
  const { from, to } = input.period;
  const inPeriod = (iso: string) => iso.slice(0, 10) >= from && iso.slice(0, 10) <= to;
  const entries = new Map(input.entries.map((e) => [`${e.type}:${e.id}`, e]));
  const inSector = (e: ReportEntry | undefined) => !input.sector || (e?.sectors.includes(input.sector) ?? false);

  const sectors = SECTOR_IDS.filter((s) => !input.sector || s === input.sector).map((sector) => {
    const open = input.entries.filter((e) => e.status !== 'closed' && e.sectors.includes(sector));
    const needs = open.filter((e) => e.type === 'need');
    return { sector, needs: needs.length, capabilities: open.length - needs.length, unmetNeeds: needs.filter((e) => e.unmet).length };
  }).filter((s) => s.needs + s.capabilities > 0);

  const intros = input.introductions.filter((i) => {
    const need = entries.get(`need:${i.needId}`);
    const capability = entries.get(`capability:${i.capabilityId}`);
    return inPeriod(i.history[0]!.at) && (inSector(need) || inSector(capability));
  });
  const introductions: Partial<Record<IntroStage, number>> = {};
  for (const stage of INTRO_STAGES) introductions[stage] = intros.filter((i) => i.history.some((h) => h.stage === stage)).length;

  const firstRequest = new Map<string, number>();
  for (const i of intros) {
    const at = Date.parse(i.history[0]!.at);
    const prev = firstRequest.get(i.needId);
    if (prev === undefined || at < prev) firstRequest.set(i.needId, at);
  }
  const waits = [...firstRequest].flatMap(([needId, at]) => {
    const need = entries.get(`need:${needId}`);
    return need ? [Math.max(0, (at - Date.parse(need.createdAt)) / DAY)] : [];
  });
  const med = median(waits);

  return ReportFigures.parse({
    period: input.period,
    ...(input.sector ? { sector: input.sector } : {}),
    sectors,
    introductions,
    medianDaysToIntroduction: med === null ? null : Math.round(med * 10) / 10,
    targets: input.targets.map((t) => ({ kind: t.kind, ...(t.level ? { level: t.level } : {}), target: t.count, actual: progress(t, input.carriers) })),
  });
}

import { describe, expect, it } from 'vitest';
import { Introduction } from '../../src/domain/collaboration.ts';
import type { IntroStage } from '../../src/domain/collaboration.ts';
import { computeFigures } from '../../src/report/compute.ts';
import type { ReportEntry, ReportInput } from '../../src/report/compute.ts';

const U = '100000000000000001';

function intro(id: string, needId: string, capabilityId: string, day: string, stages: IntroStage[], reason?: string): Introduction {
  const history = ['requested' as const, ...stages].map((stage, i) => ({
    stage, at: new Date(Date.parse(`${day}T00:00:00Z`) + i * 86_400_000).toISOString(), by: U,
    ...(stage === 'closed' || stage === 'declined' ? { reason } : {}),
  }));
  return Introduction.parse({ id, needId, capabilityId, requestedBy: U, stage: history.at(-1)!.stage, history });
}

const entries: ReportEntry[] = [
  { id: 'N-1', type: 'need', sectors: ['new-energy', 'fuel-cells'], status: 'open', createdAt: '2026-06-01T00:00:00Z', unmet: true },
  { id: 'N-2', type: 'need', sectors: ['new-energy'], status: 'closed', createdAt: '2026-05-01T00:00:00Z', unmet: true },
  { id: 'N-3', type: 'need', sectors: ['power-grid'], status: 'open', createdAt: '2026-06-10T00:00:00Z', unmet: false },
  { id: 'C-1', type: 'capability', sectors: ['fuel-cells'], status: 'open', createdAt: '2026-04-01T00:00:00Z' },
  { id: 'C-2', type: 'capability', sectors: ['power-grid'], status: 'matched', createdAt: '2026-04-01T00:00:00Z' },
];

const input: ReportInput = {
  period: { from: '2026-06-01', to: '2026-06-30' },
  entries,
  introductions: [
    intro('I-0001', 'N-1', 'C-1', '2026-06-11', ['accepted', 'in-talks']),
    intro('I-0002', 'N-3', 'C-2', '2026-06-20', ['declined'], 'no-capacity'),
    intro('I-0003', 'N-1', 'C-1', '2026-06-05', ['closed'], 'withdrawn'),
    intro('I-0004', 'N-3', 'C-2', '2026-07-02', ['accepted', 'agreement']),
  ],
  carriers: [{ kind: 'enterprise-tech-center', level: 'municipal' }, { kind: 'enterprise-tech-center' }, { kind: 'key-lab', level: 'national' }],
  targets: [{ kind: 'enterprise-tech-center', count: 20 }, { kind: 'key-lab', level: 'municipal', count: 2 }],
};

describe('report figures from records', () => {
  it('counts open entries per sector, a funnel of introductions in the period, the median wait, and target progress', () => {
    const f = computeFigures(input);
    expect(f.sectors).toEqual([
      { sector: 'power-grid', needs: 1, capabilities: 1, unmetNeeds: 0 },
      { sector: 'new-energy', needs: 1, capabilities: 0, unmetNeeds: 1 },
      { sector: 'fuel-cells', needs: 1, capabilities: 1, unmetNeeds: 1 },
    ]);
    expect(f.introductions).toEqual({ requested: 3, accepted: 1, declined: 1, 'in-talks': 1, agreement: 0, 'project-started': 0, closed: 1 });
    expect(f.medianDaysToIntroduction).toBe(7); // N-1 waited 4 days (its first request), N-3 10 days
    expect(f.targets).toEqual([
      { kind: 'enterprise-tech-center', target: 20, actual: 2 },
      { kind: 'key-lab', level: 'municipal', target: 2, actual: 0 },
    ]);
  });

  it('narrows everything to one sector', () => {
    const f = computeFigures({ ...input, sector: 'power-grid' });
    expect(f.sector).toBe('power-grid');
    expect(f.sectors.map((s) => s.sector)).toEqual(['power-grid']);
    expect(f.introductions).toMatchObject({ requested: 1, declined: 1, accepted: 0 });
    expect(f.medianDaysToIntroduction).toBe(10);
  });

  it('gives an empty report for a period with nothing in it, and refuses a period that ends before it starts', () => {
    const f = computeFigures({ ...input, entries: [], period: { from: '2025-01-01', to: '2025-01-31' } });
    expect(f.sectors).toEqual([]);
    expect(f.introductions.requested).toBe(0);
    expect(f.medianDaysToIntroduction).toBeNull();
    expect(() => computeFigures({ ...input, period: { from: '2026-07-01', to: '2026-06-01' } })).toThrow(/period ends before it starts/);
  });
});

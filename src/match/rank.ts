// Stateless ranking of a whole dataset, in the contract's rankings shape.
import type { Dataset } from '../domain/dataset.ts';
import { createRanker } from './engine.ts';
import type { Doc } from './types.ts';

export interface Rankings {
  needs: Record<string, { id: string; score: number }[]>;
  capabilities: Record<string, { id: string; score: number }[]>;
}

export function rankDataset(d: Dataset, top: number): Rankings {
  const docs: Doc[] = [
    ...d.needs.map((record) => ({ type: 'need' as const, record })),
    ...d.capabilities.map((record) => ({ type: 'capability' as const, record })),
  ];
  const ranker = createRanker(docs);
  const out: Rankings = { needs: {}, capabilities: {} };
  for (const n of d.needs) out.needs[n.id] = ranker.matchEntry('need', n.id, { top }).map((s) => ({ id: s.id, score: s.score }));
  for (const c of d.capabilities) out.capabilities[c.id] = ranker.matchEntry('capability', c.id, { top }).map((s) => ({ id: s.id, score: s.score }));
  return out;
}

// Stateless ranking of a whole dataset, in the contract's rankings shape.
import type { Dataset } from '../domain/dataset.ts';
import { createRanker } from './engine.ts';
import type { Doc } from './types.ts';

export interface Rankings {
  needs: Record<string, { id: string; score: number }[]>;
  capabilities: Record<string, { id: string; score: number }[]>;
}

/** Up to `top` candidates per entry; `minScore` 0 keeps every candidate the index found (the bot shows ≥ 0.15). */
export function rankDataset(d: Dataset, top: number, minScore = 0): Rankings {
  const docs: Doc[] = [
    ...d.needs.map((record) => ({ type: 'need' as const, record })),
    ...d.capabilities.map((record) => ({ type: 'capability' as const, record })),
  ];
  const ranker = createRanker(docs);
  const out: Rankings = { needs: {}, capabilities: {} };
  for (const n of d.needs) out.needs[n.id] = ranker.matchEntry('need', n.id, { top, minScore, explain: false }).map((s) => ({ id: s.id, score: s.score }));
  for (const c of d.capabilities) out.capabilities[c.id] = ranker.matchEntry('capability', c.id, { top, minScore, explain: false }).map((s) => ({ id: s.id, score: s.score }));
  return out;
}

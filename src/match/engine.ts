// Placeholder until the engine lands: the plain fuse.js ranker.
import { FuseBaseline } from './baseline.ts';
import type { Doc, Ranker } from './types.ts';

export function createRanker(docs: Doc[]): Ranker {
  return new FuseBaseline(docs);
}

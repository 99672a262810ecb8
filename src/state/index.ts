// STATE_URL picks where the short-lived shared state lives.
import cluster from 'node:cluster';
import { MemoryState } from './memory.ts';
import type { SharedState } from './state.ts';

export type { SharedState, Window } from './state.ts';
export { MemoryState } from './memory.ts';

export async function openState(url: string): Promise<SharedState> {
  if (url === 'memory:' || url === 'memory://') {
    // In a cluster worker, "memory" is the primary's: one replay window for every worker.
    if (cluster.isWorker) return new (await import('./cluster.ts')).ClusterState();
    return new MemoryState();
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { PostgresState } = await import('./postgres.ts');
    const state = new PostgresState(url);
    try {
      await state.ping();
    } catch (err) {
      await state.close().catch(() => undefined);
      throw new Error(`STATE_URL: cannot reach PostgreSQL at ${(await import('./postgres.ts')).redact(url)}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return state;
  }
  throw new Error(`STATE_URL: unsupported "${url.split(':')[0]}:" (use memory: or postgres://…)`);
}

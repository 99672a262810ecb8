// STATE_URL=memory: with WORKERS>1: the primary process holds the one MemoryState and the workers
// ask it over the cluster IPC channel, so a replay is caught whichever worker it reaches.
import cluster, { type Worker } from 'node:cluster';
import { MemoryState } from './memory.ts';
import type { SharedState, Window } from './state.ts';

type Op = { op: 'claim'; key: string; ms: number } | { op: 'hit'; key: string; ms: number } | { op: 'ping' };
interface Request { liaisonState: number; req: Op }
interface Response { liaisonStateReply: number; value?: unknown; error?: string }

const isRequest = (m: unknown): m is Request => typeof (m as Request | undefined)?.liaisonState === 'number';
const isResponse = (m: unknown): m is Response => typeof (m as Response | undefined)?.liaisonStateReply === 'number';

/** In the primary: answers the workers' state requests from one MemoryState. */
export function serveClusterState(): { close(): Promise<void> } {
  const state = new MemoryState();
  const onMessage = (worker: Worker, msg: unknown) => {
    if (!isRequest(msg)) return;
    const { req } = msg;
    const work = req.op === 'claim' ? state.claim(req.key, req.ms) : req.op === 'hit' ? state.hit(req.key, req.ms) : state.ping();
    work.then(
      (value) => worker.isConnected() && worker.send({ liaisonStateReply: msg.liaisonState, value }),
      (err: unknown) => worker.isConnected() && worker.send({ liaisonStateReply: msg.liaisonState, error: String(err) }),
    );
  };
  cluster.on('message', onMessage);
  return {
    async close() {
      cluster.off('message', onMessage);
      await state.close();
    },
  };
}

/** In a worker: the primary's MemoryState, over IPC. */
export class ClusterState implements SharedState {
  readonly description = 'memory (held by the primary process, shared by its workers)';
  private seq = 0;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
  private readonly onMessage = (msg: unknown) => {
    if (!isResponse(msg)) return;
    const w = this.waiting.get(msg.liaisonStateReply);
    if (!w) return;
    this.waiting.delete(msg.liaisonStateReply);
    clearTimeout(w.timer);
    if (msg.error !== undefined) w.reject(new Error(msg.error));
    else w.resolve(msg.value);
  };

  // Only a dead primary should hit this: a busy worker reads the answer late, not never.
  constructor(private readonly timeoutMs = 15_000) {
    process.on('message', this.onMessage);
  }

  private ask<T>(req: Op): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (!process.send || !process.connected) {
        reject(new Error('shared state: not connected to the primary process'));
        return;
      }
      const id = ++this.seq;
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error('shared state: the primary process did not answer'));
      }, this.timeoutMs);
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      process.send({ liaisonState: id, req } satisfies Request);
    });
  }

  claim(key: string, ttlMs: number): Promise<boolean> {
    return this.ask({ op: 'claim', key, ms: ttlMs });
  }

  hit(key: string, windowMs: number): Promise<Window> {
    return this.ask({ op: 'hit', key, ms: windowMs });
  }

  async ping(): Promise<void> {
    await this.ask({ op: 'ping' });
  }

  async close(): Promise<void> {
    process.off('message', this.onMessage);
    for (const w of this.waiting.values()) {
      clearTimeout(w.timer);
      w.reject(new Error('shared state closed'));
    }
    this.waiting.clear();
  }
}

// STATE_URL=memory: with WORKERS>1: the primary process holds the one MemoryState and the workers
// ask it over the cluster IPC channel, so a replay is caught whichever worker it reaches. Requests
// made in one turn of a worker's event loop travel as one message, and their answers as one: each
// IPC message costs both processes a serialisation, a pipe write and a wake-up, and under a burst a
// worker reads many interactions (a replay claim and a rate-limit hit each) per turn.
import cluster, { type Worker } from 'node:cluster';
import { MemoryState } from './memory.ts';
import type { SharedState, Window } from './state.ts';

type Op = { op: 'claim'; key: string; ms: number } | { op: 'hit'; key: string; ms: number } | { op: 'ping' };
interface Request { id: number; req: Op }
interface Response { id: number; value?: unknown; error?: string }
interface RequestBatch { liaisonState: Request[] }
interface ResponseBatch { liaisonStateReply: Response[] }

const isRequest = (m: unknown): m is RequestBatch => Array.isArray((m as RequestBatch | undefined)?.liaisonState);
const isResponse = (m: unknown): m is ResponseBatch => Array.isArray((m as ResponseBatch | undefined)?.liaisonStateReply);

/** In the primary: answers the workers' state requests from one MemoryState. */
export function serveClusterState(): { close(): Promise<void> } {
  const state = new MemoryState();
  const run = ({ id, req }: Request): Promise<Response> =>
    (req.op === 'claim' ? state.claim(req.key, req.ms) : req.op === 'hit' ? state.hit(req.key, req.ms) : state.ping())
      .then((value) => ({ id, value }), (err: unknown) => ({ id, error: String(err) }));
  const onMessage = (worker: Worker, msg: unknown) => {
    if (!isRequest(msg)) return;
    // MemoryState runs operations one at a time, in order: the batch's answers come back together.
    void Promise.all(msg.liaisonState.map(run)).then((replies) => {
      if (worker.isConnected()) worker.send({ liaisonStateReply: replies } satisfies ResponseBatch);
    });
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
  /** Requests of this turn of the event loop, sent together by flush(). */
  private outbox: Request[] = [];
  private readonly onMessage = (msg: unknown) => {
    if (!isResponse(msg)) return;
    for (const r of msg.liaisonStateReply) {
      const w = this.waiting.get(r.id);
      if (!w) continue;
      this.waiting.delete(r.id);
      clearTimeout(w.timer);
      if (r.error !== undefined) w.reject(new Error(r.error));
      else w.resolve(r.value);
    }
  };
  private readonly flush = () => {
    const batch = this.outbox;
    this.outbox = [];
    if (batch.length === 0) return; // closed meanwhile
    if (!process.send || !process.connected) {
      for (const { id } of batch) this.fail(id, 'shared state: not connected to the primary process');
      return;
    }
    process.send({ liaisonState: batch } satisfies RequestBatch);
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
      const timer = setTimeout(() => this.fail(id, 'shared state: the primary process did not answer'), this.timeoutMs);
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      // After this turn's I/O callbacks, so that requests read together are asked together.
      if (this.outbox.push({ id, req }) === 1) setImmediate(this.flush);
    });
  }

  private fail(id: number, why: string): void {
    const w = this.waiting.get(id);
    if (!w) return;
    this.waiting.delete(id);
    clearTimeout(w.timer);
    w.reject(new Error(why));
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
    this.outbox = []; // not sent: their callers are told below
    for (const w of this.waiting.values()) {
      clearTimeout(w.timer);
      w.reject(new Error('shared state closed'));
    }
    this.waiting.clear();
  }
}

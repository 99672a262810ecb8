// One process's shared state: keyv on a Map. Operations run one at a time, so a check-then-set is
// atomic here; expired keys (never read again, e.g. old interaction ids) are swept every `sweepMs`.
import Keyv from 'keyv';
import type { SharedState, Window } from './state.ts';

export class MemoryState implements SharedState {
  readonly description = 'memory (this process)';
  private readonly map = new Map<string, unknown>();
  private readonly keyv = new Keyv<unknown>({ store: this.map, throwOnErrors: true });
  private queue: Promise<unknown> = Promise.resolve();
  private readonly sweeper: NodeJS.Timeout;

  constructor(sweepMs = 60_000) {
    this.sweeper = setInterval(() => void this.sweep(), sweepMs);
    this.sweeper.unref();
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op, op);
    this.queue = next.catch(() => undefined);
    return next;
  }

  claim(key: string, ttlMs: number): Promise<boolean> {
    return this.serial(async () => {
      if (await this.keyv.has(key)) return false;
      await this.keyv.set(key, 1, ttlMs);
      return true;
    });
  }

  hit(key: string, windowMs: number): Promise<Window> {
    return this.serial(async () => {
      const now = Date.now();
      const cur = (await this.keyv.get(key)) as Window | undefined;
      const next = cur && cur.resetAt > now ? { count: cur.count + 1, resetAt: cur.resetAt } : { count: 1, resetAt: now + windowMs };
      await this.keyv.set(key, next, next.resetAt - now);
      return next;
    });
  }

  /** Drops expired keys, a slice at a time so that a large map never stalls the event loop. */
  async sweep(): Promise<void> {
    const now = Date.now();
    let n = 0;
    for (const [key, raw] of this.map) {
      const m = typeof raw === 'string' ? /"expires":(\d+)/.exec(raw) : null;
      if (m && Number(m[1]) < now) this.map.delete(key);
      if (++n % 2000 === 0) await new Promise((r) => setImmediate(r));
    }
  }

  /** Keys held (expired ones included until the next sweep). */
  size(): number {
    return this.map.size;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await this.keyv.clear();
  }
}

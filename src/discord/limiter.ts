// At most `slots` dispatches run at once in a process; the rest wait their turn. While they wait,
// the event loop stays free to read new requests and acknowledge them (a deferred response) within
// Discord's 3 s, instead of queueing the acknowledgements behind ranking work. A freed slot passes
// to the next task on the next turn of the event loop (setImmediate), not in the same microtask
// chain: ranking is synchronous, and a queue run back to back would keep I/O (new requests,
// acknowledgements, webhook replies) waiting until the whole queue is done.
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly slots: number) {}

  /** True when a new task would have to wait. */
  get saturated(): boolean {
    return this.active >= this.slots;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Tasks running now. */
  get running(): number {
    return this.active;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.slots) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) setImmediate(next); // the slot passes to the next task, after pending I/O
      else this.active--;
    }
  }
}

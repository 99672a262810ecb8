// At most `slots` dispatches run at once in a process; the rest wait their turn. While they wait,
// the event loop stays free to read new requests and acknowledge them (a deferred response) within
// Discord's 3 s, instead of queueing the acknowledgements behind ranking work. Ranking is synchronous
// (and so is SQLite): a dispatch, once started, may hold the loop for its whole run. So a task starts
// only on a turn of the event loop of its own (setImmediate, after pending I/O), one per turn, and not
// while `hold()` says requests are still being read and acknowledged (waiting at most `maxHoldMs`):
// true holds until wake(), a number of ms holds at least that long (then hold() is asked again).
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;
  private heldSince: number | undefined;
  private holdTimer: NodeJS.Timeout | undefined;
  private holdUntil = 0;

  constructor(readonly slots: number, private readonly hold: () => boolean | number = () => false, private readonly maxHoldMs = 1000) {}

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
    await new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.wake();
    });
    try {
      return await task();
    } finally {
      this.active--;
      this.wake();
    }
  }

  /** Looks again at the queue on the next turn (e.g. once nothing is held any more). */
  wake(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(this.pump);
  }

  private readonly pump = () => {
    this.scheduled = false;
    if (this.waiting.length === 0 || this.active >= this.slots) return; // a finishing task wakes us
    const held = this.hold();
    if (held === false || (typeof held === 'number' && held <= 0)) this.heldSince = undefined;
    else {
      // Held for longer than maxHoldMs (requests keep coming): one task per turn again, until a turn
      // finds nothing held.
      const now = Date.now();
      this.heldSince ??= now;
      const left = this.heldSince + this.maxHoldMs - now;
      if (left > 0) {
        // Not a busy wait: wake() when the hold ends, or this timer (at the end of a timed hold).
        const wait = held === true ? left : Math.min(left, Math.ceil(held));
        if (this.holdTimer && this.holdUntil <= now + wait) return;
        clearTimeout(this.holdTimer);
        this.holdUntil = now + wait;
        this.holdTimer = setTimeout(() => {
          this.holdTimer = undefined;
          this.wake();
        }, wait);
        return;
      }
    }
    if (this.holdTimer) {
      clearTimeout(this.holdTimer);
      this.holdTimer = undefined;
    }
    this.active++;
    this.waiting.shift()!();
    this.wake(); // the next one, on the next turn
  };
}

// Short-lived state shared by the processes serving one bot: replayed interaction ids, rate-limit
// windows, cooldowns. Everything here expires; nothing here is directory data.

export interface Window {
  /** Hits counted in the current window, this one included. */
  count: number;
  /** When the window ends (epoch ms). */
  resetAt: number;
}

export interface SharedState {
  readonly description: string;
  /**
   * True the first time `key` is claimed while the claim lives (`ttlMs`), false while it does.
   * Atomic across every process sharing the backend.
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Counts one hit in a fixed window of `windowMs` named `key`. */
  hit(key: string, windowMs: number): Promise<Window>;
  /** Resolves when the backend answers; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

// Logs about requests nobody authenticated (bad signatures, replays, aborted uploads) are throttled:
// an attacker must not be able to fill the disk or drown real errors.
import type { Logger } from '../log.ts';

export interface Throttled {
  /** Logs at warn, at most `burst` times per kind per window; the rest are counted and reported once. */
  warn(kind: string, msg: string, ctx?: Record<string, unknown>): void;
}

export function throttledLog(log: Logger, burst = 5, windowMs = 60_000): Throttled {
  const seen = new Map<string, { start: number; count: number }>();
  return {
    warn(kind, msg, ctx) {
      const now = Date.now();
      let s = seen.get(kind);
      if (!s || now - s.start >= windowMs) {
        if (s && s.count > burst) log.warn('suppressed similar log lines', { kind, count: s.count - burst, windowMs });
        s = { start: now, count: 0 };
        seen.set(kind, s);
      }
      if (++s.count <= burst) log.warn(msg, ctx);
    },
  };
}

// Every rate limit and time window of the shared state, in one place.

/** Buckets a user's interactions are counted in. */
export type RateBucket = 'match' | 'search' | 'autocomplete' | 'write';

/** Hits per user per minute in each bucket (per server: a user in two servers has two budgets). */
export const RATE_LIMITS: Record<RateBucket, number> = {
  match: 30,
  search: 40,
  // Discord sends one autocomplete request per keystroke or two.
  autocomplete: 240,
  write: 60,
};

export const RATE_WINDOW_MS = 60_000;

/** One /import per server in this time: an import can hold 10,000 entries, and retries should not pile up. */
export const IMPORT_COOLDOWN_MS = 10_000;

/**
 * How long an interaction id is remembered. Discord's signed timestamp is accepted ±5 minutes
 * (MAX_CLOCK_SKEW_MS), so a replay can arrive at most 10 minutes after the original.
 */
export const REPLAY_WINDOW_MS = 10 * 60_000;

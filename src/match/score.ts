/** Suggestions scoring under this are not shown (see README "Scores"). */
export const DEFAULT_MIN_SCORE = 0.15;

/** A watched entry is told about new partners scoring at least this. */
export const WATCH_MIN_SCORE = 0.5;

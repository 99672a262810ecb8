/** Suggestions scoring under this are not shown (see README "Scores"). */
export const DEFAULT_MIN_SCORE = 0.15;

/** Levenshtein distance, small strings only (ids, names). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

export const MAX_SUGGEST_INPUT = 64;

/** The closest candidate, if it is close enough to be a plausible typo or a prefix. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  // A long input is no typo of a short name; edit distance is quadratic, so stop before it.
  if (input.length > MAX_SUGGEST_INPUT) return undefined;
  const needle = input.toLowerCase().trim();
  if (!needle) return undefined; // every candidate starts with "": no suggestion is better than a random one
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    const d = lc.startsWith(needle) || needle.startsWith(lc) ? 0.5 : editDistance(needle, lc);
    if (d < bestScore) {
      bestScore = d;
      best = c;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.ceil(needle.length / 3)) ? best : undefined;
}

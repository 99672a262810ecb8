// Ranking metrics over graded labels (gain 2^grade − 1).

export type Grades = ReadonlyMap<string, number>;

export function dcg(ranked: readonly string[], grades: Grades, k: number): number {
  let s = 0;
  ranked.slice(0, k).forEach((id, i) => {
    const g = grades.get(id) ?? 0;
    if (g > 0) s += (2 ** g - 1) / Math.log2(i + 2);
  });
  return s;
}

export function ndcg(ranked: readonly string[], grades: Grades, k: number): number {
  const ideal = [...grades.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
  const best = dcg(ideal, grades, k);
  return best === 0 ? 0 : dcg(ranked, grades, k) / best;
}

export function recall(ranked: readonly string[], grades: Grades, k: number): number {
  const relevant = [...grades.values()].filter((g) => g > 0).length;
  if (relevant === 0) return 0;
  return ranked.slice(0, k).filter((id) => (grades.get(id) ?? 0) > 0).length / relevant;
}

export function reciprocalRank(ranked: readonly string[], grades: Grades): number {
  const i = ranked.findIndex((id) => (grades.get(id) ?? 0) > 0);
  return i < 0 ? 0 : 1 / (i + 1);
}

export interface Summary { n: number; ndcg5: number; recall5: number; mrr: number }

export function summarize(rows: readonly { ranked: string[]; grades: Grades }[]): Summary {
  const n = rows.length || 1;
  const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + f(r), 0) / n;
  return {
    n: rows.length,
    ndcg5: sum((r) => ndcg(r.ranked, r.grades, 5)),
    recall5: sum((r) => recall(r.ranked, r.grades, 5)),
    mrr: sum((r) => reciprocalRank(r.ranked, r.grades)),
  };
}

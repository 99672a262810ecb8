// What explaining a suggestion needs of an indexed entry, kept when the entry is indexed, so that
// explaining never re-analyses it: its features come from the postings (one binary search each);
// the few things postings cannot hold (surface forms, bridge marks, standard codes, which features
// only bridging read in) are kept here, in flat arrays (no per-entry Maps).
import type { Analysis } from './analyze.ts';
import type { BridgeMark } from './bridge.ts';
import type { Side } from './explain.ts';
import type { InvertedIndex } from './inverted.ts';

export interface Kept {
  /** concept id, surface form, … in the order first met */
  concepts?: string[];
  /** family id, form, … and whether each mark is a method */
  marks?: string[];
  methods?: boolean[];
  /** standard key, code as written, … */
  codes?: string[];
  /** Feature ids of the entry that only bridging read in (its text does not say them). */
  bridgedOnly?: Int32Array;
}

const flat = <V>(m: ReadonlyMap<string, V>, f: (v: V) => string): string[] | undefined => {
  if (m.size === 0) return undefined;
  const out: string[] = [];
  for (const [k, v] of m) out.push(k, f(v));
  return out;
};

export function keep(a: Analysis, ix: InvertedIndex): Kept {
  const k: Kept = {};
  const concepts = flat(a.concepts, (v) => v);
  if (concepts) k.concepts = concepts;
  const marks = flat(a.marks, (m) => m.form);
  if (marks) {
    k.marks = marks;
    k.methods = [...a.marks.values()].map((m) => m.method);
  }
  const codes = flat(a.codes, (v) => v);
  if (codes) k.codes = codes;
  const only: number[] = [];
  // The same test as explain's `says`, on the analysis's exact (not the postings' float32) figures.
  for (const [f, w] of a.bridged) if (!((a.features.get(f) ?? 0) > w + 1e-9)) only.push(ix.idOf(f));
  if (only.length) k.bridgedOnly = Int32Array.from(only);
  return k;
}

const pairs = <V>(xs: readonly string[] | undefined, v: (s: string, i: number) => V): Map<string, V> => {
  const m = new Map<string, V>();
  if (xs) for (let i = 0; i < xs.length; i += 2) m.set(xs[i]!, v(xs[i + 1]!, i / 2));
  return m;
};

/** An indexed entry as explanations see it; `idOf` may answer from a query's own look-ups. */
export function keptSide(ix: InvertedIndex, doc: number, k: Kept, idOf: (f: string) => number = (f) => ix.idOf(f)): Side {
  return {
    has: (f) => ix.holdsId(doc, idOf(f)),
    says: (f) => {
      const id = idOf(f);
      return ix.holdsId(doc, id) && !(k.bridgedOnly?.includes(id) ?? false);
    },
    concepts: pairs(k.concepts, (s) => s),
    marks: pairs(k.marks, (form, i): BridgeMark => ({ form, method: k.methods![i]! })),
    codes: pairs(k.codes, (s) => s),
  };
}

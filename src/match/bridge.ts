// Problem → method bridging at analysis time: a symptom an enterprise writes (银纹) adds its
// family's feature and, at a lower weight, the features of the methods labs write for it
// (原料干燥与水分控制 …); a lab naming such a method gets the family feature too. Standard codes
// are exact features ("GB4806") that bring their subject at the same lower weight.
import { analyze } from './analyze.ts';
import { DoubleArray } from './automaton.ts';
import { featureOf, type Glossary, type ConceptHit } from './glossary.ts';
import { isCJK, latinTokens, normalize, type Token } from './normalize.ts';
import { loadProblemFiles, loadStandards, STANDARD_PREFIXES, standardKey, standardKeys, type ProblemFamily, type Standard } from './problems.ts';

/** Bridged features (a family's methods, a standard's subject) count this share of a direct mention. */
export const BRIDGE_SHARE = 0.35;

interface Node { next: Map<string, Node>; ids?: string[] }

/**
 * Symptom and method forms: a double-array trie over the Chinese forms' code units (a step is two
 * typed-array reads, and walking a text makes no strings) and a stemmed-token trie (English);
 * longest form per start.
 */
class FormMatcher {
  /** Chinese forms → the ids that share each, in the order added (built into `chars` on first use). */
  private readonly cjkForms = new Map<string, string[]>();
  private chars: DoubleArray | undefined;
  private charIds: string[][] = [];
  /** Code unit → label (0: in no Chinese form). */
  private readonly labels = new Uint16Array(65536);
  private readonly toks: Node = { next: new Map() };
  /** Code units that start some Chinese form: most positions of a text start none. */
  private readonly starts = new Uint8Array(65536);

  add(id: string, raw: string): void {
    const form = normalize(raw).trim();
    const cjk = [...form].some(isCJK);
    if (cjk) {
      // Texts are walked by code unit: a form with a character outside the BMP could never match.
      if ([...form].length !== form.length) return;
      this.starts[form.charCodeAt(0)] = 1;
      const ids = this.cjkForms.get(form);
      if (ids) ids.push(id);
      else this.cjkForms.set(form, [id]);
      this.chars = undefined;
      return;
    }
    const keys = latinTokens(form).map((t) => t.stem);
    if (!keys.length) return;
    let node = this.toks;
    for (const k of keys) {
      let n = node.next.get(k);
      if (!n) node.next.set(k, (n = { next: new Map() }));
      node = n;
    }
    (node.ids ??= []).push(id);
  }

  private automaton(): DoubleArray {
    if (this.chars) return this.chars;
    let next = 1;
    const label = (c: number) => (this.labels[c] ||= next++);
    const keys: { labels: number[]; value: number }[] = [];
    this.charIds = [];
    for (const [form, ids] of this.cjkForms) {
      keys.push({ labels: Array.from(form, (ch) => label(ch.charCodeAt(0))), value: this.charIds.length });
      this.charIds.push(ids);
    }
    return (this.chars = DoubleArray.build(keys));
  }

  find(norm: string, tokens: readonly Token[]): ConceptHit[] {
    const hits: ConceptHit[] = [];
    const da = this.automaton();
    for (let i = 0; i < norm.length; i++) {
      if (!this.starts[norm.charCodeAt(i)]) continue;
      const labels = this.labels;
      let st = da.next(0, labels[norm.charCodeAt(i)]!);
      for (let j = i + 1; st >= 0; j++) {
        const v = da.value[st]!;
        if (v >= 0) for (const id of this.charIds[v]!) hits.push({ concept: id, form: norm.slice(i, j), start: i, end: j });
        if (j >= norm.length) break;
        const l = labels[norm.charCodeAt(j)]!;
        st = l === 0 ? -1 : da.next(st, l);
      }
    }
    for (let i = 0; i < tokens.length; i++) {
      let node: Node | undefined = this.toks;
      let best: { node: Node; end: number; j: number } | undefined;
      for (let j = i; j < tokens.length && node; j++) {
        if (j > i && /[^ \-/]/.test(norm.slice(tokens[j - 1]!.end, tokens[j]!.start))) break;
        node = node.next.get(tokens[j]!.stem);
        if (node?.ids) best = { node, end: tokens[j]!.end, j };
      }
      if (best) for (const id of best.node.ids!) hits.push({ concept: id, form: norm.slice(tokens[i]!.start, best.end), start: tokens[i]!.start, end: best.end });
    }
    return hits;
  }
}

export interface BridgeMark {
  /** The text's own wording: a symptom (problem) or a method a lab names. */
  form: string;
  method: boolean;
}

/** Family and standard features, and the expansions they bring. */
export class Bridge {
  readonly families: ProblemFamily[];
  /** Symptom forms (ids "P…") and method forms ("M…") in one matcher: one pass over a text finds both. */
  private readonly forms = new FormMatcher();
  /** pseudo-concept id → family indexes */
  private readonly groups = new Map<string, number[]>();
  private readonly expansion: (Map<string, number> | undefined)[] = [];
  private readonly standards = new Map<string, Standard>();
  private readonly stdExpansion = new Map<string, Map<string, number>>();
  private readonly prefixes: ReadonlySet<string>;

  /** `expand` turns method or subject text into features (the analyzer without bridging). */
  constructor(
    families: readonly ProblemFamily[],
    standards: readonly Standard[],
    private readonly expand: (texts: string[], concepts: readonly string[]) => Map<string, number>,
  ) {
    // Families repeated across sector files (same id) merge their forms and methods.
    const byId = new Map<string, ProblemFamily>();
    for (const f of families) {
      const prev = byId.get(f.id);
      if (!prev) byId.set(f.id, structuredClone(f));
      else {
        for (const k of ['zh', 'en'] as const) {
          prev.problem[k] = [...new Set([...prev.problem[k], ...f.problem[k]])];
          prev.methods[k] = [...new Set([...prev.methods[k], ...f.methods[k]])];
        }
        prev.concepts = [...new Set([...(prev.concepts ?? []), ...(f.concepts ?? [])])];
      }
    }
    this.families = [...byId.values()];
    this.addForms('P', (f) => [...f.problem.zh, ...f.problem.en]);
    this.addForms('M', (f) => [...f.methods.zh, ...f.methods.en]);
    const prefixes = new Set(STANDARD_PREFIXES);
    for (const s of standards) {
      const k = standardKey(s.code);
      if (!k) continue;
      const prev = this.standards.get(k);
      // Sub-parts of one family (IEEE 802.3, IEEE 802.15.4) pool their subjects.
      if (prev) this.standards.set(k, { ...prev, subject: { zh: [...prev.subject.zh, ...s.subject.zh], en: [...prev.subject.en, ...s.subject.en] }, concepts: [...(prev.concepts ?? []), ...(s.concepts ?? [])] });
      else this.standards.set(k, s);
      prefixes.add(k.replace(/\d+$/, ''));
    }
    this.prefixes = prefixes;
  }

  /** One pseudo-concept per distinct form; a form several families share points to all of them. */
  private addForms(tag: string, forms: (f: ProblemFamily) => string[]): void {
    const byForm = new Map<string, { raw: string; fams: number[] }>();
    this.families.forEach((f, i) => {
      for (const raw of forms(f)) {
        const key = normalize(raw).trim();
        const e = byForm.get(key) ?? { raw, fams: [] };
        if (!e.fams.includes(i)) e.fams.push(i);
        byForm.set(key, e);
      }
    });
    let n = 0;
    for (const { raw, fams } of byForm.values()) {
      const id = `${tag}${n++}`;
      this.groups.set(id, fams);
      this.forms.add(id, raw);
    }
  }

  static load(expand: (texts: string[], concepts: readonly string[]) => Map<string, number>): Bridge {
    return new Bridge(loadProblemFiles().flatMap((f) => f.data.families), loadStandards(), expand);
  }

  get size(): number {
    return this.families.length;
  }

  private familyExpansion(i: number): Map<string, number> {
    let e = this.expansion[i];
    if (!e) {
      const f = this.families[i]!;
      e = this.expand([f.methods.zh.join('；'), f.methods.en.join('; ')], f.concepts ?? []);
      this.expansion[i] = e;
    }
    return e;
  }

  /** The methods a family's labs write, as features (for explanations). */
  methodFeatures(family: string): ReadonlyMap<string, number> | undefined {
    const i = this.families.findIndex((f) => f.id === family);
    return i < 0 ? undefined : this.familyExpansion(i);
  }

  family(id: string): ProblemFamily | undefined {
    return this.families.find((f) => f.id === id);
  }

  /**
   * Adds the bridge features of one field of text. `add` takes (feature, weight); `marks` collects
   * family id → the form met first, `codes` standard key → the code as written.
   */
  apply(norm: string, original: string, tokens: readonly Token[], weight: number, add: (f: string, w: number) => void, marks: Map<string, BridgeMark>, codes: Map<string, string>, terms: readonly ConceptHit[] = []): void {
    const expanded = new Set<number>();
    const hits = this.forms.find(norm, tokens);
    for (const hit of hits) {
      if (hit.concept[0] !== 'P') continue;
      // A symptom word inside a longer glossary term ("swell" in "cells swell") is that term's, not the family's.
      if (terms.some((t) => t.start >= 0 && t.start <= hit.start && t.end >= hit.end && t.end - t.start > hit.end - hit.start && !t.concept.startsWith('~'))) continue;
      for (const i of this.groups.get(hit.concept) ?? []) {
        const f = this.families[i]!;
        add('p:' + f.id, weight);
        if (!marks.has(f.id) || marks.get(f.id)!.method) marks.set(f.id, { form: hit.form, method: false });
        if (expanded.has(i)) continue;
        expanded.add(i);
        for (const [feat, v] of this.familyExpansion(i)) add(feat, weight * BRIDGE_SHARE * Math.min(v, 1));
      }
    }
    for (const hit of hits) {
      if (hit.concept[0] !== 'M') continue;
      const fams = this.groups.get(hit.concept) ?? [];
      // A method many families share (失效分析) says less about any one of them.
      const w = weight / Math.sqrt(fams.length || 1);
      for (const i of fams) {
        const f = this.families[i]!;
        add('p:' + f.id, w);
        if (!marks.has(f.id)) marks.set(f.id, { form: hit.form, method: true });
      }
    }
    for (const key of standardKeys(original, this.prefixes)) {
      add('s:' + key, weight);
      if (!codes.has(key)) codes.set(key, key);
      const s = this.standards.get(key);
      if (!s) continue;
      let e = this.stdExpansion.get(key);
      if (!e) this.stdExpansion.set(key, (e = this.expand([s.title.zh, s.title.en, ...s.subject.zh, ...s.subject.en], s.concepts ?? [])));
      for (const [feat, v] of e) add(feat, weight * BRIDGE_SHARE * Math.min(v, 1));
    }
  }

  standard(key: string): Standard | undefined {
    return this.standards.get(key);
  }
}

/** Method or subject text as features: glossary concepts (and their families), lexicon words, English stems, bigrams. */
export function expansionOf(g: Glossary, texts: readonly string[], concepts: readonly string[]): Map<string, number> {
  const a = analyze({ glossary: g, segment: () => [] }, texts.map((text) => ({ text, weight: 1 })));
  const out = new Map<string, number>();
  // Concepts, lexicon words and English stems: method wording in bigrams would double the index for no gain.
  for (const [f, v] of a.features) if (/^[clw]:/.test(f)) out.set(f, v);
  for (const c of concepts) {
    if (!g.concepts.has(c)) continue;
    out.set(featureOf(c), Math.max(out.get(featureOf(c)) ?? 0, 1));
    let share = 0.5;
    for (const anc of g.ancestorsOf(c)) {
      out.set(featureOf(anc), Math.max(out.get(featureOf(anc)) ?? 0, share));
      share *= 0.5;
    }
  }
  return out;
}

const cache = new WeakMap<Glossary, Bridge>();
/** The bridge over data/problems and data/standards.json for a glossary, built once. */
export function defaultBridge(g: Glossary): Bridge {
  let b = cache.get(g);
  if (!b) cache.set(g, (b = Bridge.load((texts, concepts) => expansionOf(g, texts, concepts))));
  return b;
}

// Problem → method bridging at analysis time: a symptom an enterprise writes (银纹) adds its
// family's feature and, at a lower weight, the features of the methods labs write for it
// (原料干燥与水分控制 …); a lab naming such a method gets the family feature too. Standard codes
// are exact features ("GB4806") that bring their subject at the same lower weight.
import { analyze } from './analyze.ts';
import { DoubleArray } from './automaton.ts';
import { featureOf, type Glossary, type ConceptHit } from './glossary.ts';
import { isCJK, latinTokens, normalize, type Token } from './normalize.ts';
import { loadProblemFiles, loadStandards, STANDARD_PREFIXES, standardKey, standardKeys, type ProblemFamily, type Standard } from './problems.ts';
import { defaultSymptomHeads, type Canon, type CanonToken, type SymptomHeads } from './symptoms.ts';

/** Bridged features (a family's methods, a standard's subject) count this share of a direct mention. */
export const BRIDGE_SHARE = 0.25;

interface Node { next: Map<string, Node>; ids?: string[] }
interface GapNode { next: Map<string, GapNode>; gaps?: { b: string[]; ids: string[] }[] }
/** Marks a gapped form's first part among the automaton's ids (no form id starts so). */
const GAP_ID = '\u0001';

/**
 * A gapped form's second part may follow its first part after at most this many characters (Chinese) or words
 * (English), within one clause: 线路…跳闸 reads 线路老是跳闸 and 线路一到雨天就跳闸, not 线路图。…跳闸.
 */
export const GAP = { zh: 8, en: 4 } as const;
/** A gapped form met counts this share of a form met as written: the words between may change its sense. */
export const GAPPED_SHARE = 0.7;
/** What ends a clause: a gapped form's parts never stand on both sides of one. */
const CLAUSE_END = /[。；;！!？?\n.]/;

/** A head met without its form's object word brings its families at this share, where the context agrees. */
export const HEAD_SHARE = 0.4;

/** A standard code brings its subject at this share of a direct mention: a written code names what is asked more surely than an inferred symptom names its remedy (measured 0.25 / 0.5 / 0.8: docs/matching-history.md). */
export const STANDARD_SHARE = 0.5;


/** A two-character symptom form (烧焦, 翘曲) whose family neither its object words nor the entry's own sectors back counts this share: in a text of another trade it often names another thing (0.4: no gain, measured). */
export const SHORT_SHARE = 0.2;

/** What a whole text says around a symptom: its sectors and its fields in canonical form (symptoms.ts). */
export class BridgeContext {
  private readonly canons = new Map<string, Canon>();
  private readonly toks = new Map<string, CanonToken[]>();
  private memo: { sectors?: Set<string>; texts?: string[]; stems?: Set<string> } = {};
  /** family index → how well it fits this text (Bridge.fit) */
  readonly fits = new Map<number, number>();
  /** Each part is worked out when first asked for: most texts meet no ambiguous symptom. */
  constructor(private readonly heads: SymptomHeads | undefined, private readonly norms: readonly string[], private readonly sectorsOf: () => Iterable<string>, readonly own: readonly string[] = []) {}

  canon(norm: string): Canon | undefined {
    if (!this.heads) return undefined;
    let c = this.canons.get(norm);
    if (!c) this.canons.set(norm, (c = this.heads.canon(norm)));
    return c;
  }

  tokens(norm: string, tokens?: readonly Token[]): CanonToken[] | undefined {
    if (!this.heads) return undefined;
    let t = this.toks.get(norm);
    if (!t) this.toks.set(norm, (t = this.heads.tokens(norm, tokens ?? latinTokens(norm))));
    return t;
  }

  get sectors(): ReadonlySet<string> {
    return (this.memo.sectors ??= new Set(this.sectorsOf()));
  }

  /** Every field in canonical form. */
  get texts(): readonly string[] {
    return (this.memo.texts ??= this.norms.map((n) => this.canon(n)?.text ?? n));
  }

  /** Every English stem of every field, heads unified. */
  get stems(): ReadonlySet<string> {
    return (this.memo.stems ??= new Set(this.norms.flatMap((n) => (this.tokens(n) ?? []).map((t) => t.stem))));
  }
}

/**
 * Symptom and method forms: a double-array trie over the Chinese forms' code units, canonical (symptoms.ts; a step is
 * two typed-array reads, and walking a text makes no strings) and a stemmed-token trie (English); longest form per start.
 */
class FormMatcher {
  constructor(private readonly heads?: SymptomHeads) {}

  /** Chinese forms → the ids that share each, in the order added (built into `chars` on first use). */
  private readonly cjkForms = new Map<string, string[]>();
  private chars: DoubleArray | undefined;
  private charIds: string[][] = [];
  /** Code unit → label (0: in no Chinese form). */
  private readonly labels = new Uint16Array(65536);
  private readonly toks: Node = { next: new Map() };
  /** Code units that start some Chinese form: most positions of a text start none. */
  private readonly starts = new Uint8Array(65536);
  /** Gapped forms by their first part: its second parts (canonical; English as stems) → ids. */
  private readonly gapZh = new Map<string, { b: string; ids: string[] }[]>();
  /** The longest second part (canonical, Chinese). */
  private gapLongest = 0;
  private readonly gapEn: GapNode = { next: new Map() };
  /** Ids of gapped forms. */
  readonly gapped = new Set<string>();

  add(id: string, raw: string): void {
    const form = normalize(raw).trim();
    if (form.includes('...')) return this.addGapped(id, form);
    const cjk = [...form].some(isCJK);
    if (cjk) {
      // Texts are walked by code unit: a form with a character outside the BMP could never match.
      if ([...form].length !== form.length) return;
      const canon = this.heads ? this.heads.canon(form).text : form;
      // A form the rewriting shortens to a scrap (得率低 → 率低) would fire on any text: it is left out.
      if (!canon.length || (canon.length < 3 && canon.length < form.length)) return;
      this.addCjk(canon, id);
      return;
    }
    const keys = this.enStems(form);
    if (!keys.length) return;
    let node = this.toks;
    for (const k of keys) {
      let n = node.next.get(k);
      if (!n) node.next.set(k, (n = { next: new Map() }));
      node = n;
    }
    (node.ids ??= []).push(id);
  }

  private addCjk(canon: string, id: string): void {
    this.starts[canon.charCodeAt(0)] = 1;
    const ids = this.cjkForms.get(canon);
    if (ids) ids.push(id);
    else this.cjkForms.set(canon, [id]);
    this.chars = undefined;
  }

  /**
   * NFKC has turned the form's "…" into "...". A Chinese first part joins the one automaton under a marker id
   * (GAP_ID + the part), so one walk over a text finds plain forms and first parts alike; English first parts
   * get a trie of their own.
   */
  private addGapped(id: string, form: string): void {
    const parts = form.split('...').map((x) => x.trim());
    if (parts.length !== 2 || !parts[0] || !parts[1]) return;
    if ([...form].some(isCJK)) {
      if ([...form].length !== form.length) return;
      const [a, b] = parts.map((x) => (this.heads ? this.heads.canon(x).text : x)) as [string, string];
      if (!a || !b) return;
      let list = this.gapZh.get(a);
      if (!list) {
        this.gapZh.set(a, (list = []));
        this.addCjk(a, GAP_ID + a);
      }
      this.gapLongest = Math.max(this.gapLongest, b.length);
      const e = list.find((x) => x.b === b);
      if (e) e.ids.push(id);
      else list.push({ b, ids: [id] });
    } else {
      const [a, b] = parts.map((x) => this.enStems(x)) as [string[], string[]];
      if (!a.length || !b.length) return;
      let node = this.gapEn;
      for (const k of a) {
        let n = node.next.get(k);
        if (!n) node.next.set(k, (n = { next: new Map() }));
        node = n;
      }
      const list = (node.gaps ??= []);
      const e = list.find((x) => x.b.join(' ') === b.join(' '));
      if (e) e.ids.push(id);
      else list.push({ b, ids: [id] });
    }
    this.gapped.add(id);
  }

  /** A first part met at [i, j) of the canonical text: each second part within GAP.zh after it, in the same clause. */
  private gapHitsZh(a: string, i: number, j: number, norm: string, canon: Canon, hits: ConceptHit[]): void {
    const list = this.gapZh.get(a);
    if (!list) return;
    // The window after the first part, cut at the clause's end: every second part is looked for in it alone.
    let w = canon.text.slice(j, j + GAP.zh + this.gapLongest);
    const stop = w.search(CLAUSE_END);
    if (stop >= 0) w = w.slice(0, stop);
    for (const { b, ids } of list) {
      const at = w.indexOf(b);
      if (at < 0 || at > GAP.zh) continue;
      const start = canon.at[i]!;
      const end = canon.at[j + at + b.length]!;
      for (const id of ids) hits.push({ concept: id, form: norm.slice(start, end), start, end });
    }
  }

  /** English first parts from each token, then their second parts within GAP.en words in the same clause. */
  private gapHitsEn(norm: string, toks: readonly CanonToken[], hits: ConceptHit[]): void {
    const seq = (at: number, stems: readonly string[]) => stems.every((s, k) => toks[at + k]?.stem === s);
    for (let i = 0; i < toks.length; i++) {
      let node: GapNode | undefined = this.gapEn;
      for (let j = i; j < toks.length && node; j++) {
        if (j > i && !toks[j]!.adj) break;
        node = node.next.get(toks[j]!.stem);
        if (!node?.gaps) continue;
        for (const { b, ids } of node.gaps) {
          for (let k = j + 1; k <= j + 1 + GAP.en && k + b.length <= toks.length; k++) {
            if (CLAUSE_END.test(norm.slice(toks[k - 1]!.end, toks[k]!.start))) break;
            if (!seq(k, b)) continue;
            const start = toks[i]!.start;
            const end = toks[k + b.length - 1]!.end;
            for (const id of ids) hits.push({ concept: id, form: norm.slice(start, end), start, end });
            break;
          }
        }
      }
    }
  }

  enStems(form: string): string[] {
    const toks = latinTokens(form);
    return this.heads ? this.heads.tokens(form, toks).map((t) => t.stem) : toks.map((t) => t.stem);
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

  /** Chinese forms are looked up in the canonical text, English ones in canonical tokens; hits carry offsets in `norm`. */
  find(norm: string, tokens: readonly Token[], canon: Canon = { text: norm, at: Array.from({ length: norm.length + 1 }, (_, i) => i), heads: false }, ctoks?: readonly CanonToken[]): ConceptHit[] {
    const hits: ConceptHit[] = [];
    const da = this.automaton();
    const c = canon.text;
    const labels = this.labels;
    for (let i = 0; i < c.length; i++) {
      if (!this.starts[c.charCodeAt(i)]) continue;
      let st = da.next(0, labels[c.charCodeAt(i)]!);
      for (let j = i + 1; st >= 0; j++) {
        const v = da.value[st]!;
        if (v >= 0) {
          const start = canon.at[i]!;
          const end = canon.at[j]!;
          for (const id of this.charIds[v]!) {
            if (id.charCodeAt(0) === 1) this.gapHitsZh(id.slice(1), i, j, norm, canon, hits);
            else hits.push({ concept: id, form: norm.slice(start, end), start, end });
          }
        }
        if (j >= c.length) break;
        const l = labels[c.charCodeAt(j)]!;
        st = l === 0 ? -1 : da.next(st, l);
      }
    }
    const toks = ctoks ?? tokens.map((t, k) => ({ stem: t.stem, start: t.start, end: t.end, adj: k > 0 && !/[^ \-/]/.test(norm.slice(tokens[k - 1]!.end, t.start)) }));
    for (let i = 0; i < toks.length; i++) {
      let node: Node | undefined = this.toks;
      let best: { node: Node; end: number; j: number } | undefined;
      for (let j = i; j < toks.length && node; j++) {
        if (j > i && !toks[j]!.adj) break;
        node = node.next.get(toks[j]!.stem);
        if (node?.ids) best = { node, end: toks[j]!.end, j };
      }
      if (best) for (const id of best.node.ids!) hits.push({ concept: id, form: norm.slice(toks[i]!.start, best.end), start: toks[i]!.start, end: best.end });
    }
    if (this.gapEn.next.size) this.gapHitsEn(norm, toks, hits);
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
  private readonly forms: FormMatcher;
  private readonly heads: SymptomHeads | undefined;
  /** Per family: its sectors (its file's and those it lists), its heads and object words (symptoms.ts). */
  private readonly famSectors: Set<string>[] = [];
  private readonly famObjects: string[][] = [];
  private readonly famEnObjects: string[][] = [];
  /** English: head stem → families whose forms carry it; per family its English forms as canonical stems. */
  private readonly enHeadFamilies = new Map<string, number[]>();
  private readonly famEnLiteral: string[][] = [];
  /** canonical head → families whose forms carry it */
  private readonly headFamilies = new Map<string, number[]>();
  /** Per family: its Chinese symptom forms as written (a head met in these words is the family's own). */
  private readonly famLiteral: string[][] = [];
  /** Symptom forms that are a bare head (起泡, 长霉): read by context among all families with that head. */
  private readonly bare = new Set<string>();
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
    heads?: SymptomHeads,
  ) {
    this.heads = heads;
    this.forms = new FormMatcher(heads);
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
        prev.sectors = [...new Set([...(prev.sectors ?? []), ...(f.sectors ?? [])])];
      }
    }
    this.families = [...byId.values()];
    this.families.forEach((f, i) => {
      this.famSectors.push(new Set(f.sectors ?? []));
      const objects = new Set<string>();
      for (const raw of f.problem.zh) {
        if (!heads) break;
        // A gapped form's parts are read only together: neither is an object word or a head of its own.
        if (normalize(raw).includes('...')) continue;
        const sp = heads.split(heads.canon(normalize(raw).trim()).text);
        for (const h of sp.heads) {
          const fams = this.headFamilies.get(h) ?? [];
          if (!fams.includes(i)) fams.push(i);
          this.headFamilies.set(h, fams);
        }
        sp.objects.forEach((o) => objects.add(o));
      }
      this.famObjects.push([...objects]);
      const enObjects = new Set<string>();
      const enLiteral: string[] = [];
      for (const raw of f.problem.en) {
        if (!heads) break;
        if (normalize(raw).includes('...')) continue;
        const stems = this.forms.enStems(normalize(raw));
        enLiteral.push(stems.join(' '));
        const sp = heads.splitEn(stems);
        for (const h of sp.heads) {
          const fams = this.enHeadFamilies.get(h) ?? [];
          if (!fams.includes(i)) fams.push(i);
          this.enHeadFamilies.set(h, fams);
        }
        sp.objects.forEach((o) => enObjects.add(o));
      }
      this.famEnObjects.push([...enObjects]);
      this.famEnLiteral.push(enLiteral);
      this.famLiteral.push(f.problem.zh.map((x) => normalize(x).trim()));
    });
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
        const norm = normalize(raw).trim();
        const key = this.heads && [...norm].some(isCJK) ? this.heads.canon(norm).text : norm;
        const e = byForm.get(key) ?? { raw, fams: [] };
        if (!e.fams.includes(i)) e.fams.push(i);
        byForm.set(key, e);
      }
    });
    let n = 0;
    const heads = new Set(this.heads?.heads ?? []);
    for (const [key, { raw, fams }] of byForm) {
      const id = `${tag}${n++}`;
      if (tag === 'P' && heads.has(key)) this.bare.add(id);
      this.groups.set(id, fams);
      this.forms.add(id, raw);
    }
  }

  static load(expand: (texts: string[], concepts: readonly string[]) => Map<string, number>): Bridge {
    // A family's own file names its first sector.
    const families = loadProblemFiles().flatMap((f) => f.data.families.map((fam) => ({ ...fam, sectors: [f.data.sector, ...(fam.sectors ?? [])] })));
    return new Bridge(families, loadStandards(), expand, defaultSymptomHeads());
  }

  /** The context `apply` weighs ambiguous symptoms by: sectors, and every field in canonical form. */
  context(norms: readonly string[], sectors: () => Iterable<string>, own: readonly string[] = []): BridgeContext {
    return new BridgeContext(this.heads, norms, sectors, own);
  }

  /** How well a family fits a text's context: its object words (2) and its sectors (1). */
  private fit(i: number, ctx: BridgeContext | undefined): number {
    if (!ctx) return 0;
    const known = ctx.fits.get(i);
    if (known !== undefined) return known;
    let s = 0;
    if (this.famObjects[i]!.some((o) => ctx.texts.some((t) => t.includes(o))) || this.famEnObjects[i]!.some((o) => ctx.stems.has(o))) s += 2;
    for (const x of this.famSectors[i]!) if (ctx.sectors.has(x)) {
      s += 1;
      break;
    }
    ctx.fits.set(i, s);
    return s;
  }

  /** A family's object words in the text (other than the form met), or the entry's own sector among the family's. */
  private agrees(i: number, ctx: BridgeContext, form: string): boolean {
    if (this.famObjects[i]!.some((o) => o !== form && ctx.texts.some((t) => t.includes(o))) || this.famEnObjects[i]!.some((o) => ctx.stems.has(o))) return true;
    if (!ctx.own.length) return this.fit(i, ctx) >= 1;
    return ctx.own.some((x) => this.famSectors[i]!.has(x));
  }

  /** Of several families, those that fit the context best (all of them when none fits at all). */
  private best(fams: readonly number[], ctx: BridgeContext | undefined): number[] {
    if (fams.length < 2 || !ctx) return [...fams];
    const scores = fams.map((i) => this.fit(i, ctx));
    const top = Math.max(...scores);
    return top > 0 ? fams.filter((_, k) => scores[k] === top) : [...fams];
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
  apply(norm: string, original: string, tokens: readonly Token[], weight: number, add: (f: string, w: number) => void, marks: Map<string, BridgeMark>, codes: Map<string, string>, terms: readonly ConceptHit[] = [], ctx?: BridgeContext): void {
    const expanded = new Set<number>();
    const canon = ctx ? ctx.canon(norm) : this.heads?.canon(norm);
    const ctoks = ctx ? ctx.tokens(norm, tokens) : this.heads?.tokens(norm, tokens);
    const hits = this.forms.find(norm, tokens, canon, ctoks);
    const fire = (i: number, form: string, w: number) => {
      const f = this.families[i]!;
      add('p:' + f.id, w);
      if (!marks.has(f.id) || marks.get(f.id)!.method) marks.set(f.id, { form, method: false });
      if (expanded.has(i)) return;
      expanded.add(i);
      for (const [feat, v] of this.familyExpansion(i)) add(feat, w * BRIDGE_SHARE * Math.min(v, 1));
    };
    const symptoms: ConceptHit[] = [];
    const byHead = !!(canon && ctx);
    for (const hit of hits) {
      if (hit.concept[0] !== 'P') continue;
      // A symptom word inside a longer glossary term ("swell" in "cells swell") is that term's, not the family's.
      if (terms.some((t) => t.start >= 0 && t.start <= hit.start && t.end >= hit.end && t.end - t.start > hit.end - hit.start && !t.concept.startsWith('~'))) continue;
      if (byHead && this.bare.has(hit.concept)) continue;
      symptoms.push(hit);
      // A form several families share goes to those the context fits, and to none when it fits none of them;
      // a one-word English form (swelling, noise) is as generic, and needs the context to agree too.
      const group = this.groups.get(hit.concept) ?? [];
      const chosen = this.best(group, ctx);
      if (ctx && group.length > 1 && chosen.length === group.length) continue;
      if (ctx && !/[\u3400-\u9fff]/.test(hit.form) && !/[ \-/]/.test(hit.form.trim()) && chosen.every((i) => this.fit(i, ctx) < 1)) continue;
      // So is a two-character Chinese form (烧焦, 翘曲): in a text of another trade it names another thing.
      const thin = ctx && [...hit.form.trim()].length <= 2 && !chosen.some((i) => this.agrees(i, ctx, normalize(hit.form).trim()));
      // A gapped form is looser still (客户…退货 is said in every trade): only where the context agrees.
      if (this.forms.gapped.has(hit.concept)) {
        for (const i of chosen) if (!ctx || this.fit(i, ctx) >= 1) fire(i, hit.form, weight * GAPPED_SHARE);
        continue;
      }
      for (const i of chosen) fire(i, hit.form, thin ? weight * SHORT_SHARE : weight);
    }
    // A head alone (鼓包, or 年糕发硬 where the lexicon has 面包变硬) brings the families its context fits: their
    // object words or sectors in the text, or the head written as the family writes it.
    if (byHead) {
      if (canon!.heads) for (const [head, fams] of this.headFamilies) {
        for (let at = canon!.text.indexOf(head); at >= 0; at = canon!.text.indexOf(head, at + head.length)) {
          const start = canon!.at[at]!;
          const end = canon!.at[at + head.length]!;
          if (symptoms.some((h) => h.start <= start && h.end >= end)) continue;
          const said = norm.slice(start, end);
          const literal = fams.map((i) => this.famLiteral[i]!.some((f) => said.includes(f)));
          const scores = fams.map((i, k) => this.fit(i, ctx) + (literal[k] ? 1 : 0));
          const top = Math.max(...scores);
          if (top < 1) continue;
          const chosen = fams.filter((_, k) => scores[k] === top);
          for (const i of chosen) fire(i, said, (weight * (literal[fams.indexOf(i)] ? 1 : HEAD_SHARE)) / Math.sqrt(chosen.length));
        }
      }
      // The same in English: "the pouch cells puff up" where the lexicon has "battery swelling".
      for (const t of ctoks ?? []) {
        const fams = this.enHeadFamilies.get(t.stem);
        if (!fams || symptoms.some((h) => h.start <= t.start && h.end >= t.end)) continue;
        const literal = fams.map((i) => this.famEnLiteral[i]!.includes(t.stem));
        const scores = fams.map((i, k) => this.fit(i, ctx) + (literal[k] ? 1 : 0));
        const top = Math.max(...scores);
        if (top < 1) continue;
        const chosen = fams.filter((_, k) => scores[k] === top);
        const said = norm.slice(t.start, t.end);
        for (const i of chosen) fire(i, said, (weight * (literal[fams.indexOf(i)] ? 1 : HEAD_SHARE)) / Math.sqrt(chosen.length));
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
      for (const [feat, v] of e) add(feat, weight * STANDARD_SHARE * Math.min(v, 1));
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

// The matching engine: glossary concepts + English stems + Chinese words + CJK bigrams in a BM25
// inverted index per entry type, typo correction of queries, fuse.js for fuzzy titles and
// autocomplete, scores normalised to [0, 1] with reasons for every suggestion.
import Fuse from 'fuse.js';
import type { EntryRecord, EntryStatus, EntryType } from '../domain/entry.ts';
import type { SectorId } from '../domain/sectors.ts';
import { analyze, findIn, inferSectors, recordFields, type Analysis, type Analyzer, type Field } from './analyze.ts';
import { analyserVersion, analysisKey, decodeAnalysis, encodeAnalysis, type AnalysisCache } from './analysis-cache.ts';
import { AutoIndex } from './autocomplete.ts';
import { defaultBridge } from './bridge.ts';
import { correct, loadTypoTables, type Correction } from './correct.ts';
import { explain, type ExplainInput } from './explain.ts';
import { DocInfo } from './doc-info.ts';
import { keep, keptSide } from './kept.ts';
import { defaultGlossary, LEXICON_PREFIX, type Glossary } from './glossary.ts';
import { InvertedIndex } from './inverted.ts';
import { ShardedMap } from './sharded-map.ts';
import { restoreSnapshot, takeSnapshot, type Current, type Restored, type RestoreOptions, type Snapshot } from './snapshot.ts';
import { calibration, DEFAULT_MIN_SCORE, probability, specificity, type Evidence } from './score.ts';
import { rolesOf, type Roles } from './roles.ts';
import { defaultStopTerms } from './stopterms.ts';
import { createSegmenter, type Segment, type SegmenterName } from './segment.ts';
import { OTHER, type Doc, type MatchOptions, type Ranker, type Reason, type Suggestion } from './types.ts';

/** How much one unit of each feature kind counts in a query. */
export const QUERY_WEIGHTS = { c: 2.5, p: 1, s: 2.5, l: 1.2, w: 1, z: 1, b: 0.5 } as const;
/** Query weight of a concept naming an object (product, material, component, sector, place) relative to one naming what is done (docs/matching-history.md, *Facets*). */
export const OBJECT_SHARE = 1;
/** Feature kinds that name something (concept, problem family, standard, lexicon word): see beyondLineage. */
const NAMED_KINDS = 'cpsl';
/** A shared sector lifts the raw score by this share. */
export const SECTOR_BONUS = 0.1;
/** Candidates re-ranked per query. */
const POOL = 60;

export interface EngineOptions {
  glossary?: Glossary;
  segmenter?: SegmenterName;
  minScore?: number;
  weights?: Partial<Record<keyof typeof QUERY_WEIGHTS, number>>;
  /** Problem → method bridging and standard codes (default on; off only to measure it). */
  bridge?: boolean;
  /** Stored analyses to read instead of analysing, and to hand fresh ones to (ignored with a glossary of one's own). */
  analyses?: AnalysisCache;
  /** Query weight of a concept that names an object (product, material, …: roles.ts) relative to one naming what is done (default OBJECT_SHARE; other values only to measure them). */
  objectShare?: number;
  /** Work out each suggestion's specific evidence (default: when the score model weighs it; calibrating always does). */
  specific?: boolean;
  /** Query bigrams left out: none (default), those inside a glossary concept's span ('concept'), or a lexicon word's too ('named'). Measured: docs/figures-history.md. */
  queryBigrams?: 'all' | 'concept' | 'named';
}

/** A named query feature, its number in the index, its query weight, its BM25 weight (weightOf) and concept id (concepts only): worked out once per query. */
interface Named { f: string; id: number; qw: number; concept: string | undefined; w: number }

export class TypeIndex {
  inv = new InvertedIndex();
  byDoc: (DocInfo | undefined)[] = [];
  byId = new ShardedMap<DocInfo>();
  auto = new AutoIndex();
}

export class Engine implements Ranker {
  private readonly a: Analyzer;
  /** Read and filled whole by snapshot.ts. */
  readonly idx: Record<EntryType, TypeIndex> = { need: new TypeIndex(), capability: new TypeIndex() };
  private readonly weights: Record<keyof typeof QUERY_WEIGHTS, number>;
  readonly minScore: number;
  private readonly cache: { store: AnalysisCache; version: string } | undefined;
  private readonly roles: Roles;
  private readonly objectShare: number;
  private readonly specific: boolean;
  /** Measurement only (eval/noanswer-dump.ts): sees each query's weighted features and its scored pool. */
  probe?: (p: { query: ReadonlyMap<string, number>; carried: number; unit: number; self: number; pool: { doc: number; raw: number; bonus: number; id: string }[]; inv: InvertedIndex; q: Analysis }) => void;
  private readonly spanned: ((concept: string) => boolean) | undefined;

  constructor(docs: Iterable<Doc> = [], opts: EngineOptions = {}) {
    const glossary = opts.glossary ?? defaultGlossary();
    const segmenter = opts.segmenter ?? DEFAULT_SEGMENTER;
    const segment = createSegmenter(segmenter, glossary);
    this.a = { glossary, segment, ...(opts.bridge === false ? {} : { bridge: defaultBridge(glossary) }) };
    if (opts.analyses && !opts.glossary) this.cache = { store: opts.analyses, version: `${analyserVersion()}.${segmenter}.${opts.bridge === false ? 0 : 1}` };
    this.weights = { ...QUERY_WEIGHTS, ...opts.weights };
    this.minScore = opts.minScore ?? DEFAULT_MIN_SCORE;
    this.roles = rolesOf(glossary);
    this.objectShare = opts.objectShare ?? OBJECT_SHARE;
    this.specific = opts.specific ?? (calibration().model.specific ?? 0) > 0;
    const qb = opts.queryBigrams ?? 'all';
    this.spanned = qb === 'all' ? undefined : qb === 'named' ? () => true : (c) => !c.startsWith(LEXICON_PREFIX);
    for (const d of docs) this.upsert(d);
  }

  get size(): number {
    return this.idx.need.byId.size + this.idx.capability.byId.size;
  }

  /** Keys by record (the store hands out a new object for every change: a record's text never changes). */
  private keys = new WeakMap<EntryRecord, string>();

  /** What a snapshot of this engine is keyed by: the analyser and the options (undefined: it keeps none). */
  get snapshotVersion(): string | undefined {
    return this.cache?.version;
  }

  snapshot(): Promise<Snapshot | undefined> {
    return takeSnapshot(this);
  }

  restore(snap: Snapshot, current: Current, opts?: RestoreOptions): Promise<Restored> {
    return restoreSnapshot(this, snap, current, opts);
  }

  /** The key its analysis is stored under (undefined: this engine stores none). */
  analysisKey(r: EntryRecord): string | undefined {
    if (!this.cache) return undefined;
    let k = this.keys.get(r);
    if (k === undefined) this.keys.set(r, (k = analysisKey(this.cache.version, r)));
    return k;
  }

  private analyzeRecord(r: EntryRecord): Analysis {
    const key = this.analysisKey(r);
    const stored = key === undefined ? undefined : this.cache!.store.get(key);
    const known = stored === undefined ? undefined : decodeAnalysis(stored);
    if (known) return known;
    const a = analyze(this.a, recordFields(r, { org: true }), { sectors: r.sectors ?? [] });
    const data = key === undefined ? undefined : encodeAnalysis(a);
    if (data !== undefined) this.cache!.store.put(key!, data);
    return a;
  }

  /** The analysis a document was indexed with. */
  private indexedAnalysis(info: DocInfo): Analysis {
    const stored = info.key === undefined ? undefined : this.cache?.store.get(info.key);
    return (stored === undefined ? undefined : decodeAnalysis(stored)) ?? this.analyzeRecord(info.record);
  }

  upsert(d: Doc): void {
    const t = this.idx[d.type];
    this.remove(d.type, d.record.id);
    const analysis = this.analyzeRecord(d.record);
    const doc = t.inv.add(analysis.features, analysis.length);
    const own = d.record.sectors ?? [];
    const sectors = own.length ? [...own] : inferSectors(this.a, analysis);
    const info = DocInfo.built(doc, d.record, d.status ?? 'open', sectors, own.length === 0, this.analysisKey(d.record), keep(analysis, t.inv));
    t.byDoc[doc] = info;
    t.byId.set(d.record.id, info);
    t.auto.upsert(d.record, info.status);
  }

  remove(type: EntryType, id: string): void {
    const t = this.idx[type];
    const info = t.byId.get(id);
    if (!info) return;
    t.inv.remove(info.doc, this.indexedAnalysis(info).features);
    t.byDoc[info.doc] = undefined;
    t.byId.delete(id);
    t.auto.remove(id);
  }

  inferredSectors(type: EntryType, id: string): SectorId[] {
    const info = this.idx[type].byId.get(id);
    return info?.inferred ? info.sectors : [];
  }

  complete(type: EntryType, query: string, limit: number, status: EntryStatus | 'all' = 'all'): EntryRecord[] {
    return this.idx[type].auto.complete(query, limit, status);
  }

  matchEntry(type: EntryType, id: string, opts: MatchOptions = {}): Suggestion[] {
    const src = this.idx[type].byId.get(id);
    if (!src) return [];
    const fields = recordFields(src.record);
    return this.rank(fields, OTHER[type], opts, src.sectors, false);
  }

  /**
   * Asks up to `count` of its own entries (spread over both types) as /match queries, without and with
   * reasons, one query a step: V8 compiles and optimises the query path on these rather than on the
   * first users' queries, and the one-off loads (typo tables) happen here. A generator, so a server can
   * yield between steps; results are thrown away and nothing is cached by them.
   */
  *rehearse(count = 100): Generator<void> {
    loadTypoTables();
    yield;
    const asked: [EntryType, string][] = [];
    for (const type of ['need', 'capability'] as const) {
      const byDoc = this.idx[type].byDoc;
      const step = Math.max(1, Math.floor(byDoc.length / Math.max(1, count / 2)));
      for (let d = 0; d < byDoc.length && asked.length < count; d += step) {
        const info = byDoc[d];
        if (info) asked.push([type, info.record.id]);
      }
    }
    // (An entry removed between steps is no longer found: matchEntry answers nothing.)
    for (const [i, [type, id]] of asked.entries()) {
      this.matchEntry(type, id, { top: 10, explain: i % 2 === 1 });
      yield;
    }
  }

  search(text: string, types: readonly EntryType[], opts: MatchOptions = {}): Suggestion[] {
    const fields: Field[] = [{ text, weight: 1 }];
    const all = types.flatMap((t) => this.rank(fields, t, opts, undefined, true));
    return all.sort((x, y) => y.score - x.score).slice(0, opts.top ?? 10);
  }

  private rank(fields: Field[], target: EntryType, opts: MatchOptions, sourceSectors: SectorId[] | undefined, freeText: boolean): Suggestion[] {
    const t = this.idx[target];
    const top = opts.top ?? 10;
    // Feature numbers looked up once per query: correction, the search, the bounds and every reason ask again.
    const ids = new Map<string, number>();
    const idOf = (f: string) => {
      if (InvertedIndex.isPair(f)) return t.inv.idOf(f);
      let id = ids.get(f);
      if (id === undefined) ids.set(f, (id = t.inv.idOf(f)));
      return id;
    };
    const df = (f: string) => t.inv.dfOf(idOf(f));
    const known = (f: string) => df(f) > 0;
    const knownPair = (a: number, b: number) => t.inv.dfOf(t.inv.pairIdOf(a, b)) > 0;
    const common = (f: string) => this.idx.need.inv.docFreq(f) + this.idx.capability.inv.docFreq(f) >= 2;
    const corrections: Correction[] = [];
    // A field that needs no correction is analysed from what correcting it found (its text is then
    // the original's NFKC form, which normalises and finds alike).
    const found = new Map<string, ReturnType<typeof findIn>>();
    const fixed = fields.map((f) => {
      const seen = f.text ? findIn(this.a.glossary, f.text) : undefined;
      const c = correct(f.text, this.a.glossary, known, common, seen, knownPair);
      if (seen && c.corrections.length === 0) found.set(c.text, seen);
      corrections.push(...c.corrections);
      return { ...f, text: c.text };
    });
    const q = analyze(this.a, fixed, { sectors: sourceSectors ?? [], found, ...(this.spanned ? { spanned: this.spanned } : {}) });
    const cut = new Map<string, string[]>();
    const words = (run: string) => {
      let w = cut.get(run);
      if (!w) cut.set(run, (w = this.explainWords(run)));
      return w;
    };
    const query = new Map<string, number>();
    // Each query feature's number and document frequency, in the query's order, looked up once (the
    // search, `carried` and `named` read them: a bigram's look-up is a miss in a table of megabytes).
    const qid = new Int32Array(q.features.size);
    const qdf = new Int32Array(q.features.size);
    let n = 0;
    for (const [f, tf] of q.features) {
      let w = this.weights[f[0] as keyof typeof QUERY_WEIGHTS] ?? 1;
      if (f[0] === 'c' && this.objectShare !== 1 && this.roles.isObject(f.slice(2))) w *= this.objectShare;
      query.set(f, w * Math.sqrt(Math.min(tf, 9)));
      const id = idOf(f);
      qid[n] = id;
      qdf[n++] = t.inv.dfOf(id);
    }
    const sectors = sourceSectors ?? inferSectors(this.a, q);
    const accept = (doc: number) => {
      const info = t.byDoc[doc];
      return !!info && info.status === 'open' && (!opts.sector || info.sectors.includes(opts.sector));
    };
    const { hits, self } = t.inv.search(query, Math.max(POOL, top), accept, undefined, undefined, idOf, qid);
    // What the query carries, unknown features in full: evidence the directory lacks is still asked for.
    let carried = 0;
    n = 0;
    for (const qw of query.values()) carried += qw * t.inv.idf(qdf[n++]!);
    const unit = this.weights.c * t.inv.idf(1);
    // Concepts, problem families, standards and lexicon words of the query that the index holds: what
    // `beyondLineage` weighs per suggestion.
    const named: Named[] = [];
    n = 0;
    for (const [f, qw] of query) {
      const i = n++;
      if (NAMED_KINDS.includes(f[0]!) && qdf[i]! > 0) named.push({ f, id: qid[i]!, qw, concept: f[0] === 'c' ? f.slice(2) : undefined, w: t.inv.weightOf(qid[i]!, qw) });
    }
    // Features few entries hold, with how specific each is: what `specificUnits` weighs per suggestion.
    const specific: Named[] = [];
    const live = t.byId.size;
    if (this.specific) for (const [f, qw] of query) {
      const d = df(f);
      const sp = d > 0 ? specificity(d, live) : 0;
      if (sp > 0) specific.push({ f, id: idOf(f), qw: qw * sp, concept: undefined, w: t.inv.weightOf(idOf(f), qw * sp) });
    }
    const scored = hits.map((h) => {
      const info = t.byDoc[h.doc]!;
      const bonus = sectors.some((s) => info.sectors.includes(s)) ? 1 + SECTOR_BONUS : 1;
      return { info, raw: h.raw * bonus, bonus, title: undefined as string | undefined, exact: false };
    });
    // Free text: an exact id, and fuzzy title/org matches, move up (fuse.js on the pool only).
    if (freeText) {
      const text = fields[0]!.text.trim();
      const exact = t.byId.get(text) ?? t.byId.get(text.toUpperCase());
      if (exact && accept(exact.doc) && !scored.some((s) => s.info === exact)) scored.push({ info: exact, raw: 0, bonus: 1, title: undefined, exact: true });
      if (text.length <= 32 && scored.length) {
        const fuse = new Fuse(scored, { keys: ['info.record.title', 'info.record.org'], includeScore: true, ignoreLocation: true, threshold: 0.35 });
        for (const r of fuse.search(text)) {
          r.item.raw += self * 0.5 * (1 - (r.score ?? 1));
          r.item.title = text;
        }
      }
      if (exact && accept(exact.doc)) {
        const e = scored.find((s) => s.info === exact)!;
        e.raw = Number.MAX_VALUE;
        e.exact = true;
      }
    }
    scored.sort((x, y) => y.raw - x.raw);
    this.probe?.({ query, carried, unit, self, pool: scored.map((s) => ({ doc: s.info.doc, raw: s.raw, bonus: s.bonus, id: s.info.record.id })), inv: t.inv, q });
    const out: Suggestion[] = [];
    // Scores never rise down the list: the rest of the evidence can make a lower-ranked pair look likelier.
    let ceiling = 1;
    for (const s of scored) {
      if (out.length >= top) break;
      const evidence: Evidence = {
        coverage: carried > 0 ? s.raw / carried : 0,
        units: unit > 0 ? s.raw / unit : 0,
        rest: unit > 0 ? (this.beyondLineage(t.inv, s.info.doc, named) * s.bonus) / unit : 0,
      };
      if (this.specific) evidence.specific = unit > 0 ? specificUnits(t.inv, s.info.doc, specific) / unit : 0;
      const score = s.exact ? 1 : Math.min(ceiling, probability(evidence));
      if (!s.exact) ceiling = score;
      if (score < (opts.minScore ?? this.minScore)) break;
      const reasons = opts.explain === false ? [] : this.reasons(q, fixed.map((f) => f.text), corrections, s.info, sectors, t, words, idOf);
      if (s.title) reasons.push({ kind: 'title', text: s.title });
      // A suggestion shown to a person carries a reason that person accepts; a shared sector alone is none.
      if (opts.explain !== false && !s.exact && !reasons.some((r) => r.kind !== 'sector')) continue;
      out.push({ type: target, id: s.info.record.id, record: s.info.record, score, reasons, evidence });
    }
    return out;
  }

  /**
   * BM25 a document gets from the named features (`named`: concepts, families, standards, lexicon words)
   * beyond the lineage of the strongest shared concept (that concept, its broader ones, its narrower ones).
   */
  private beyondLineage(inv: InvertedIndex, doc: number, named: readonly Named[]): number {
    const g = this.a.glossary;
    let rest = 0;
    let best = '';
    let bestV = 0;
    const concepts: [string, number][] = [];
    for (const { id: fid, w, concept: id } of named) {
      const v = inv.termScoreW(doc, fid, w);
      if (!(v > 0)) continue;
      if (id === undefined) {
        rest += v;
        continue;
      }
      concepts.push([id, v]);
      if (v > bestV) [best, bestV] = [id, v];
    }
    const up = g.ancestorsOf(best);
    for (const [id, v] of concepts) if (!(id === best || up.includes(id) || g.ancestorsOf(id).includes(best))) rest += v;
    return rest;
  }

  /** jieba (with the glossary as its dictionary) cuts shared Chinese text into readable words; loaded on first use. */
  private explainWords(run: string): string[] {
    return wordCutter(this.a.glossary)(run);
  }

  private reasons(q: Analysis, texts: string[], corrections: Correction[], info: DocInfo, sectors: SectorId[], t: TypeIndex, words: (run: string) => string[], idOf: (f: string) => number): Reason[] {
    return explain(this.explainInput(q, texts, corrections, info, sectors, t, words, idOf));
  }

  /** What explaining one suggestion reads (bench/explain-replay.ts captures these to replay explain() alone). */
  explainInput(q: Analysis, texts: string[], corrections: Correction[], info: DocInfo, sectors: SectorId[], t: TypeIndex, words: (run: string) => string[], idOf: (f: string) => number): ExplainInput {
    return {
      glossary: this.a.glossary,
      query: q,
      queryTexts: texts,
      corrections,
      target: keptSide(t.inv, info.doc, info.kept, idOf),
      querySectors: sectors,
      target_sectors: info.sectors,
      targetInferred: info.inferred,
      idf: (f) => t.inv.idf(t.inv.dfOf(idOf(f))),
      ...(this.a.bridge ? { bridge: this.a.bridge } : {}),
      words,
    };
  }
}

/** BM25 a document gets from the query's specific features, each weighted by its specificity (folded into `qw`). */
function specificUnits(inv: InvertedIndex, doc: number, specific: readonly Named[]): number {
  let v = 0;
  for (const { id, w } of specific) v += inv.termScoreW(doc, id, w);
  return v;
}

/** Chosen from the eval figures (docs/matching-history.md): see match/eval. */
export const DEFAULT_SEGMENTER: SegmenterName = 'none';

const cutters = new WeakMap<Glossary, Segment>();
function wordCutter(g: Glossary): Segment {
  let c = cutters.get(g);
  if (!c) cutters.set(g, (c = createSegmenter('jieba', g)));
  return c;
}

/**
 * Loads the shared data (glossary, problem lexicon, standards, stop terms, concept roles) now, at start-up: an interaction
 * that builds the first ranker must not spend seconds on it inside Discord's 3-second window. The word cutter
 * of explanations (jieba's dictionary, ~12 % of a start) is left to MatchService.warmUp, which the servers run
 * once started and the console once the first line is answered.
 */
export function warmUp(): void {
  for (const step of WARM_UP) step();
}

/** warmUp's steps (the bridge's lexicon alone takes ~0.3 s): a server yields between them and answers meanwhile. */
export const WARM_UP: readonly (() => void)[] = [() => void defaultGlossary(), () => void defaultBridge(defaultGlossary()), () => void (defaultStopTerms(), rolesOf(defaultGlossary()))];

export function createRanker(docs: Doc[], opts: EngineOptions = {}): Engine {
  return new Engine(docs, opts);
}

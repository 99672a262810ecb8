// What the index keeps per document, one class whatever made it (an in-thread build or upsert, or a snapshot
// load, the build worker's included): the query path (accept(), the re-rank, explanations) reads these from
// the same arrays, and two shapes there threw it out of optimised code after every load (bench/deopts.ts).
import type { EntryRecord, EntryStatus } from '../domain/entry.ts';
import type { SectorId } from '../domain/sectors.ts';
import type { Kept } from './kept.ts';

type KeptLine = [concepts: string[] | null, marks: string[] | null, methods: string | null, codes: string[] | null, bridgedOnly: number[] | null];

/** What explanations keep, as a snapshot stores it (one JSON line a document). */
export function keptText(k: Kept): string {
  const l: KeptLine = [k.concepts ?? null, k.marks ?? null, k.methods ? k.methods.map((m) => (m ? '1' : '0')).join('') : null, k.codes ?? null, k.bridgedOnly ? [...k.bridgedOnly] : null];
  return JSON.stringify(l);
}

function parseKept(s: string): Kept {
  const [concepts, marks, methods, codes, bridgedOnly] = JSON.parse(s) as KeptLine;
  const kept: Kept = {};
  if (concepts) kept.concepts = concepts;
  if (marks) {
    kept.marks = marks;
    kept.methods = [...(methods ?? '')].map((c) => c === '1');
  }
  if (codes) kept.codes = codes;
  if (bridgedOnly) kept.bridgedOnly = Int32Array.from(bridgedOnly);
  return kept;
}

const NO_BYTES = Buffer.alloc(0);

/**
 * A document. What explanations keep is either at hand (built here) or still encoded in a snapshot's buffer
 * until an explanation first asks for it (most loaded documents are never explained; parsing them all was
 * most of a load). Every field is set in the constructor, in one order, to the same kind of value.
 */
export class DocInfo {
  readonly doc: number;
  readonly record: EntryRecord;
  readonly status: EntryStatus;
  readonly sectors: SectorId[];
  readonly inferred: boolean;
  /** The key its analysis is stored under (removal reads it back: a snapshot's entry may have changed since). */
  readonly key: string | undefined;
  private parsed: Kept | undefined;
  private readonly src: Buffer;
  private readonly from: number;
  private readonly to: number;

  private constructor(doc: number, record: EntryRecord, status: EntryStatus, sectors: SectorId[], inferred: boolean, key: string | undefined, parsed: Kept | undefined, src: Buffer, from: number, to: number) {
    this.doc = doc;
    this.record = record;
    this.status = status;
    this.sectors = sectors;
    this.inferred = inferred;
    this.key = key;
    this.parsed = parsed;
    this.src = src;
    this.from = from;
    this.to = to;
  }

  /** Built here: what explanations keep, at hand. */
  static built(doc: number, record: EntryRecord, status: EntryStatus, sectors: SectorId[], inferred: boolean, key: string | undefined, kept: Kept): DocInfo {
    return new DocInfo(doc, record, status, sectors, inferred, key, kept, NO_BYTES, 0, 0);
  }

  /** Loaded: what explanations keep, bytes from…to of a snapshot's buffer (parsed when first asked for). */
  static loaded(doc: number, record: EntryRecord, status: EntryStatus, sectors: SectorId[], inferred: boolean, key: string | undefined, src: Buffer, from: number, to: number): DocInfo {
    return new DocInfo(doc, record, status, sectors, inferred, key, undefined, src, from, to);
  }

  /** What explaining it needs beyond the postings. */
  get kept(): Kept {
    return (this.parsed ??= parseKept(this.src.toString('utf8', this.from, this.to)));
  }

  /** The encoded form (a new snapshot copies it without parsing): its bytes while never parsed. */
  keptBytes(): string | Buffer {
    return this.parsed ? keptText(this.parsed) : this.src.subarray(this.from, this.to);
  }
}

import type { EntryRecord, EntryType, EntryStatus } from '../domain/entry.ts';
import type { SectorId } from '../domain/sectors.ts';
import type { Evidence } from './score.ts';
import type { Current, Restored, RestoreOptions, Snapshot } from './snapshot.ts';

/** What the engine indexes: a contract record plus its type and status. */
export interface Doc {
  type: EntryType;
  record: EntryRecord;
  status?: EntryStatus;
}

/** Why a suggestion matched; rendered in the user's language by the commands. */
export type Reason =
  /** `via`: the broader concept both sides fall under, when neither names it directly. */
  | { kind: 'concept'; concept: string; query: string; target: string; via?: { zh: string; en: string } }
  | { kind: 'typo'; from: string; to: string }
  /** A symptom one side writes and the method the other side names for it (problem lexicon), or a standard and its subject. */
  | { kind: 'bridge'; problem: string; method: string }
  | { kind: 'sector'; sectors: SectorId[]; inferred: boolean }
  | { kind: 'terms'; terms: string[] }
  | { kind: 'title'; text: string };

export interface Suggestion {
  type: EntryType;
  id: string;
  record: EntryRecord;
  /** 0..1; see README "Scores". */
  score: number;
  reasons: Reason[];
  /** What the score was computed from (for calibration and the eval). */
  evidence?: Evidence;
}

export interface MatchOptions {
  top?: number;
  sector?: SectorId;
  /** Suggestions under this score are dropped. */
  minScore?: number;
  /** Compute reasons (default true); rankings for machines skip them. */
  explain?: boolean;
}

export interface Ranker {
  /** Ranks entries of the other type for one indexed entry. */
  matchEntry(type: EntryType, id: string, opts?: MatchOptions): Suggestion[];
  /** Ranks entries of the given types for free text. */
  search(text: string, types: readonly EntryType[], opts?: MatchOptions): Suggestion[];
  /** Quick id/title/org lookup for autocomplete. */
  complete(type: EntryType, query: string, limit: number, status?: EntryStatus | 'all'): EntryRecord[];
  upsert(doc: Doc): void;
  remove(type: EntryType, id: string): void;
  /** Sectors the engine inferred for an entry that has none of its own. */
  inferredSectors(type: EntryType, id: string): SectorId[];
  /** The key an entry's analysis is stored under, for rankers that read stored analyses. */
  analysisKey?(record: EntryRecord): string | undefined;
  /** What a snapshot of it is keyed by (undefined: it takes none); see snapshot.ts. */
  readonly snapshotVersion?: string | undefined;
  snapshot?(): Promise<Snapshot | undefined>;
  /** Fills an empty ranker from a snapshot; throws when it is corrupt or does not fit. */
  restore?(snap: Snapshot, current: Current, opts?: RestoreOptions): Promise<Restored>;
  /** Asks some of its own entries as queries, a step at a time (a warm-up of the query path; Engine.rehearse). */
  rehearse?(count?: number): Iterable<void>;
  readonly size: number;
}

export const OTHER: Record<EntryType, EntryType> = { need: 'capability', capability: 'need' };

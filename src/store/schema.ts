// Tables and versioned migrations (in code, run at start by Kysely's Migrator). One schema for
// SQLite and PostgreSQL; the only dialect difference is how an auto-increment key is spelled.
import { Kysely, Migrator, sql, type Generated, type Migration, type MigrationProvider } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

export interface GuildsTable {
  guild_id: string;
  /** Next number of N-… and C-… ids: only ever grows, so ids are never reused. */
  next_need: number;
  next_capability: number;
  /** Bumped by every write of the guild, in commit order (the write holds this row's lock). */
  rev: number;
}

export interface EntriesTable {
  /** Insertion order (lists show entries in the order they were added). */
  row_id: Generated<number>;
  guild_id: string;
  type: 'need' | 'capability';
  id: string;
  /** The contract record minus id, as JSON. */
  fields: string;
  status: 'open' | 'closed' | 'matched';
  version: number;
  created_at: string;
  updated_at: string;
  created_by: string;
}

export interface AuditTable {
  seq: Generated<number>;
  guild_id: string;
  at: string;
  actor_id: string;
  actor_name: string;
  action: string;
  type: string | null;
  entry_id: string | null;
  /** The entry's version after this change (stale-edit messages list the changes after a version). */
  version: number | null;
  changes: string | null;
  summary: string | null;
}

export interface CuratorRolesTable {
  guild_id: string;
  role_id: string;
}

export interface WatchesTable {
  guild_id: string;
  user_id: string;
  type: 'need' | 'capability';
  entry_id: string;
  channel: string;
  locale: string;
  seen: string;
  created_at: string;
  /** channel (announce in the channel), dm, or digest (once a day, by DM). */
  delivery: Generated<string>;
  /** Digest watches: partner ids waiting for the next daily digest (JSON array). */
  pending: Generated<string>;
}

/** The change feed: one row per entry a write touched, at the guild's revision; entry_id null = reload all. */
export interface ChangesTable {
  guild_id: string;
  rev: number;
  type: string | null;
  entry_id: string | null;
}

/** Per-guild settings by key (office-channel, broker-role …); one row per key. */
export interface GuildSettingsTable {
  guild_id: string;
  key: string;
  value: string;
}

/** Who stands behind an entry: confirmed_by null = a member's claim waiting for a curator. */
export interface EntryContactsTable {
  guild_id: string;
  type: 'need' | 'capability';
  entry_id: string;
  user_id: string;
  added_by: string;
  confirmed_by: string | null;
  at: string;
}

/** The curator queue: a member's draft entry until a curator approves (→ entries) or rejects it. */
export interface SubmissionsTable {
  guild_id: string;
  seq: number;
  type: 'need' | 'capability';
  fields: string;
  submitted_by: string;
  locale: string;
  status: 'pending' | 'approved' | 'rejected';
  decided_by: string | null;
  reason: string | null;
  entry_id: string | null;
  created_at: string;
  decided_at: string | null;
}

/** An introduction (I-0001): the `Introduction` schema, history as JSON, moved by compare-and-set on stage. */
export interface IntroductionsTable {
  guild_id: string;
  seq: number;
  need_id: string;
  capability_id: string;
  requested_by: string;
  stage: string;
  history: string;
  thread_id: string | null;
  created_at: string;
  stage_changed_at: string;
  /** When the last idle-stage reminder was sent (null: none for this stage). */
  reminded_at: string | null;
}

/** Who the bot added to an introduction's thread: the source of truth for who may press its buttons. */
export interface IntroMembersTable {
  guild_id: string;
  intro_seq: number;
  user_id: string;
  added_at: string;
}

// feedback, freshness, carriers (issue 11, loop)
/** A posting's review date once renewed or reminded (none: its last change + the guild's review period). */
export interface PostingReviewTable {
  guild_id: string;
  type: 'need' | 'capability';
  entry_id: string;
  review_by: string;
  /** JSON array of the days-before reminders already sent (14, 3). */
  reminded: string;
}

export interface TargetsTable {
  guild_id: string;
  kind: string;
  /** '' = any level. */
  level: string;
  count: number;
}

/** One member's latest 👍 / 👎 on a suggested pair (entry → partner). */
export interface FeedbackTable {
  guild_id: string;
  entry_type: 'need' | 'capability';
  entry_id: string;
  partner_id: string;
  by_user: string;
  vote: 'up' | 'down';
  reason: string | null;
  note: string | null;
  at: string;
  source: 'suggestion' | 'introduction';
  /** JSON array of the evidence keys the pair was suggested on when it was rated (re-ranking learns from them). */
  features: string;
}

/** An entry's analysis by a hash of its text and of the analyser (src/match/analysis-cache.ts); shared by guilds. */
export interface AnalysisCacheTable {
  key: string;
  data: string;
}

/** A guild's index snapshot (src/match/snapshot.ts): which one is current, at what directory revision. */
export interface IndexSnapshotsTable {
  guild_id: string;
  /** The parts' snapshot id. */
  id: string;
  /** The engine's snapshot version (analyser hash and options): any other is never read. */
  analyser: string;
  rev: number;
  /** The snapshot's layout (JSON). */
  meta: string;
  created_at: string;
}

/** Its parts, one row each (a few MB). */
export interface IndexSnapshotPartsTable {
  guild_id: string;
  id: string;
  part: number;
  data: Buffer;
}

export interface DB {
  guilds: GuildsTable;
  entries: EntriesTable;
  audit: AuditTable;
  curator_roles: CuratorRolesTable;
  watches: WatchesTable;
  changes: ChangesTable;
  guild_settings: GuildSettingsTable;
  entry_contacts: EntryContactsTable;
  submissions: SubmissionsTable;
  introductions: IntroductionsTable;
  intro_members: IntroMembersTable;
  posting_review: PostingReviewTable;
  targets: TargetsTable;
  feedback: FeedbackTable;
  analysis_cache: AnalysisCacheTable;
  index_snapshots: IndexSnapshotsTable;
  index_snapshot_parts: IndexSnapshotPartsTable;
}

function migrations(dialect: Dialect): Record<string, Migration> {
  const serial = dialect === 'postgres' ? 'bigserial' : 'integer';
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    '0001-directory': {
      async up(db: Kysely<any>) {
        await db.schema.createTable('guilds')
          .addColumn('guild_id', 'text', (c) => c.primaryKey())
          .addColumn('next_need', bigint, (c) => c.notNull().defaultTo(1))
          .addColumn('next_capability', bigint, (c) => c.notNull().defaultTo(1))
          .addColumn('rev', bigint, (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema.createTable('entries')
          .addColumn('row_id', serial, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('guild_id', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('fields', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('version', bigint, (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addUniqueConstraint('entries_key', ['guild_id', 'type', 'id'])
          .execute();
        await db.schema.createTable('audit')
          .addColumn('seq', serial, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('guild_id', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor_id', 'text', (c) => c.notNull())
          .addColumn('actor_name', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('type', 'text')
          .addColumn('entry_id', 'text')
          .addColumn('version', bigint)
          .addColumn('changes', 'text')
          .addColumn('summary', 'text')
          .execute();
        await db.schema.createIndex('audit_guild').on('audit').columns(['guild_id', 'seq']).execute();
        await db.schema.createIndex('audit_entry').on('audit').columns(['guild_id', 'type', 'entry_id', 'version']).execute();
        await db.schema.createTable('curator_roles')
          .addColumn('guild_id', 'text', (c) => c.notNull())
          .addColumn('role_id', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('curator_roles_pk', ['guild_id', 'role_id'])
          .execute();
        await db.schema.createTable('watches')
          .addColumn('guild_id', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('entry_id', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('locale', 'text', (c) => c.notNull())
          .addColumn('seen', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('watches_pk', ['guild_id', 'user_id', 'type', 'entry_id'])
          .execute();
        await db.schema.createTable('changes')
          .addColumn('guild_id', 'text', (c) => c.notNull())
          .addColumn('rev', bigint, (c) => c.notNull())
          .addColumn('type', 'text')
          .addColumn('entry_id', 'text')
          .execute();
        await db.schema.createIndex('changes_guild_rev').on('changes').columns(['guild_id', 'rev']).execute();
      },
    },
    '0002-people-and-introductions': {
      async up(db: Kysely<any>) {
        await db.schema.createTable('guild_settings')
          .addColumn('guild_id', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('value', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('guild_settings_pk', ['guild_id', 'key'])
          .execute();
        await db.schema.createTable('entry_contacts')
          .addColumn('guild_id', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('entry_id', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('added_by', 'text', (c) => c.notNull())
          .addColumn('confirmed_by', 'text')
          .addColumn('at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('entry_contacts_pk', ['guild_id', 'type', 'entry_id', 'user_id'])
          .execute();
        await db.schema.createIndex('entry_contacts_user').on('entry_contacts').columns(['guild_id', 'user_id']).execute();
        await db.schema.createTable('submissions')
          .addColumn('guild_id', 'text', (c) => c.notNull())
          .addColumn('seq', bigint, (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('fields', 'text', (c) => c.notNull())
          .addColumn('submitted_by', 'text', (c) => c.notNull())
          .addColumn('locale', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('decided_by', 'text')
          .addColumn('reason', 'text')
          .addColumn('entry_id', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('decided_at', 'text')
          .addPrimaryKeyConstraint('submissions_pk', ['guild_id', 'seq'])
          .execute();
        await db.schema.createTable('introductions')
          .addColumn('guild_id', 'text', (c) => c.notNull())
          .addColumn('seq', bigint, (c) => c.notNull())
          .addColumn('need_id', 'text', (c) => c.notNull())
          .addColumn('capability_id', 'text', (c) => c.notNull())
          .addColumn('requested_by', 'text', (c) => c.notNull())
          .addColumn('stage', 'text', (c) => c.notNull())
          .addColumn('history', 'text', (c) => c.notNull())
          .addColumn('thread_id', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('stage_changed_at', 'text', (c) => c.notNull())
          .addColumn('reminded_at', 'text')
          .addPrimaryKeyConstraint('introductions_pk', ['guild_id', 'seq'])
          .execute();
        await db.schema.createIndex('introductions_stage').on('introductions').columns(['stage', 'stage_changed_at']).execute();
        await db.schema.createTable('intro_members')
          .addColumn('guild_id', 'text', (c) => c.notNull())
          .addColumn('intro_seq', bigint, (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('added_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('intro_members_pk', ['guild_id', 'intro_seq', 'user_id'])
          .execute();
      },
    },
    '0003-feedback-freshness-carriers': {
      async up(db: Kysely<any>) {
        await db.schema.createTable('posting_review')
          .addColumn('guild_id', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('entry_id', 'text', (c) => c.notNull())
          .addColumn('review_by', 'text', (c) => c.notNull())
          .addColumn('reminded', 'text', (c) => c.notNull().defaultTo('[]'))
          .addPrimaryKeyConstraint('posting_review_pk', ['guild_id', 'type', 'entry_id'])
          .execute();
        await db.schema.createTable('targets')
          .addColumn('guild_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('level', 'text', (c) => c.notNull())
          .addColumn('count', bigint, (c) => c.notNull())
          .addPrimaryKeyConstraint('targets_pk', ['guild_id', 'kind', 'level'])
          .execute();
        await db.schema.createTable('feedback')
          .addColumn('guild_id', 'text', (c) => c.notNull())
          .addColumn('entry_type', 'text', (c) => c.notNull())
          .addColumn('entry_id', 'text', (c) => c.notNull())
          .addColumn('partner_id', 'text', (c) => c.notNull())
          .addColumn('by_user', 'text', (c) => c.notNull())
          .addColumn('vote', 'text', (c) => c.notNull())
          .addColumn('reason', 'text')
          .addColumn('note', 'text')
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('features', 'text', (c) => c.notNull().defaultTo('[]'))
          .addPrimaryKeyConstraint('feedback_pk', ['guild_id', 'entry_type', 'entry_id', 'partner_id', 'by_user'])
          .execute();
        await db.schema.alterTable('watches').addColumn('delivery', 'text', (c) => c.notNull().defaultTo('channel')).execute();
        await db.schema.alterTable('watches').addColumn('pending', 'text', (c) => c.notNull().defaultTo('[]')).execute();
      },
    },
    // A guild's entries in insertion order, a page at a time (loading a big guild yields between pages).
    '0004-entries-by-guild': {
      async up(db: Kysely<any>) {
        await db.schema.createIndex('entries_guild_row').on('entries').columns(['guild_id', 'row_id']).execute();
      },
    },
    '0005-analysis-cache': {
      async up(db: Kysely<any>) {
        await db.schema.createTable('analysis_cache')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('data', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0006-index-snapshot': {
      async up(db: Kysely<any>) {
        await db.schema.createTable('index_snapshots')
          .addColumn('guild_id', 'text', (c) => c.primaryKey())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('analyser', 'text', (c) => c.notNull())
          .addColumn('rev', bigint, (c) => c.notNull())
          .addColumn('meta', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createTable('index_snapshot_parts')
          .addColumn('guild_id', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('part', 'integer', (c) => c.notNull())
          .addColumn('data', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
          .addPrimaryKeyConstraint('index_snapshot_parts_pk', ['guild_id', 'id', 'part'])
          .execute();
      },
    },
  };
}

/** Brings the schema to the latest version; safe to run from several processes at once. */
export async function migrate(db: Kysely<DB>, dialect: Dialect): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const migrator = new Migrator({ db, provider, migrationTableName: 'liaison_migrations', migrationLockTableName: 'liaison_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`store migration ${failed ?? ''} failed: ${(error as Error).message ?? String(error)}`);
  }
}

export { sql };

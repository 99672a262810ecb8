// People and introductions in the store: entry contacts, the submission queue, introductions and their
// thread members. Every write is one transaction with its audit row; stage moves are compare-and-set on
// the stored stage, so two presses of the same button cannot both move an introduction.
import type { Kysely, Selectable } from 'kysely';
import {
  INTRO_STAGES, Introduction, isRefusal, moveIntroduction, type IntroStage, type MoveRefusal,
} from '../domain/collaboration.ts';
import { fieldsSchema, type EntryFields, type EntryType, type StoredEntry } from '../domain/entry.ts';
import { UserError } from '../domain/errors.ts';
import { auditRow, type Actor, type GuildDirectory } from '../store/directory.ts';
import type { DB, IntroductionsTable, SubmissionsTable } from '../store/schema.ts';
import type { Store } from '../store/db.ts';

export interface Contact {
  type: EntryType;
  entryId: string;
  userId: string;
  addedBy: string;
  /** Undefined: a member's claim that no curator has confirmed yet. */
  confirmedBy?: string;
  at: string;
}

export const SUBMISSION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

export interface Submission {
  id: string;
  seq: number;
  type: EntryType;
  fields: EntryFields;
  submittedBy: string;
  locale: string;
  status: SubmissionStatus;
  decidedBy?: string;
  reason?: string;
  entryId?: string;
  createdAt: string;
}

export interface IntroRecord extends Introduction {
  seq: number;
  stageChangedAt: string;
  createdAt: string;
}

/** Rate limits on introduction requests (counted in the store, so every worker sees the same counts). */
export const INTRO_LIMITS = { openPerMember: 5, perGuildPerDay: 20 } as const;
/** A stage that sits still this long gets a reminder. */
export const IDLE_DAYS = 14;
const DAY = 86_400_000;

export const submissionId = (seq: number) => `S-${String(seq).padStart(4, '0')}`;
export const introId = (seq: number) => `I-${String(seq).padStart(4, '0')}`;

/** The number in S-0001 / I-0001 (any case, or the bare number); undefined when it is not one. */
export function parseSeq(prefix: 'S' | 'I', text: string): number | undefined {
  const m = new RegExp(`^(?:${prefix}-?)?0*(\\d{1,9})$`, 'i').exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

function toSubmission(r: Selectable<SubmissionsTable>): Submission {
  return {
    id: submissionId(Number(r.seq)), seq: Number(r.seq), type: r.type, fields: JSON.parse(r.fields) as EntryFields,
    submittedBy: r.submitted_by, locale: r.locale, status: r.status,
    ...(r.decided_by ? { decidedBy: r.decided_by } : {}), ...(r.reason ? { reason: r.reason } : {}),
    ...(r.entry_id ? { entryId: r.entry_id } : {}), createdAt: r.created_at,
  };
}

function toIntro(r: Selectable<IntroductionsTable>): IntroRecord {
  return {
    id: introId(Number(r.seq)), seq: Number(r.seq), needId: r.need_id, capabilityId: r.capability_id, requestedBy: r.requested_by,
    stage: r.stage as IntroStage, history: JSON.parse(r.history) as Introduction['history'],
    ...(r.thread_id ? { threadId: r.thread_id } : {}), stageChangedAt: r.stage_changed_at, createdAt: r.created_at,
  };
}

const OPEN_STAGES = INTRO_STAGES.filter((s) => s !== 'declined' && s !== 'closed' && s !== 'project-started');

/** A unique-key clash from two writers taking the same next number: the loser retries. */
const isConflict = (err: unknown) => /unique|duplicate key|constraint/i.test(String((err as Error)?.message ?? err));

async function withSeqRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= 5 || !isConflict(err)) throw err;
    }
  }
}

export class People {
  constructor(private readonly dir: GuildDirectory) {}

  private get store(): Store {
    return this.dir.store;
  }

  private get g(): string {
    return this.dir.guildId;
  }

  private now(): string {
    return this.dir.now().toISOString();
  }

  private audit(t: Kysely<DB>, actor: Actor, action: 'contact' | 'submission' | 'introduction', summary: string, entry?: { type: EntryType; id: string }) {
    return t.insertInto('audit').values(auditRow(this.g, this.now(), actor, action, { summary, ...(entry ?? {}) })).execute();
  }

  // ------------------------------------------------------------------ contacts

  async contacts(type: EntryType, entryId: string, opts: { confirmedOnly?: boolean } = {}): Promise<Contact[]> {
    let q = this.store.db.selectFrom('entry_contacts').selectAll().where('guild_id', '=', this.g).where('type', '=', type).where('entry_id', '=', entryId);
    if (opts.confirmedOnly) q = q.where('confirmed_by', 'is not', null);
    const rows = await q.orderBy('at').execute();
    return rows.map((r) => ({ type: r.type, entryId: r.entry_id, userId: r.user_id, addedBy: r.added_by, ...(r.confirmed_by ? { confirmedBy: r.confirmed_by } : {}), at: r.at }));
  }

  async contactsOf(userId: string): Promise<Contact[]> {
    const rows = await this.store.db.selectFrom('entry_contacts').selectAll().where('guild_id', '=', this.g).where('user_id', '=', userId).orderBy('at').execute();
    return rows.map((r) => ({ type: r.type, entryId: r.entry_id, userId: r.user_id, addedBy: r.added_by, ...(r.confirmed_by ? { confirmedBy: r.confirmed_by } : {}), at: r.at }));
  }

  async pendingClaims(): Promise<Contact[]> {
    const rows = await this.store.db.selectFrom('entry_contacts').selectAll().where('guild_id', '=', this.g).where('confirmed_by', 'is', null).orderBy('at').execute();
    return rows.map((r) => ({ type: r.type, entryId: r.entry_id, userId: r.user_id, addedBy: r.added_by, at: r.at }));
  }

  /** Whether the user is a confirmed contact of the entry. */
  async isContact(type: EntryType, entryId: string, userId: string): Promise<boolean> {
    return (await this.contacts(type, entryId, { confirmedOnly: true })).some((c) => c.userId === userId);
  }

  /** The statement that sets a contact; for use inside another transaction (an entry's add). */
  async putContact(t: Kysely<DB>, type: EntryType, entryId: string, userId: string, actor: Actor, confirmed: boolean): Promise<'added' | 'confirmed' | 'unchanged'> {
    const at = this.now();
    const before = await t.selectFrom('entry_contacts').select('confirmed_by').where('guild_id', '=', this.g).where('type', '=', type)
      .where('entry_id', '=', entryId).where('user_id', '=', userId).executeTakeFirst();
    if (before && (before.confirmed_by !== null || !confirmed)) return 'unchanged';
    if (before) {
      await t.updateTable('entry_contacts').set({ confirmed_by: actor.id }).where('guild_id', '=', this.g).where('type', '=', type)
        .where('entry_id', '=', entryId).where('user_id', '=', userId).execute();
    } else {
      await t.insertInto('entry_contacts').values({
        guild_id: this.g, type, entry_id: entryId, user_id: userId, added_by: actor.id, confirmed_by: confirmed ? actor.id : null, at,
      }).execute();
    }
    await this.audit(t, actor, 'contact', `${confirmed ? 'contact' : 'claim'} ${userId}`, { type, id: entryId });
    return before ? 'confirmed' : 'added';
  }

  /** The entry's owner as an edit form shows it: its first confirmed contact (undefined: none). */
  async owner(type: EntryType, entryId: string): Promise<string | undefined> {
    return (await this.contacts(type, entryId, { confirmedOnly: true }))[0]?.userId;
  }

  /**
   * The edit form's owner box: `userId` becomes a confirmed contact, only if the owner is still the one
   * the form showed (`shown`, undefined: none) — else the form is stale and nothing changes. Audited.
   */
  async setOwnerIf(type: EntryType, entryId: string, shown: string | undefined, userId: string, actor: Actor): Promise<'added' | 'confirmed' | 'unchanged'> {
    return this.store.tx(async (t) => {
      const first = await t.selectFrom('entry_contacts').select('user_id').where('guild_id', '=', this.g).where('type', '=', type)
        .where('entry_id', '=', entryId).where('confirmed_by', 'is not', null).orderBy('at').limit(1).executeTakeFirst();
      if (first?.user_id !== shown) throw new UserError('error.staleOwner', { id: entryId, user: first ? `<@${first.user_id}>` : '—' });
      return this.putContact(t, type, entryId, userId, actor, true);
    });
  }

  /** A curator sets (or confirms) a contact; a member's claim is stored unconfirmed. */
  async setContact(type: EntryType, entryId: string, userId: string, actor: Actor, confirmed: boolean): Promise<'added' | 'confirmed' | 'unchanged'> {
    return this.store.tx((t) => this.putContact(t, type, entryId, userId, actor, confirmed));
  }

  async removeContact(type: EntryType, entryId: string, userId: string, actor: Actor): Promise<boolean> {
    return this.store.tx(async (t) => {
      const r = await t.deleteFrom('entry_contacts').where('guild_id', '=', this.g).where('type', '=', type)
        .where('entry_id', '=', entryId).where('user_id', '=', userId).executeTakeFirst();
      const removed = Number(r.numDeletedRows) > 0;
      if (removed) await this.audit(t, actor, 'contact', `remove ${userId}`, { type, id: entryId });
      return removed;
    });
  }

  // ------------------------------------------------------------------ submissions

  async submit(type: EntryType, fields: EntryFields, actor: Actor, locale: string): Promise<Submission> {
    return withSeqRetry(() => this.store.tx(async (t) => {
      const max = await t.selectFrom('submissions').select((eb) => eb.fn.max('seq').as('m')).where('guild_id', '=', this.g).executeTakeFirst();
      const seq = Number(max?.m ?? 0) + 1;
      const at = this.now();
      await t.insertInto('submissions').values({
        guild_id: this.g, seq, type, fields: JSON.stringify(fields), submitted_by: actor.id, locale, status: 'pending',
        decided_by: null, reason: null, entry_id: null, created_at: at, decided_at: null,
      }).execute();
      await this.audit(t, actor, 'submission', `submit ${submissionId(seq)} ${type}: ${fields.title}`);
      return { id: submissionId(seq), seq, type, fields, submittedBy: actor.id, locale, status: 'pending' as const, createdAt: at };
    }));
  }

  async submission(seq: number): Promise<Submission | undefined> {
    const r = await this.store.db.selectFrom('submissions').selectAll().where('guild_id', '=', this.g).where('seq', '=', seq).executeTakeFirst();
    return r ? toSubmission(r) : undefined;
  }

  async submissions(opts: { status?: SubmissionStatus; by?: string } = {}): Promise<Submission[]> {
    let q = this.store.db.selectFrom('submissions').selectAll().where('guild_id', '=', this.g);
    if (opts.status) q = q.where('status', '=', opts.status);
    if (opts.by) q = q.where('submitted_by', '=', opts.by);
    return (await q.orderBy('seq').execute()).map(toSubmission);
  }

  /** A curator's edit of a pending draft (validated by the entry schema). */
  async editSubmission(seq: number, fields: EntryFields, actor: Actor): Promise<Submission> {
    return this.store.tx(async (t) => {
      const r = await t.updateTable('submissions').set({ fields: JSON.stringify(fields) })
        .where('guild_id', '=', this.g).where('seq', '=', seq).where('status', '=', 'pending').executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw await this.notPending(t, seq);
      await this.audit(t, actor, 'submission', `edit ${submissionId(seq)}`);
      return toSubmission((await t.selectFrom('submissions').selectAll().where('guild_id', '=', this.g).where('seq', '=', seq).executeTakeFirstOrThrow()));
    });
  }

  private async notPending(t: Kysely<DB>, seq: number): Promise<UserError> {
    const r = await t.selectFrom('submissions').select(['status']).where('guild_id', '=', this.g).where('seq', '=', seq).executeTakeFirst();
    return r ? new UserError('error.submissionDecided', { id: submissionId(seq), status: r.status }) : new UserError('error.submissionNotFound', { id: submissionId(seq) });
  }

  /**
   * Approves a pending submission: the entry is added to the directory, the submitter becomes its
   * contact and the submission is marked approved, all in one transaction (two curators: one wins).
   */
  async approve(seq: number, actor: Actor): Promise<{ submission: Submission; entry: StoredEntry }> {
    const s = await this.submission(seq);
    if (!s) throw new UserError('error.submissionNotFound', { id: submissionId(seq) });
    if (s.status !== 'pending') throw new UserError('error.submissionDecided', { id: s.id, status: s.status });
    const fields = fieldsSchema(s.type).parse(s.fields) as EntryFields;
    const entry = await this.dir.add(s.type, fields, actor, async (t, e) => {
      const r = await t.updateTable('submissions').set({ status: 'approved', decided_by: actor.id, decided_at: this.now(), entry_id: e.id })
        .where('guild_id', '=', this.g).where('seq', '=', seq).where('status', '=', 'pending').where('fields', '=', JSON.stringify(s.fields)).executeTakeFirst();
      // Decided or edited by someone else meanwhile: nothing of this approval is kept.
      if (Number(r.numUpdatedRows) === 0) throw await this.notPending(t, seq);
      await this.putContact(t, s.type, e.id, s.submittedBy, actor, true);
      await this.audit(t, actor, 'submission', `approve ${s.id} → ${e.id}`, { type: s.type, id: e.id });
    });
    return { submission: { ...s, status: 'approved', decidedBy: actor.id, entryId: entry.id }, entry };
  }

  async reject(seq: number, actor: Actor, reason: string | undefined): Promise<Submission> {
    return this.store.tx(async (t) => {
      const r = await t.updateTable('submissions').set({ status: 'rejected', decided_by: actor.id, decided_at: this.now(), reason: reason ?? null })
        .where('guild_id', '=', this.g).where('seq', '=', seq).where('status', '=', 'pending').executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw await this.notPending(t, seq);
      await this.audit(t, actor, 'submission', `reject ${submissionId(seq)}${reason ? `: ${reason}` : ''}`);
      return toSubmission((await t.selectFrom('submissions').selectAll().where('guild_id', '=', this.g).where('seq', '=', seq).executeTakeFirstOrThrow()));
    });
  }

  // ------------------------------------------------------------------ introductions

  async intro(seq: number): Promise<IntroRecord | undefined> {
    const r = await this.store.db.selectFrom('introductions').selectAll().where('guild_id', '=', this.g).where('seq', '=', seq).executeTakeFirst();
    return r ? toIntro(r) : undefined;
  }

  async requireIntro(seq: number): Promise<IntroRecord> {
    const i = await this.intro(seq);
    if (!i) throw new UserError('error.introNotFound', { id: introId(seq) });
    return i;
  }

  async intros(): Promise<IntroRecord[]> {
    const rows = await this.store.db.selectFrom('introductions').selectAll().where('guild_id', '=', this.g).orderBy('seq').execute();
    return rows.map(toIntro);
  }

  /** Creates an introduction at `requested`, unless a limit or an open one for the same pair stops it. */
  async request(needId: string, capabilityId: string, actor: Actor): Promise<IntroRecord> {
    return withSeqRetry(() => this.store.tx(async (t) => {
      const open = await t.selectFrom('introductions').select(['seq', 'requested_by', 'need_id', 'capability_id', 'stage', 'created_at'])
        .where('guild_id', '=', this.g).where('stage', 'in', OPEN_STAGES).execute();
      const same = open.find((r) => r.need_id === needId && r.capability_id === capabilityId);
      if (same) throw new UserError('error.introExists', { id: introId(Number(same.seq)), stage: same.stage });
      const mine = open.filter((r) => r.requested_by === actor.id && r.stage === 'requested').length;
      if (mine >= INTRO_LIMITS.openPerMember) throw new UserError('error.introTooMany', { max: INTRO_LIMITS.openPerMember });
      const since = new Date(this.dir.now().getTime() - DAY).toISOString();
      const today = await t.selectFrom('introductions').select((eb) => eb.fn.countAll().as('n')).where('guild_id', '=', this.g).where('created_at', '>', since).executeTakeFirst();
      if (Number(today?.n ?? 0) >= INTRO_LIMITS.perGuildPerDay) throw new UserError('error.introGuildLimit', { max: INTRO_LIMITS.perGuildPerDay });
      const max = await t.selectFrom('introductions').select((eb) => eb.fn.max('seq').as('m')).where('guild_id', '=', this.g).executeTakeFirst();
      const seq = Number(max?.m ?? 0) + 1;
      const at = this.now();
      const intro = Introduction.parse({
        id: introId(seq), needId, capabilityId, requestedBy: actor.id, stage: 'requested', history: [{ stage: 'requested', at, by: actor.id }],
      });
      await t.insertInto('introductions').values({
        guild_id: this.g, seq, need_id: needId, capability_id: capabilityId, requested_by: actor.id, stage: 'requested',
        history: JSON.stringify(intro.history), thread_id: null, created_at: at, stage_changed_at: at, reminded_at: null,
      }).execute();
      await this.audit(t, actor, 'introduction', `request ${intro.id}: ${needId} ↔ ${capabilityId}`);
      return { ...intro, seq, stageChangedAt: at, createdAt: at };
    }));
  }

  /**
   * Moves an introduction (the domain decides if it may); compare-and-set on the stage it was read
   * at, so of two presses one moves it and the other is told it already moved.
   */
  async move(seq: number, to: IntroStage, actor: Actor, reason?: string, opts: { threadId?: string; members?: string[] } = {}): Promise<IntroRecord> {
    return this.store.tx(async (t) => {
      const row = await t.selectFrom('introductions').selectAll().where('guild_id', '=', this.g).where('seq', '=', seq).executeTakeFirst();
      if (!row) throw new UserError('error.introNotFound', { id: introId(seq) });
      const before = toIntro(row);
      const moved: Introduction | MoveRefusal = moveIntroduction(before, to, actor.id, this.dir.now(), reason);
      if (isRefusal(moved)) {
        throw moved.refused === 'stage'
          ? new UserError('error.introStage', { id: before.id, from: moved.from, to: moved.to })
          : new UserError('error.introReason', { list: moved.allowed.join(', ') });
      }
      const at = this.now();
      const r = await t.updateTable('introductions')
        .set({ stage: to, history: JSON.stringify(moved.history), stage_changed_at: at, reminded_at: null, ...(opts.threadId ? { thread_id: opts.threadId } : {}) })
        .where('guild_id', '=', this.g).where('seq', '=', seq).where('stage', '=', before.stage).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw new UserError('error.introMoved', { id: before.id });
      for (const user of opts.members ?? []) {
        await t.insertInto('intro_members').values({ guild_id: this.g, intro_seq: seq, user_id: user, added_at: at })
          .onConflict((oc) => oc.columns(['guild_id', 'intro_seq', 'user_id']).doNothing()).execute();
      }
      await this.audit(t, actor, 'introduction', `${before.id} ${before.stage} → ${to}${reason ? ` (${reason})` : ''}`);
      return { ...moved, seq, stageChangedAt: at, createdAt: before.createdAt, ...(opts.threadId ? { threadId: opts.threadId } : {}) };
    });
  }

  /** Records the thread and who the bot added to it (after Discord created it). */
  async setThread(seq: number, threadId: string, members: readonly string[], actor: Actor): Promise<void> {
    await this.store.tx(async (t) => {
      const at = this.now();
      await t.updateTable('introductions').set({ thread_id: threadId }).where('guild_id', '=', this.g).where('seq', '=', seq).execute();
      for (const user of members) {
        await t.insertInto('intro_members').values({ guild_id: this.g, intro_seq: seq, user_id: user, added_at: at })
          .onConflict((oc) => oc.columns(['guild_id', 'intro_seq', 'user_id']).doNothing()).execute();
      }
      await this.audit(t, actor, 'introduction', `${introId(seq)} thread ${threadId}: ${members.join(', ')}`);
    });
  }

  async members(seq: number): Promise<string[]> {
    const rows = await this.store.db.selectFrom('intro_members').select('user_id').where('guild_id', '=', this.g).where('intro_seq', '=', seq).orderBy('added_at').execute();
    return rows.map((r) => r.user_id);
  }

  /** Introductions as the report's `computeFigures` takes them (the domain record, nothing more). */
  async reportIntroductions(): Promise<Introduction[]> {
    return (await this.intros()).map(({ seq: _s, stageChangedAt: _c, createdAt: _a, ...intro }) => intro);
  }

  /** Introductions a user is part of: requested, a contact of either side, or added to the thread. */
  async introsOf(userId: string): Promise<IntroRecord[]> {
    const mine = new Set((await this.contactsOf(userId)).filter((c) => c.confirmedBy).map((c) => `${c.type}:${c.entryId}`));
    const member = new Set((await this.store.db.selectFrom('intro_members').select('intro_seq').where('guild_id', '=', this.g).where('user_id', '=', userId).execute()).map((r) => Number(r.intro_seq)));
    return (await this.intros()).filter((i) => i.requestedBy === userId || member.has(i.seq) || mine.has(`need:${i.needId}`) || mine.has(`capability:${i.capabilityId}`));
  }
}

/** Introductions (any guild) whose open stage has sat still `days` and got no reminder for it yet. */
export async function idleIntroductions(store: Store, now: Date, days = IDLE_DAYS): Promise<(IntroRecord & { guildId: string })[]> {
  const before = new Date(now.getTime() - days * DAY).toISOString();
  const rows = await store.db.selectFrom('introductions').selectAll()
    .where('stage', 'in', OPEN_STAGES).where('stage_changed_at', '<=', before).where('reminded_at', 'is', null).orderBy('seq').limit(500).execute();
  return rows.map((r) => ({ ...toIntro(r), guildId: r.guild_id }));
}

/** Claims the reminder for the stage as it is (compare-and-set): true for the one worker that sends it. */
export async function claimReminder(store: Store, guildId: string, intro: IntroRecord, now: Date): Promise<boolean> {
  const r = await store.tx(async (t) => {
    const u = await t.updateTable('introductions').set({ reminded_at: now.toISOString() })
      .where('guild_id', '=', guildId).where('seq', '=', intro.seq).where('stage_changed_at', '=', intro.stageChangedAt).where('reminded_at', 'is', null).executeTakeFirst();
    if (Number(u.numUpdatedRows) > 0) {
      await t.insertInto('audit').values(auditRow(guildId, now.toISOString(), { id: 'system', name: 'reminder' }, 'introduction', { summary: `${intro.id} reminder (${intro.stage})` })).execute();
    }
    return u;
  });
  return Number(r.numUpdatedRows) > 0;
}

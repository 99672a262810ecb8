// Who stands behind entries, the submission queue and introductions in a backup (the `people` block of
// a guild; absent in older backups, whose restore leaves these records alone).
import type { Kysely } from 'kysely';
import * as z from 'zod';
import { IntroStage } from '../domain/collaboration.ts';
import { ENTRY_TYPES } from '../domain/entry.ts';
import type { DB } from '../store/schema.ts';
import { SUBMISSION_STATUSES } from './records.ts';

const Type = z.enum(ENTRY_TYPES);
const text = z.string().min(1);
const maybe = z.string().nullable();

export const PeopleBackup = z.strictObject({
  contacts: z.array(z.strictObject({ type: Type, entryId: text, userId: text, addedBy: text, confirmedBy: maybe, at: text })),
  submissions: z.array(z.strictObject({
    seq: z.int().positive(), type: Type, fields: text, submittedBy: text, locale: text, status: z.enum(SUBMISSION_STATUSES),
    decidedBy: maybe, reason: maybe, entryId: maybe, createdAt: text, decidedAt: maybe,
  })),
  introductions: z.array(z.strictObject({
    seq: z.int().positive(), needId: text, capabilityId: text, requestedBy: text, stage: IntroStage, history: text,
    threadId: maybe, createdAt: text, stageChangedAt: text, remindedAt: maybe,
  })),
  threadMembers: z.array(z.strictObject({ intro: z.int().positive(), userId: text, addedAt: text })),
});
export type PeopleBackup = z.infer<typeof PeopleBackup>;

export async function backupPeople(t: Kysely<DB>, guild: string): Promise<PeopleBackup> {
  const contacts = await t.selectFrom('entry_contacts').selectAll().where('guild_id', '=', guild).orderBy('at').orderBy('entry_id').orderBy('user_id').execute();
  const submissions = await t.selectFrom('submissions').selectAll().where('guild_id', '=', guild).orderBy('seq').execute();
  const intros = await t.selectFrom('introductions').selectAll().where('guild_id', '=', guild).orderBy('seq').execute();
  const members = await t.selectFrom('intro_members').selectAll().where('guild_id', '=', guild).orderBy('intro_seq').orderBy('added_at').execute();
  return {
    contacts: contacts.map((c) => ({ type: c.type, entryId: c.entry_id, userId: c.user_id, addedBy: c.added_by, confirmedBy: c.confirmed_by, at: c.at })),
    submissions: submissions.map((s) => ({
      seq: Number(s.seq), type: s.type, fields: s.fields, submittedBy: s.submitted_by, locale: s.locale, status: s.status,
      decidedBy: s.decided_by, reason: s.reason, entryId: s.entry_id, createdAt: s.created_at, decidedAt: s.decided_at,
    })),
    introductions: intros.map((i) => ({
      seq: Number(i.seq), needId: i.need_id, capabilityId: i.capability_id, requestedBy: i.requested_by, stage: i.stage as IntroStage,
      history: i.history, threadId: i.thread_id, createdAt: i.created_at, stageChangedAt: i.stage_changed_at, remindedAt: i.reminded_at,
    })),
    threadMembers: members.map((m) => ({ intro: Number(m.intro_seq), userId: m.user_id, addedAt: m.added_at })),
  };
}

/** Makes the guild's people records equal to the backup's (inside the restore's transaction). */
export async function restorePeople(t: Kysely<DB>, guild: string, p: PeopleBackup): Promise<void> {
  for (const table of ['entry_contacts', 'submissions', 'introductions', 'intro_members'] as const) await t.deleteFrom(table).where('guild_id', '=', guild).execute();
  for (const c of p.contacts) {
    await t.insertInto('entry_contacts').values({ guild_id: guild, type: c.type, entry_id: c.entryId, user_id: c.userId, added_by: c.addedBy, confirmed_by: c.confirmedBy, at: c.at })
      .onConflict((oc) => oc.doNothing()).execute();
  }
  for (const s of p.submissions) {
    await t.insertInto('submissions').values({
      guild_id: guild, seq: s.seq, type: s.type, fields: s.fields, submitted_by: s.submittedBy, locale: s.locale, status: s.status,
      decided_by: s.decidedBy, reason: s.reason, entry_id: s.entryId, created_at: s.createdAt, decided_at: s.decidedAt,
    }).onConflict((oc) => oc.doNothing()).execute();
  }
  for (const i of p.introductions) {
    await t.insertInto('introductions').values({
      guild_id: guild, seq: i.seq, need_id: i.needId, capability_id: i.capabilityId, requested_by: i.requestedBy, stage: i.stage, history: i.history,
      thread_id: i.threadId, created_at: i.createdAt, stage_changed_at: i.stageChangedAt, reminded_at: i.remindedAt,
    }).onConflict((oc) => oc.doNothing()).execute();
  }
  for (const m of p.threadMembers) {
    await t.insertInto('intro_members').values({ guild_id: guild, intro_seq: m.intro, user_id: m.userId, added_at: m.addedAt }).onConflict((oc) => oc.doNothing()).execute();
  }
}

// /need and /capability share everything but their type: one factory, two thin command files.
import { ButtonStyle } from 'discord-api-types/v10';
import { normalize } from '../match/normalize.ts';
import {
  CAPABILITY_KINDS, CARRIER_LEVELS, fieldsSchema, type EntryRecord, type EntryFields, type EntryStatus, type EntryType, type StoredEntry,
} from '../domain/entry.ts';
import { issueMessage } from '../domain/dataset.ts';
import { UserError } from '../domain/errors.ts';
import type { MessageKey } from '../i18n/index.ts';
import { FIELD_LIMITS } from '../domain/limits.ts';
import type { CommandCtx, CommandModule, ComponentCtx, Ctx, ModalCtx } from '../interactions/command.ts';
import { command, describe, idOption, str, sub, choice, sectorOption } from '../interactions/builders.ts';
import { SlashCommandUserOption } from '@discordjs/builders';
import { People } from '../intro/records.ts';
import { button, choices, message, modal, row, update, type Reply } from '../interactions/reply.ts';
import { entryEmbed, entryLine, sectorList, COLORS } from './format.ts';
import { pageButtons, parsePageArgs, slicePage } from './pages.ts';
import { parseKind, parseLevel, parseSectors, splitList } from './parse.ts';
import { renewPosting } from '../freshness/review.ts';
import { postingOwners } from '../freshness/owners.ts';
import { matchReply } from './results.ts';
import { idChoices, showEntry } from './entry-view.ts';
import { resolveEntry } from './resolve.ts';

const LIST_PAGE = 10;


export function fieldOptions(type: EntryType, b: ReturnType<typeof sub>, required: boolean, owner = true) {
  b.addStringOption(str('title', 'cmd.opt.title', required, FIELD_LIMITS.title))
    .addStringOption(str('org', 'cmd.opt.org', required, FIELD_LIMITS.org))
    .addStringOption(str('description', 'cmd.opt.description', required, FIELD_LIMITS.description))
    .addStringOption(str('sectors', 'cmd.opt.sectors'))
    .addStringOption(str('keywords', 'cmd.opt.keywords'))
    .addStringOption(str('region', 'cmd.opt.region', false, FIELD_LIMITS.region))
    .addStringOption(str('contact', 'cmd.opt.contact', false, FIELD_LIMITS.contact));
  if (type === 'capability') {
    b.addStringOption(str('kind', 'cmd.opt.kind').addChoices(...CAPABILITY_KINDS.map((k) => choice(`kind.${k}`, k))));
    b.addStringOption(str('level', 'cmd.opt.level').addChoices(...CARRIER_LEVELS.map((l) => choice(`level.${l}`, l))));
  }
  // introductions: the member who stands behind the entry (its contact)
  if (owner) b.addUserOption(describe(new SlashCommandUserOption().setName('owner'), 'cmd.opt.owner'));
  return b;
}

export function definition(type: EntryType) {
  const name = type;
  return command(name, type === 'need' ? 'cmd.need' : 'cmd.capability')
    .addSubcommand(sub('show', 'cmd.entry.show').addStringOption(idOption()))
    .addSubcommand(
      sub('list', 'cmd.entry.list')
        .addStringOption(sectorOption())
        .addStringOption(str('status', 'cmd.opt.status').addChoices(
          choice('choice.status.open', 'open'), choice('choice.status.closed', 'closed'), choice('choice.status.matched', 'matched'), choice('choice.status.all', 'all'),
        )),
    )
    .addSubcommand(fieldOptions(type, sub('add', 'cmd.entry.add'), false))
    .addSubcommand(fieldOptions(type, sub('edit', 'cmd.entry.edit').addStringOption(idOption()), false))
    .addSubcommand(sub('remove', 'cmd.entry.remove').addStringOption(idOption()))
    .addSubcommand(sub('close', 'cmd.entry.close').addStringOption(idOption()))
    .addSubcommand(sub('reopen', 'cmd.entry.reopen').addStringOption(idOption()))
    .addSubcommand(sub('renew', 'cmd.entry.renew').addStringOption(idOption()));
}

/** Validates fields with the domain schema; the error lists each bad field. */
export function validFields(ctx: Ctx, type: EntryType, raw: Record<string, unknown>): EntryFields {
  const clean = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));
  const result = fieldsSchema(type).safeParse(clean);
  if (result.success) return result.data;
  const sep = ctx.locale === 'zh-CN' ? '：' : ': ';
  const where = (path: readonly PropertyKey[]) => {
    const label = FIELD_LABELS[String(path[0])];
    return path.length === 0 ? ctx.t('problem.entry') : label && path.length === 1 ? ctx.t(label) : path.map(String).join('.');
  };
  throw new UserError('error.invalidEntry', {}, result.error.issues.map((i) => `${where(i.path)}${sep}${issueMessage(i, clean, ctx.locale)}`));
}

const FIELD_LABELS: Record<string, MessageKey> = {
  title: 'label.title', org: 'label.org', description: 'label.description', sectors: 'label.sectors', keywords: 'label.keywords',
  region: 'label.region', contact: 'label.contact', kind: 'label.kind', level: 'label.level',
};

export function optionFields(ctx: CommandCtx, type: EntryType): Record<string, unknown> {
  const o = ctx.options;
  const out: Record<string, unknown> = {
    title: o.string('title'), org: o.string('org'), description: o.string('description'),
    sectors: o.has('sectors') ? parseSectors(o.string('sectors')) : undefined,
    keywords: o.has('keywords') ? splitList(o.string('keywords')) : undefined,
    region: o.string('region'), contact: o.string('contact'),
  };
  if (type === 'capability') {
    out.kind = parseKind(o.string('kind'));
    out.level = parseLevel(o.string('level'));
  }
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

/**
 * The entry form. Discord allows five boxes: a curator's edit form (opts.owner set: '' for none) trades the
 * keywords box for the owner box (keywords stay editable with the `keywords:` option and are kept as they are).
 */
export function entryModal(ctx: Ctx, type: EntryType, customId: string, title: string, e?: Partial<EntryFields>, opts: { owner?: string } = {}): Reply {
  const last = opts.owner !== undefined
    ? { id: 'owner', label: ctx.t('label.owner'), value: opts.owner ? `<@${opts.owner}>` : undefined, maxLength: OWNER_MAX, placeholder: ctx.t('modal.placeholder.owner') }
    : { id: 'keywords', label: ctx.t('label.keywords'), value: e?.keywords?.join(', '), placeholder: ctx.t(type === 'need' ? 'modal.placeholder.needKeywords' : 'modal.placeholder.capabilityKeywords') };
  return modal(customId, title, [
    { id: 'title', label: ctx.t('label.title'), value: e?.title, required: true, maxLength: FIELD_LIMITS.title },
    { id: 'org', label: ctx.t('label.org'), value: e?.org, required: true, maxLength: FIELD_LIMITS.org },
    { id: 'description', label: ctx.t('label.description'), value: e?.description, paragraph: true, required: true, maxLength: FIELD_LIMITS.description },
    { id: 'sectors', label: ctx.t('label.sectors'), value: e?.sectors?.join(', '), placeholder: ctx.t('modal.placeholder.sectors') },
    last,
  ]);
}

/** A mention or id is at most `<@!` + 20 digits + `>`. */
const OWNER_MAX = 24;

/** The owner box: a Discord user id or mention; empty → undefined (contacts as they are). */
export function parseOwner(raw: string | undefined): string | undefined {
  const v = raw?.trim() ?? '';
  if (!v) return undefined;
  const m = /^(?:<@!?(\d{17,20})>|(\d{17,20}))$/.exec(v);
  if (!m) throw new UserError('error.invalidOwner', { value: v });
  return m[1] ?? m[2];
}

/** Entries whose title is nearly the same (character pairs), or alike and from the same organisation. */
export function similarEntries(candidates: readonly EntryRecord[], e: EntryRecord): EntryRecord[] {
  const pairs = (t: string) => {
    const n = normalize(t).replace(/\s+/g, '');
    const out = new Set<string>();
    for (let i = 0; i + 1 < n.length; i++) out.add(n.slice(i, i + 2));
    return out;
  };
  const mine = pairs(e.title);
  return candidates.filter((c) => {
    if (c.id === e.id) return false;
    const theirs = pairs(c.title);
    let shared = 0;
    for (const p of mine) if (theirs.has(p)) shared++;
    const dice = (2 * shared) / Math.max(1, mine.size + theirs.size);
    return dice >= 0.75 || (dice >= 0.5 && normalize(c.org).trim() === normalize(e.org).trim());
  }).slice(0, 3);
}

async function listPage(ctx: Ctx, type: EntryType, owner: string, page: number, status: EntryStatus | 'all', sector: string, asUpdate: boolean): Promise<Reply> {
  const ranker = await ctx.services.matcher.forGuild(ctx.dir);
  const inferred = (e: StoredEntry) => ranker.inferredSectors(type, e.id);
  let entries = await ctx.dir.list(type, { status });
  // Inferred sectors count too, as they do in /sectors.
  if (sector !== '-') entries = entries.filter((e) => (e.sectors?.length ? e.sectors : inferred(e)).includes(sector as never));
  const slice = slicePage(entries, page, LIST_PAGE);
  // The status comes from a button or an option: anything unknown reads as it lists (nothing open).
  const statusLabel = ctx.t(`choice.status.${(['open', 'closed', 'matched', 'all'] as const).find((k) => k === status) ?? 'closed'}`);
  const embed = {
    title: ctx.t(type === 'need' ? 'list.title.need' : 'list.title.capability', { status: statusLabel }),
    description: slice.items.length
      ? slice.items.map((e) => `${entryLine(e)}\n　${sectorList(e.sectors, ctx.locale, ctx.t, inferred(e))}`).join('\n')
      : ctx.t('list.empty'),
    color: COLORS[type],
    footer: { text: ctx.t('label.page', { page: slice.page, pages: slice.pages, count: entries.length }) },
  };
  const spec = { embeds: [embed], components: pageButtons(type, owner, slice.page, slice.pages, [status, sector], ctx.t) };
  return asUpdate ? update(spec) : message(spec);
}

export function entryCommand(type: EntryType): CommandModule {
  const data = definition(type);

  async function execute(ctx: CommandCtx): Promise<Reply> {
    const o = ctx.options;
    switch (o.subcommand) {
      case 'show':
        return showEntry(ctx, type, await resolveEntry(ctx, type, o.requiredString('id')));
      case 'list': {
        const status = (o.string('status') ?? 'open') as EntryStatus | 'all';
        return listPage(ctx, type, ctx.user.id, 1, status, o.string('sector') ?? '-', false);
      }
      case 'add': {
        await ctx.requireCurator();
        const fields = optionFields(ctx, type);
        const owner = o.user('owner');
        if (!fields.title || !fields.org || !fields.description) {
          return entryModal(ctx, type, `${type}:add${owner ? `:${owner}` : ''}`, ctx.t(type === 'need' ? 'modal.add.need' : 'modal.add.capability'), fields as Partial<StoredEntry>);
        }
        const e = await addWithOwner(ctx, type, validFields(ctx, type, fields), owner);
        return showWith(ctx, type, e, 'entry.added');
      }
      case 'edit': {
        await ctx.requireCurator();
        const before = await resolveEntry(ctx, type, o.requiredString('id'));
        const patch = optionFields(ctx, type);
        const owner = o.user('owner');
        if (owner) {
          await new People(ctx.dir).setContact(type, before.id, owner, ctx.user, true);
          if (Object.keys(patch).length === 0) return message({ content: ctx.t('contact.set', { user: `<@${owner}>`, id: before.id }), ephemeral: true });
        }
        if (Object.keys(patch).length === 0) {
          // The owner shown rides in the custom id: a save after someone else changed it is refused.
          const shown = await new People(ctx.dir).owner(type, before.id);
          return entryModal(ctx, type, `${type}:edit:${before.id}:${before.version ?? ''}${shown ? `:${shown}` : ''}`, ctx.t('modal.edit', { id: before.id }), before, { owner: shown ?? '' });
        }
        return saveEdit(ctx, type, before, patch);
      }
      case 'remove': {
        await ctx.requireCurator();
        // Removing cannot be undone by a click: ask first, with the undo path in the answer.
        const e = await resolveEntry(ctx, type, o.requiredString('id'));
        return message({
          content: `⚠️ ${ctx.t('entry.confirmRemove', { id: e.id, title: e.title })}`,
          components: [row(
            button(`${type}:remove:${e.id}:${ctx.user.id}`, ctx.t('label.confirmRemove', { id: e.id }), { style: ButtonStyle.Danger }),
            button(`${type}:keep:${e.id}:${ctx.user.id}`, ctx.t('label.cancel'), { style: ButtonStyle.Secondary }),
          )],
          ephemeral: true,
        });
      }
      case 'close':
      case 'reopen': {
        await ctx.requireCurator();
        const closing = o.subcommand === 'close';
        const target = await resolveEntry(ctx, type, o.requiredString('id'));
        const e = await ctx.dir.setStatus(type, target.id, closing ? 'closed' : 'open', ctx.user);
        return message({ content: `✅ ${ctx.t(closing ? 'entry.closed' : 'entry.reopened', { id: e.id, title: e.title })}`, ephemeral: true });
      }
      case 'renew': {
        const target = await resolveEntry(ctx, type, o.requiredString('id'));
        if (!(await postingOwners(ctx.dir, type, target)).includes(ctx.user.id) && !(await ctx.isCurator())) throw new UserError('renew.denied', { id: target.id });
        const review = await renewPosting(ctx.dir, type, target.id, ctx.user, new Date());
        return message({ content: `✅ ${ctx.t('renew.done', { id: target.id, title: target.title, date: review.reviewBy })}`, ephemeral: true });
      }
      default:
        throw new UserError('error.unknownCommand', { name: `${type} ${o.subcommand ?? ''}` });
    }
  }

  async function autocomplete(ctx: CommandCtx): Promise<Reply> {
    const focused = ctx.options.focused();
    if (!focused) return choices([]);
    const sc = ctx.options.subcommand;
    const status = sc === 'reopen' ? 'closed' : sc === 'close' || sc === 'renew' ? 'open' : 'all';
    return idChoices(ctx, type, focused.value, status);
  }

  async function component(ctx: ComponentCtx): Promise<Reply> {
    if (ctx.args[0] === 'remove' || ctx.args[0] === 'keep') {
      const [, id = '', owner] = ctx.args;
      if (owner !== ctx.user.id) return message({ content: ctx.t('confirm.notYours'), ephemeral: true });
      if (ctx.args[0] === 'keep') return update({ content: ctx.t('entry.removeCancelled', { id }), components: [] });
      await ctx.requireCurator();
      const e = await ctx.dir.remove(type, id, ctx.user);
      return update({ content: `🗑️ ${ctx.t('entry.removed', { id: e.id, title: e.title })}`, components: [] });
    }
    if (ctx.args[0] === 'match') {
      const e = await ctx.dir.require(type, ctx.args[1] ?? '');
      return matchReply(ctx, { mode: type, id: e.id }, { owner: ctx.user.id, page: 1, sector: '-', top: 10 }, false);
    }
    const p = parsePageArgs(ctx.args);
    if (!p) throw new UserError('error.pageExpired');
    if (p.owner !== ctx.user.id) return message({ content: ctx.t('page.notYours'), ephemeral: true });
    const [status = 'open', sector = '-'] = p.state;
    return listPage(ctx, type, p.owner, p.page, status as EntryStatus | 'all', sector, true);
  }

  async function modalSubmit(ctx: ModalCtx): Promise<Reply> {
    await ctx.requireCurator();
    const raw = formFields(ctx.fields);
    if (ctx.args[0] === 'add') {
      const owner = ctx.args[1] && /^\d{17,20}$/.test(ctx.args[1]) ? ctx.args[1] : undefined;
      const e = await addWithOwner(ctx, type, validFields(ctx, type, raw), owner);
      return showWith(ctx, type, e, 'entry.added');
    }
    if (ctx.args[0] === 'edit' && ctx.args[1]) {
      const before = await ctx.dir.require(type, ctx.args[1]);
      // The version the form was opened at (in its custom id): a save over someone else's change is refused.
      const version = ctx.args[2] ? Number(ctx.args[2]) : undefined;
      // An emptied sectors (or keywords, in a form that has the box) clears them; a form with the owner box keeps keywords.
      const patch: Record<string, unknown> = { ...raw, sectors: raw.sectors.length ? raw.sectors : undefined, keywords: raw.keywords.length ? raw.keywords : undefined };
      if (!ctx.fields.has('keywords')) delete patch.keywords;
      const owner = ctx.fields.has('owner') ? { to: parseOwner(ctx.fields.get('owner')), shown: ctx.args[3] || undefined } : undefined;
      return saveEdit(ctx, type, before, patch, true, version, owner);
    }
    throw new UserError('error.pageExpired');
  }

  return { data, execute, autocomplete, component, modal: modalSubmit };
}

/** The five fields of an entry form, as submitted. */
export function formFields(f: Map<string, string>) {
  return {
    title: f.get('title')?.trim(), org: f.get('org')?.trim(), description: f.get('description')?.trim(),
    sectors: parseSectors(f.get('sectors')), keywords: splitList(f.get('keywords')),
  };
}

/** Adds the entry and, when given, its contact in the same transaction. */
function addWithOwner(ctx: Ctx, type: EntryType, fields: EntryFields, owner: string | undefined): Promise<StoredEntry> {
  const people = new People(ctx.dir);
  return ctx.dir.add(type, fields, ctx.user, owner ? async (t, e) => void (await people.putContact(t, type, e.id, owner, ctx.user, true)) : undefined);
}

/** owner: the edit form's owner box (to: the user typed, undefined if empty; shown: the owner the form showed). */
async function saveEdit(ctx: Ctx, type: EntryType, before: StoredEntry, patch: Record<string, unknown>, clearMissing = false, version = before.version, owner?: { to: string | undefined; shown: string | undefined }): Promise<Reply> {
  const { id: _id, status: _s, createdAt: _c, updatedAt: _u, createdBy: _b, version: _v, ...current } = before;
  const merged = { ...current, ...patch };
  if (clearMissing) for (const k of ['sectors', 'keywords'] as const) if (k in patch && patch[k] === undefined) delete (merged as Record<string, unknown>)[k];
  const fields = validFields(ctx, type, merged);
  const full: Record<string, unknown> = { ...fields };
  for (const k of Object.keys(current)) if (!(k in full)) full[k] = undefined;
  const people = new People(ctx.dir);
  const newOwner = owner?.to && owner.to !== owner.shown ? owner.to : undefined;
  // Both checked before anything is written: the fields' version (below), and the owner the form showed.
  if (owner) {
    const now = await people.owner(type, before.id);
    if (now !== owner.shown) throw new UserError('error.staleOwner', { id: before.id, user: now ? `<@${now}>` : '—' });
  }
  const e = await ctx.dir.edit(type, before.id, full as Partial<EntryFields>, ctx.user, { version });
  const ownerLine = newOwner && (await people.setOwnerIf(type, before.id, owner!.shown, newOwner, ctx.user)) !== 'unchanged'
    ? ctx.t('contact.set', { user: `<@${newOwner}>`, id: before.id }) : undefined;
  if (e.version === before.version) return message({ content: ownerLine ? `✅ ${ownerLine}` : ctx.t('entry.unchanged', { id: e.id }), ephemeral: true });
  return showWith(ctx, type, e, 'entry.edited', ownerLine);
}

/** The saved entry, its best partners right now, and any entry it may duplicate. */
async function showWith(ctx: Ctx, type: EntryType, e: StoredEntry, key: 'entry.added' | 'entry.edited', extra?: string): Promise<Reply> {
  const ranker = await ctx.services.matcher.forGuild(ctx.dir);
  const embed = entryEmbed(type, e, ctx.locale, ctx.t, ranker.inferredSectors(type, e.id), ctx.services.config.TIME_ZONE);
  const best = ranker.matchEntry(type, e.id, { top: 3 });
  if (best.length) {
    embed.fields = [...(embed.fields ?? []), {
      name: ctx.t('entry.topMatches'),
      value: best.map((s) => `${s.id} · ${s.record.title} — ${s.score.toFixed(2)}`).join('\n'),
    }];
  }
  const twins = key === 'entry.added' ? similarEntries(ranker.complete(type, e.title, 20, 'all'), e) : [];
  const warning = twins.length ? `\n⚠️ ${ctx.t('entry.similar', { list: twins.map((r) => `${r.id} · ${r.title}`).join('; ') })}` : '';
  return message({
    content: `✅ ${ctx.t(key, { id: e.id, title: e.title })}${extra ? `\n${extra}` : ''}${warning}`,
    embeds: [embed],
    components: [row(button(`${type}:match:${e.id}`, ctx.t('label.findPartners'), { style: ButtonStyle.Primary }))],
    ephemeral: true,
  });
}

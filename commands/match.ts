import { UserError } from '../src/domain/errors.ts';
import type { CommandCtx, ComponentCtx } from '../src/interactions/command.ts';
import { command, idOption, sub, str, int, sectorOption, choice } from '../src/interactions/builders.ts';
import { choices, message, type Reply } from '../src/interactions/reply.ts';
import { idChoices, openSelected } from '../src/views/entry-view.ts';
import { resolveEntry } from '../src/views/resolve.ts';
import { parsePageArgs } from '../src/views/pages.ts';
import { parseTop, MAX_TOP } from '../src/views/parse.ts';
import { checkQuery, MAX_QUERY_CHARS } from '../src/views/query.ts';
import { matchReply, queryFromMessage, topOf, typesOf } from '../src/views/results.ts';
import { pairActions, parsePair } from '../src/views/pair-actions.ts';

export const data = command('match', 'cmd.match')
  .addSubcommand(sub('need', 'cmd.match.need').addStringOption(idOption()).addStringOption(sectorOption()).addIntegerOption(int('top', 'cmd.opt.top', 1, MAX_TOP)))
  .addSubcommand(sub('capability', 'cmd.match.capability').addStringOption(idOption()).addStringOption(sectorOption()).addIntegerOption(int('top', 'cmd.opt.top', 1, MAX_TOP)))
  .addSubcommand(
    sub('text', 'cmd.match.text')
      .addStringOption(str('query', 'cmd.match.query', true, Math.min(MAX_QUERY_CHARS, 6000)))
      .addStringOption(str('type', 'cmd.search.type').addChoices(choice('choice.type.need', 'need'), choice('choice.type.capability', 'capability')))
      .addStringOption(sectorOption())
      .addIntegerOption(int('top', 'cmd.opt.top', 1, MAX_TOP)),
  );

export async function execute(ctx: CommandCtx): Promise<Reply> {
  const o = ctx.options;
  const view = { owner: ctx.user.id, page: 1, sector: o.string('sector') ?? '-', top: parseTop(o.integer('top')) };
  switch (o.subcommand) {
    case 'need':
    case 'capability': {
      const entry = await resolveEntry(ctx, o.subcommand, o.requiredString('id'));
      return matchReply(ctx, { mode: o.subcommand, id: entry.id }, view, false);
    }
    case 'text': {
      const type = o.string('type');
      const types = type === 'need' ? ['need' as const] : type === 'capability' ? ['capability' as const] : ['capability' as const, 'need' as const];
      return matchReply(ctx, { mode: 'text', query: checkQuery(o.string('query')), types }, view, false);
    }
    default:
      throw new UserError('error.unknownCommand', { name: `match ${o.subcommand ?? ''}` });
  }
}

export async function autocomplete(ctx: CommandCtx): Promise<Reply> {
  const focused = ctx.options.focused();
  const type = ctx.options.subcommand === 'capability' ? 'capability' : 'need';
  if (!focused) return choices([]);
  return idChoices(ctx, type, focused.value, 'open');
}

export async function component(ctx: ComponentCtx): Promise<Reply> {
  if (ctx.args[0] === 'open') return openSelected(ctx, ctx.values);
  if (ctx.args[0] === 'act') return pairActions(ctx, parsePair(ctx.values[0]));
  const p = parsePageArgs(ctx.args);
  if (!p) throw new UserError('error.pageExpired');
  if (p.owner !== ctx.user.id) return message({ content: ctx.t('page.notYours'), ephemeral: true });
  const [mode, ref, sector = '-', top] = p.state;
  const view = { owner: p.owner, page: p.page, sector, top: topOf(top) };
  if (mode === 'n' || mode === 'c') return matchReply(ctx, { mode: mode === 'n' ? 'need' : 'capability', id: ref ?? '' }, view, true);
  if (mode === 't') return matchReply(ctx, { mode: 'text', query: queryFromMessage(ctx.interaction), types: typesOf(ref) }, view, true);
  throw new UserError('error.pageExpired');
}

import { UserError } from '../src/domain/errors.ts';
import type { CommandCtx, ComponentCtx } from '../src/interactions/command.ts';
import { command, str, sectorOption, choice } from '../src/interactions/builders.ts';
import { message, type Reply } from '../src/interactions/reply.ts';
import { openSelected } from '../src/views/entry-view.ts';
import { parsePageArgs } from '../src/views/pages.ts';
import { checkQuery, MAX_QUERY_CHARS } from '../src/views/query.ts';
import { searchReply, queryFromMessage, topOf, typesOf } from '../src/views/results.ts';

const TOP = 24;

export const data = command('search', 'cmd.search')
  .addStringOption(str('query', 'cmd.search.query', true, MAX_QUERY_CHARS))
  .addStringOption(str('type', 'cmd.search.type').addChoices(choice('choice.type.need', 'need'), choice('choice.type.capability', 'capability')))
  .addStringOption(sectorOption());

export async function execute(ctx: CommandCtx): Promise<Reply> {
  const o = ctx.options;
  const query = checkQuery(o.string('query'));
  const type = o.string('type');
  const types = type === 'need' ? ['need' as const] : type === 'capability' ? ['capability' as const] : ['need' as const, 'capability' as const];
  return searchReply(ctx, query, types, { owner: ctx.user.id, page: 1, sector: o.string('sector') ?? '-', top: TOP }, false);
}

export async function component(ctx: ComponentCtx): Promise<Reply> {
  if (ctx.args[0] === 'open') return openSelected(ctx, ctx.values);
  const p = parsePageArgs(ctx.args);
  if (!p) throw new UserError('error.pageExpired');
  if (p.owner !== ctx.user.id) return message({ content: ctx.t('page.notYours'), ephemeral: true });
  const [code, sector = '-', top] = p.state;
  return searchReply(ctx, queryFromMessage(ctx.interaction), typesOf(code), { owner: p.owner, page: p.page, sector, top: topOf(top) }, true);
}

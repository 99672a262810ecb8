import { UserError } from '../src/domain/errors.ts';
import { MAX_WATCHES_PER_USER, WATCH_DELIVERIES, type WatchDelivery } from '../src/domain/watch.ts';
import type { CommandCtx } from '../src/interactions/command.ts';
import { choice, command, idOption, str, sub } from '../src/interactions/builders.ts';
import { choices, message, type Reply } from '../src/interactions/reply.ts';
import { WATCH_MIN_SCORE } from '../src/match/score.ts';
import { idChoices } from '../src/views/entry-view.ts';
import { resolveEntry } from '../src/views/resolve.ts';

const delivery = () => str('delivery', 'cmd.watch.delivery').addChoices(...WATCH_DELIVERIES.map((d) => choice(`choice.delivery.${d}`, d)));

export const data = command('watch', 'cmd.watch')
  .addSubcommand(sub('need', 'cmd.watch.need').addStringOption(idOption()).addStringOption(delivery()))
  .addSubcommand(sub('capability', 'cmd.watch.capability').addStringOption(idOption()).addStringOption(delivery()))
  .addSubcommand(sub('list', 'cmd.watch.list'))
  .addSubcommand(sub('remove', 'cmd.watch.remove').addStringOption(idOption()));

export async function execute(ctx: CommandCtx): Promise<Reply> {
  const o = ctx.options;
  const mine = (w: { user: string }) => w.user === ctx.user.id;
  switch (o.subcommand) {
    case 'need':
    case 'capability': {
      const type = o.subcommand;
      if (!ctx.services.watcher.enabled) throw new UserError('watch.unavailable');
      const entry = await resolveEntry(ctx, type, o.requiredString('id'));
      const seen = await ctx.services.watcher.current(ctx.dir, type, entry.id);
      const channel = ctx.interaction.channel_id ?? ctx.interaction.channel?.id ?? '0';
      const locale = ctx.locale;
      const how = (o.string('delivery') ?? 'channel') as WatchDelivery;
      if (!WATCH_DELIVERIES.includes(how)) throw new UserError('error.unknownDelivery', { value: how, list: WATCH_DELIVERIES.join(', ') });
      const watch = { user: ctx.user.id, type, id: entry.id, channel, locale, seen, createdAt: new Date().toISOString(), ...(how !== 'channel' ? { delivery: how } : {}) };
      if (!(await ctx.dir.addWatch(watch, MAX_WATCHES_PER_USER))) throw new UserError('watch.tooMany', { max: MAX_WATCHES_PER_USER });
      const key = how === 'dm' ? 'watch.addedDm' : how === 'digest' ? 'watch.addedDigest' : 'watch.added';
      return message({ content: `🔔 ${ctx.t(key, { id: entry.id, title: entry.title, min: WATCH_MIN_SCORE })}`, ephemeral: true });
    }
    case 'list': {
      const list = (await ctx.dir.watches()).filter(mine);
      return message({ content: list.length ? ctx.t('watch.list', { list: list.map((w) => w.id).join(', ') }) : ctx.t('watch.none'), ephemeral: true });
    }
    case 'remove': {
      const id = o.requiredString('id');
      if (!(await ctx.dir.removeWatch(ctx.user.id, id))) throw new UserError('watch.notWatched', { id });
      return message({ content: ctx.t('watch.removed', { id }), ephemeral: true });
    }
    default:
      throw new UserError('error.unknownCommand', { name: `watch ${o.subcommand ?? ''}` });
  }
}

export async function autocomplete(ctx: CommandCtx): Promise<Reply> {
  const focused = ctx.options.focused();
  if (!focused) return choices([]);
  if (ctx.options.subcommand === 'remove') {
    const q = focused.value.toLowerCase();
    const mine = (await ctx.dir.watches()).filter((w) => w.user === ctx.user.id && w.id.toLowerCase().includes(q));
    return choices(mine.map((w) => ({ name: `${w.type} ${w.id}`, value: w.id })));
  }
  const type = ctx.options.subcommand === 'capability' ? 'capability' : 'need';
  return idChoices(ctx, type, focused.value, 'open');
}

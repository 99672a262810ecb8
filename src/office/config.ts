// /config review-days · target · targets · digest: the office's settings (curators).
import { CARRIER_KINDS, CarrierKind, type Target } from '../domain/collaboration.ts';
import { UserError } from '../domain/errors.ts';
import { parseLevel } from '../views/parse.ts';
import type { CommandCtx, Ctx } from '../interactions/command.ts';
import { message, type Reply } from '../interactions/reply.ts';
import { joinList } from '../i18n/index.ts';
import { setSetting, setTarget, targets } from './settings.ts';

export function targetLabel(ctx: Pick<Ctx, 't'>, t: Pick<Target, 'kind' | 'level'>): string {
  const kind = ctx.t(`kind.${t.kind}`);
  return t.level ? ctx.t('report.carrierLevel', { kind, level: ctx.t(`level.${t.level}`) }) : kind;
}

/** The reply to an office subcommand, or undefined when `sub` is not one. */
export async function officeConfig(ctx: CommandCtx, sub: string): Promise<Reply | undefined> {
  const o = ctx.options;
  const now = new Date();
  const reply = (content: string) => message({ content, ephemeral: true });
  switch (sub) {
    case 'review-days': {
      await ctx.requireCurator();
      const days = o.integer('days')!;
      await setSetting(ctx.dir, 'review-days', String(days), ctx.user, now);
      return reply(ctx.t('config.reviewDays', { days }));
    }
    case 'target': {
      await ctx.requireCurator();
      // Choices in Discord; checked again here (a raw interaction can carry anything).
      const k = CarrierKind.safeParse(o.requiredString('kind'));
      if (!k.success) throw new UserError('error.unknownKind', { value: o.requiredString('kind'), kinds: CARRIER_KINDS.join(', ') });
      const kind = k.data;
      const level = parseLevel(o.string('level'));
      const count = o.integer('count') ?? 0;
      const label = targetLabel(ctx, { kind, ...(level ? { level } : {}) });
      const changed = await setTarget(ctx.dir, kind, level, count, ctx.user, now);
      if (count > 0) return reply(ctx.t('config.target', { kind: label, count }));
      return reply(ctx.t(changed ? 'config.targetRemoved' : 'config.targetNone', { kind: label }));
    }
    case 'targets': {
      const list = await targets(ctx.dir);
      if (list.length === 0) return reply(ctx.t('config.noTargets'));
      return reply(ctx.t('config.targets', { list: joinList(list.map((t) => `${targetLabel(ctx, t)} ${t.count}`), ctx.locale) }));
    }
    case 'digest': {
      await ctx.requireCurator();
      const on = o.requiredString('state') === 'on';
      await setSetting(ctx.dir, 'digest', on ? 'on' : 'off', ctx.user, now);
      // The digest speaks the language of the curator who turned it on.
      if (on) await setSetting(ctx.dir, 'digest-locale', ctx.locale, ctx.user, now);
      return reply(ctx.t(on ? 'config.digest.on' : 'config.digest.off'));
    }
    default:
      return undefined;
  }
}

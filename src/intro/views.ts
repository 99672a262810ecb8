// How contacts, submissions and introductions look in replies, DMs and threads.
import type { Ctx } from '../interactions/command.ts';
import type { Contact } from './records.ts';

/** "N-0001 · <@user> (claim waiting for a curator)". */
export function contactLines(ctx: Pick<Ctx, 't'>, list: readonly Contact[], withEntry: boolean): string[] {
  return list.map((c) => {
    const head = withEntry ? `${c.entryId} · ` : '';
    return `${head}<@${c.userId}>${c.confirmedBy ? '' : ` — ${ctx.t('contact.unconfirmed')}`}`;
  });
}

// Can the bot work in the office channel, and can the brokers see its private threads? Bits in a channel
// computed as Discord documents it (topics/permissions: @everyone and the member's roles, Administrator =
// everything, then the channel's overwrites for @everyone, the roles, the member).
import { PERMISSIONS as P } from '../interactions/limits.ts';
import type { MessageKey } from '../i18n/index.ts';
import type { Outbox } from './outbox.ts';

export interface Overwrite { id: string; type: number; allow: string; deny: string }
type Needs = readonly (readonly [MessageKey, bigint])[];

/** What the bot needs in the office channel: see it, post there, open private threads, post and add members in them. */
export const BOT_NEEDS: Needs = [
  ['perm.viewChannel', P.viewChannel],
  ['perm.sendMessages', P.sendMessages],
  ['perm.createPrivateThreads', P.createPrivateThreads],
  ['perm.sendMessagesInThreads', P.sendMessagesInThreads],
];

/** What a broker needs to see every private thread there: only members and Manage Threads holders see one. */
export const BROKER_NEEDS: Needs = [
  ['perm.viewChannel', P.viewChannel],
  ['perm.manageThreads', P.manageThreads],
];

/** The names (message keys) of `needs` that `bits` lacks; none for an administrator. */
export function missing(bits: bigint, needs: Needs): MessageKey[] {
  if ((bits & P.administrator) !== 0n) return [];
  return needs.filter(([, bit]) => (bits & bit) !== bit).map(([key]) => key);
}

/** Permissions in a channel of someone holding `held` roles (and @everyone); memberId for a member overwrite. */
export function channelBits(guildId: string, roles: readonly { id: string; permissions: string }[], held: readonly string[], overwrites: readonly Overwrite[], memberId?: string): bigint {
  const perm = (id: string) => BigInt(roles.find((r) => r.id === id)?.permissions ?? '0');
  let bits = perm(guildId);
  for (const id of held) bits |= perm(id);
  if ((bits & P.administrator) !== 0n) return bits;
  const everyone = overwrites.find((o) => o.id === guildId);
  if (everyone) bits = (bits & ~BigInt(everyone.deny)) | BigInt(everyone.allow);
  let allow = 0n;
  let deny = 0n;
  for (const o of overwrites) {
    if (o.type !== 0 || o.id === guildId || !held.includes(o.id)) continue;
    allow |= BigInt(o.allow);
    deny |= BigInt(o.deny);
  }
  bits = (bits & ~deny) | allow;
  const member = memberId ? overwrites.find((o) => o.type === 1 && o.id === memberId) : undefined;
  if (member) bits = (bits & ~BigInt(member.deny)) | BigInt(member.allow);
  return bits;
}

export type OfficeAccess =
  | { checked: false }
  | { checked: true; found: false }
  | { checked: true; found: true; bot: MessageKey[]; role?: MessageKey[] };

/** What the bot (and the broker role, when given) lacks in the channel, through the transport's own API. */
export async function officeAccess(outbox: Outbox | undefined, guildId: string, channelId: string, roleId?: string): Promise<OfficeAccess> {
  if (!outbox?.permissions) return { checked: false };
  const p = await outbox.permissions(guildId, channelId, roleId);
  if (!p) return { checked: true, found: false };
  return { checked: true, found: true, bot: missing(p.bot, BOT_NEEDS), ...(p.role !== undefined ? { role: missing(p.role, BROKER_NEEDS) } : {}) };
}

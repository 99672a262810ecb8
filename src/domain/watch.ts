import * as z from 'zod';
import { EntryId, EntryType } from './entry.ts';

/** A member asked to hear about new partners for one entry, in one channel. */
export const Watch = z.strictObject({
  user: z.string().min(1),
  type: EntryType,
  id: EntryId,
  channel: z.string().min(1),
  /** The language the member asked in; announcements use it. */
  locale: z.enum(['en-US', 'zh-CN']),
  /** Partners already announced (or already there when the watch began). */
  seen: z.array(z.string()),
  createdAt: z.iso.datetime(),
  /** channel (default): announced in `channel`; dm: sent by DM; digest: gathered into one DM a day. */
  delivery: z.enum(['channel', 'dm', 'digest']).optional(),
});
export type Watch = z.infer<typeof Watch>;
export const WATCH_DELIVERIES = ['channel', 'dm', 'digest'] as const;
export type WatchDelivery = (typeof WATCH_DELIVERIES)[number];

/** How many watches one member may hold in one server. */
export const MAX_WATCHES_PER_USER = 20;

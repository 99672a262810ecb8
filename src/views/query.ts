import { UserError } from '../domain/errors.ts';
import { truncate } from '../interactions/text.ts';

export const MAX_QUERY_CHARS = 2000;

/** Rejects queries nobody could mean; the engine never sees them. */
export function checkQuery(text: string | undefined): string {
  const q = (text ?? '').normalize('NFKC').trim();
  if (!q) throw new UserError('error.queryEmpty');
  if (q.length > MAX_QUERY_CHARS) throw new UserError('error.queryTooLong', { length: q.length, max: MAX_QUERY_CHARS });
  if (!/[\p{L}\p{N}]/u.test(q)) throw new UserError('error.queryNoTerms', { query: truncate(q, 50) });
  return q;
}

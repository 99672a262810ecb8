import type { AuditRecord } from '../store/directory.ts';

/** One line per audit record; field names stay as stored, they are the contract's. */
export function auditLine(r: AuditRecord): string {
  const what = r.id ? `${r.type} ${r.id}` : '';
  const fields = r.changes ? Object.keys(r.changes).join(', ') : '';
  return `\`${r.at.slice(0, 16).replace('T', ' ')}\` **${r.action}** ${what}${fields && r.action === 'edit' ? ` (${fields})` : ''}${r.summary ? ` — ${r.summary}` : ''} · ${r.actor.name}`;
}

// One line per audit record, in the reader's language and the server's time zone.
import { formatTime, joinList, type Locale, type MessageKey, type Vars } from '../i18n/index.ts';
import type { AuditRecord } from '../store/directory.ts';
import { actorName } from './format.ts';

export interface LineCtx { locale: Locale; t(key: MessageKey, vars?: Vars): string; timeZone: string }

const FIELD_LABELS: Record<string, MessageKey> = {
  title: 'label.title', org: 'label.org', description: 'label.description', sectors: 'label.sectors', keywords: 'label.keywords',
  region: 'label.region', contact: 'label.contact', kind: 'label.kind', status: 'label.status',
};

/** The import summary the store writes ("merge: 2 added, 0 updated, 0 removed"), re-read to be translated. */
const IMPORT_SUMMARY = /^(merge|replace): (\d+) added, (\d+) updated, (\d+) removed/;
const CURATOR_SUMMARY = /^curator-role (add|remove) (\d+)$/;

function summaryText(r: AuditRecord, c: LineCtx): string {
  const s = r.summary ?? '';
  const imp = IMPORT_SUMMARY.exec(s);
  if (imp) {
    return c.t('import.summary', { mode: c.t(imp[1] === 'replace' ? 'import.mode.replace' : 'import.mode.merge'), added: imp[2]!, updated: imp[3]!, removed: imp[4]! });
  }
  const cur = CURATOR_SUMMARY.exec(s);
  if (cur) return c.t(cur[1] === 'add' ? 'audit.curatorAdd' : 'audit.curatorRemove', { role: `<@&${cur[2]}>` });
  return s;
}

export function auditLine(r: AuditRecord, c: LineCtx): string {
  const zh = c.locale === 'zh-CN';
  const action = c.t(`audit.action.${r.action}` as MessageKey);
  const what = r.id && r.type ? ` ${c.t(r.type === 'need' ? 'label.need' : 'label.capability')} ${r.id}` : '';
  const fields = r.action === 'edit' && r.changes ? joinList(Object.keys(r.changes).map((k) => (FIELD_LABELS[k] ? c.t(FIELD_LABELS[k]) : k)), c.locale) : '';
  const summary = r.summary ? summaryText(r, c) : '';
  return `\`${formatTime(r.at, c.locale, c.timeZone)}\` **${action}**${what}`
    + (fields ? (zh ? `（${fields}）` : ` (${fields})`) : '')
    + (summary ? ` — ${summary}` : '')
    + ` · ${actorName(r.actor.id, r.actor.name, c.t)}`;
}

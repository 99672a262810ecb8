// Renders Discord response JSON as readable text: embeds, buttons, forms, files — in the reader's language.
import { truncate } from '../interactions/text.ts';
import { ComponentType, InteractionResponseType, MessageFlags, type APIEmbed, type APIInteractionResponse } from 'discord-api-types/v10';
import { translate, type Locale, type MessageKey, type Vars } from '../i18n/index.ts';

export interface RenderedButton { customId: string; label: string; disabled: boolean }
/** A menu option and the number it is shown (and picked) with. */
export interface RenderedOption { label: string; value: string; n: number }
export interface RenderedSelect { customId: string; placeholder: string; options: RenderedOption[] }

export interface RenderOptions {
  locale?: Locale;
  /** Display names of users the console knows (its own user), so mentions read as names. */
  names?: Record<string, string>;
}

function stripMarkdown(s: string, names: Record<string, string>): string {
  return s.replace(/\*\*(.+?)\*\*/g, '$1').replace(/`([^`]+)`/g, '$1').replace(/<@[!&]?(\d+)>/g, (_m, id: string) => `@${names[id] ?? id}`).replace(/<#(\d+)>/g, (_m, id: string) => `#${names[id] ?? id}`);
}

function embedText(e: APIEmbed, t: (k: MessageKey, v?: Vars) => string, names: Record<string, string>): string[] {
  const md = (s: string) => stripMarkdown(s, names);
  const out: string[] = [];
  if (e.author?.name) out.push(`  ${e.author.name}`);
  if (e.title) out.push(`━━ ${md(e.title)} ━━`);
  if (e.description) out.push(...md(e.description).split('\n').map((l) => `  ${l}`));
  for (const f of e.fields ?? []) {
    const value = md(f.value).split('\n');
    if (value.length === 1 && f.inline) out.push(`  ${t('console.field', { name: md(f.name), value: value[0]! })}`);
    // A blank name (Discord's zero-width space: a field continuing the one before) prints no heading.
    else if (!md(f.name).replace(/\u200b/g, '').trim()) out.push(...value.map((l) => `      ${l}`));
    else out.push(`  ▸ ${md(f.name)}`, ...value.map((l) => `      ${l}`));
  }
  if (e.footer?.text) out.push(`  — ${e.footer.text}`);
  return out;
}

/** Options numbered as they read: a label that starts with its result number ("6. C-0008 …") keeps it. */
function numbered(options: { label: string; value: string }[]): RenderedOption[] {
  return options.map((o, i) => {
    const m = /^(\d+)\.\s+(.*)$/s.exec(o.label);
    return m ? { label: m[2]!, value: o.value, n: Number(m[1]) } : { ...o, n: i + 1 };
  });
}

export function renderResponse(body: APIInteractionResponse, files: { name: string }[] = [], opts: RenderOptions = {}): { text: string; buttons: RenderedButton[]; selects: RenderedSelect[] } {
  const locale = opts.locale ?? 'en-US';
  const names = opts.names ?? {};
  const t = (k: MessageKey, v?: Vars) => translate(locale, k, v);
  const lines: string[] = [];
  const buttons: RenderedButton[] = [];
  const selects: RenderedSelect[] = [];
  switch (body.type) {
    case InteractionResponseType.ChannelMessageWithSource:
    case InteractionResponseType.UpdateMessage: {
      const d = body.data ?? {};
      if (d.flags !== undefined && (Number(d.flags) & MessageFlags.Ephemeral) !== 0) lines.push(t('console.ephemeral'));
      if (d.content) lines.push(stripMarkdown(d.content, names));
      for (const e of d.embeds ?? []) lines.push(...embedText(e, t, names));
      for (const r of d.components ?? []) {
        if (r.type !== ComponentType.ActionRow) continue;
        for (const c of r.components) {
          if (c.type === ComponentType.Button && 'custom_id' in c) buttons.push({ customId: c.custom_id, label: c.label ?? '', disabled: c.disabled ?? false });
          if (c.type === ComponentType.StringSelect) selects.push({ customId: c.custom_id, placeholder: c.placeholder ?? '', options: numbered(c.options.map((o) => ({ label: o.label, value: o.value }))) });
        }
      }
      for (const sel of selects) {
        lines.push(`  ▾ ${sel.placeholder}   ${t(sel.customId === 'match:act' ? 'console.actHint' : 'console.pickHint')}`);
        for (const o of sel.options) lines.push(`      ${o.n}) ${o.label}`);
      }
      if (buttons.length) {
        lines.push('  ' + buttons.map((b, i) => (b.disabled ? `[${b.label}]` : `[${i + 1}: ${b.label}]`)).join(' ') + `   ${t('console.pressHint')}`);
      }
      break;
    }
    case InteractionResponseType.Modal: {
      const d = body.data;
      lines.push(t('console.form', { title: d.title }));
      for (const f of formFields(body)) {
        lines.push(`  ${t('console.field', { name: `${f.id}${f.required ? t('console.required') : ''}`, value: `${f.label}${f.value ? ` = ${truncate(f.value, 80)}` : ''}` })}`);
      }
      break;
    }
    case InteractionResponseType.ApplicationCommandAutocompleteResult:
      for (const c of body.data.choices ?? []) lines.push(`  ${t('console.field', { name: String(c.value), value: c.name })}`);
      break;
    default:
      lines.push(`(${body.type})`);
  }
  for (const f of files) lines.push(`  📎 ${f.name}`);
  return { text: lines.join('\n'), buttons, selects };
}

export interface FormField { id: string; label: string; value?: string; required: boolean }

/** The text inputs of a modal response, in order. */
export function formFields(body: APIInteractionResponse): FormField[] {
  if (body.type !== InteractionResponseType.Modal) return [];
  const out: FormField[] = [];
  for (const row of body.data.components) {
    const input = (row as { components?: { custom_id: string; label?: string; value?: string; required?: boolean }[] }).components?.[0];
    if (input) out.push({ id: input.custom_id, label: input.label ?? '', value: input.value, required: input.required ?? false });
  }
  return out;
}

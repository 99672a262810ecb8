// Renders Discord response JSON as readable text: embeds, buttons, forms, files.
import { ComponentType, InteractionResponseType, MessageFlags, type APIEmbed, type APIInteractionResponse } from 'discord-api-types/v10';

export interface RenderedButton { customId: string; label: string; disabled: boolean }
export interface RenderedSelect { customId: string; placeholder: string; options: { label: string; value: string }[] }

function stripMarkdown(s: string): string {
  return s.replace(/\*\*(.+?)\*\*/g, '$1').replace(/`([^`]+)`/g, '$1').replace(/<@&?(\d+)>/g, '@$1');
}

function embedText(e: APIEmbed): string[] {
  const out: string[] = [];
  if (e.author?.name) out.push(`  ${e.author.name}`);
  if (e.title) out.push(`━━ ${stripMarkdown(e.title)} ━━`);
  if (e.description) out.push(...stripMarkdown(e.description).split('\n').map((l) => `  ${l}`));
  for (const f of e.fields ?? []) {
    const value = stripMarkdown(f.value).split('\n');
    if (value.length === 1 && f.inline) out.push(`  ${stripMarkdown(f.name)}: ${value[0]}`);
    else out.push(`  ▸ ${stripMarkdown(f.name)}`, ...value.map((l) => `      ${l}`));
  }
  if (e.footer?.text) out.push(`  — ${e.footer.text}`);
  return out;
}

export function renderResponse(body: APIInteractionResponse, files: { name: string }[] = []): { text: string; buttons: RenderedButton[]; selects: RenderedSelect[] } {
  const lines: string[] = [];
  const buttons: RenderedButton[] = [];
  const selects: RenderedSelect[] = [];
  switch (body.type) {
    case InteractionResponseType.ChannelMessageWithSource:
    case InteractionResponseType.UpdateMessage: {
      const d = body.data ?? {};
      if (d.flags !== undefined && (Number(d.flags) & MessageFlags.Ephemeral) !== 0) lines.push('(only you can see this)');
      if (d.content) lines.push(stripMarkdown(d.content));
      for (const e of d.embeds ?? []) lines.push(...embedText(e));
      for (const r of d.components ?? []) {
        if (r.type !== ComponentType.ActionRow) continue;
        for (const c of r.components) {
          if (c.type === ComponentType.Button && 'custom_id' in c) buttons.push({ customId: c.custom_id, label: c.label ?? '', disabled: c.disabled ?? false });
          if (c.type === ComponentType.StringSelect) selects.push({ customId: c.custom_id, placeholder: c.placeholder ?? '', options: c.options.map((o) => ({ label: o.label, value: o.value })) });
        }
      }
      for (const sel of selects) {
        lines.push(`  ▾ ${sel.placeholder}   (type !pick N to choose option N)`);
        sel.options.forEach((o, i) => lines.push(`      ${i + 1}) ${o.label}`));
      }
      if (buttons.length) {
        lines.push('  ' + buttons.map((b, i) => (b.disabled ? `[${b.label}]` : `[${i + 1}: ${b.label}]`)).join(' ') + '   (type !N to press button N)');
      }
      break;
    }
    case InteractionResponseType.Modal: {
      const d = body.data;
      lines.push(`Form: ${d.title}`);
      for (const row of d.components) {
        const input = (row as { components?: { custom_id: string; label?: string; value?: string; required?: boolean }[] }).components?.[0];
        if (input) lines.push(`  ${input.custom_id}${input.required ? ' (required)' : ''}: ${input.label ?? ''}${input.value ? ` = ${input.value.slice(0, 80)}` : ''}`);
      }
      lines.push('  The console cannot show forms: give the fields as options instead, e.g. title:… org:… description:…');
      break;
    }
    case InteractionResponseType.ApplicationCommandAutocompleteResult:
      for (const c of body.data.choices ?? []) lines.push(`  ${c.value}: ${c.name}`);
      break;
    default:
      lines.push(`(response type ${body.type})`);
  }
  for (const f of files) lines.push(`  📎 ${f.name}`);
  return { text: lines.join('\n'), buttons, selects };
}

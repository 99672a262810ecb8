// Builders for Discord's interaction responses. Every message goes out with allowed_mentions empty
// and every embed cut to Discord's limits, so user text can neither ping nor overflow.
import {
  InteractionResponseType, MessageFlags, ComponentType, ButtonStyle, TextInputStyle,
  type APIEmbed, type APIActionRowComponent, type APIComponentInMessageActionRow,
  type APIInteractionResponse, type APIApplicationCommandOptionChoice, type APIButtonComponentWithCustomId, type APIStringSelectComponent,
} from 'discord-api-types/v10';
import { DISCORD_LIMITS as L } from './limits.ts';
import { clip, truncate } from './text.ts';

export interface OutFile { name: string; data: Buffer; contentType?: string; description?: string }
export interface Reply { body: APIInteractionResponse; files?: OutFile[] }

export interface MessageSpec {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
  ephemeral?: boolean;
  files?: OutFile[];
}

/** Cuts an embed to Discord's per-field and total limits ("…" marks every cut). */
export function fitEmbed(embed: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...embed };
  if (out.title) out.title = truncate(out.title, L.embedTitle);
  if (out.description) out.description = truncate(out.description, L.embedDescription);
  if (out.footer) out.footer = { ...out.footer, text: truncate(out.footer.text, L.embedFooter) };
  if (out.author) out.author = { ...out.author, name: truncate(out.author.name, L.embedTitle) };
  if (out.fields) {
    out.fields = out.fields.slice(0, L.embedFields).map((f) => ({
      ...f,
      name: truncate(f.name || '\u200b', L.embedFieldName),
      value: truncate(f.value || '\u200b', L.embedFieldValue),
    }));
  }
  // Total budget: shrink the description first, then drop trailing fields.
  const size = (e: APIEmbed) =>
    (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
  let over = size(out) - L.embedTotal;
  if (over > 0 && out.description) {
    out.description = truncate(out.description, Math.max(100, out.description.length - over));
    over = size(out) - L.embedTotal;
  }
  while (over > 0 && out.fields && out.fields.length > 0) {
    out.fields = out.fields.slice(0, -1);
    over = size(out) - L.embedTotal;
  }
  return out;
}

/** Discord counts the 6000-character budget over all embeds of a message: later ones are dropped. */
function fitEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  const out: APIEmbed[] = [];
  let total = 0;
  for (const e of embeds.slice(0, L.embedsPerMessage).map(fitEmbed)) {
    const size = (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0) +
      (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
    if (total + size > L.embedTotal) break;
    total += size;
    out.push(e);
  }
  return out;
}

function messageData(spec: MessageSpec) {
  return {
    ...(spec.content !== undefined ? { content: clip(spec.content) } : {}),
    embeds: fitEmbeds(spec.embeds ?? []),
    components: spec.components ?? [],
    allowed_mentions: { parse: [] },
    ...(spec.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

export function message(spec: MessageSpec): Reply {
  const data = messageData(spec);
  if (spec.files?.length) {
    return {
      body: { type: InteractionResponseType.ChannelMessageWithSource, data: { ...data, attachments: spec.files.map((f, i) => ({ id: String(i), filename: f.name, ...(f.description ? { description: f.description } : {}) })) } },
      files: spec.files,
    };
  }
  return { body: { type: InteractionResponseType.ChannelMessageWithSource, data } };
}

/** Edits the message a component is on (page turns). */
export function update(spec: MessageSpec): Reply {
  const { flags: _f, ...data } = messageData(spec);
  return { body: { type: InteractionResponseType.UpdateMessage, data } };
}

export function choices(items: APIApplicationCommandOptionChoice<string>[]): Reply {
  return {
    body: {
      type: InteractionResponseType.ApplicationCommandAutocompleteResult,
      data: {
        choices: items.slice(0, L.autocompleteChoices).map((c) => ({
          name: truncate(c.name, L.choiceName),
          value: truncate(String(c.value), L.choiceValue),
        })),
      },
    },
  };
}

export interface ModalField {
  id: string;
  label: string;
  value?: string;
  placeholder?: string;
  paragraph?: boolean;
  required?: boolean;
  maxLength?: number;
}

export function modal(customId: string, title: string, fields: ModalField[]): Reply {
  return {
    body: {
      type: InteractionResponseType.Modal,
      data: {
        custom_id: truncate(customId, L.customId),
        title: truncate(title, L.modalTitle),
        components: fields.slice(0, L.rows).map((f) => ({
          type: ComponentType.ActionRow,
          components: [{
            type: ComponentType.TextInput,
            custom_id: f.id,
            label: truncate(f.label, L.textInputLabel),
            style: f.paragraph ? TextInputStyle.Paragraph : TextInputStyle.Short,
            required: f.required ?? false,
            max_length: Math.min(f.maxLength ?? L.textInputValue, L.textInputValue),
            ...(f.value ? { value: truncate(f.value, Math.min(f.maxLength ?? L.textInputValue, L.textInputValue)) } : {}),
            ...(f.placeholder ? { placeholder: truncate(f.placeholder, L.textInputPlaceholder) } : {}),
          }],
        })),
      },
    },
  };
}

export function button(customId: string, label: string, opts: { disabled?: boolean; style?: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger } = {}): APIButtonComponentWithCustomId {
  return {
    type: ComponentType.Button,
    custom_id: truncate(customId, L.customId),
    label: truncate(label, L.buttonLabel),
    style: opts.style ?? ButtonStyle.Secondary,
    disabled: opts.disabled ?? false,
  };
}

export interface SelectOption { label: string; value: string; description?: string }

export function select(customId: string, placeholder: string, options: readonly SelectOption[]): APIStringSelectComponent {
  return {
    type: ComponentType.StringSelect,
    custom_id: truncate(customId, L.customId),
    placeholder: truncate(placeholder, L.selectPlaceholder),
    options: options.slice(0, L.selectOptions).map((o) => ({
      label: truncate(o.label, L.selectLabel),
      value: truncate(o.value, L.selectLabel),
      ...(o.description ? { description: truncate(o.description, L.selectLabel) } : {}),
    })),
  };
}

export function row(...components: APIComponentInMessageActionRow[]): APIActionRowComponent<APIComponentInMessageActionRow> {
  return { type: ComponentType.ActionRow, components: components.slice(0, L.componentsPerRow) };
}

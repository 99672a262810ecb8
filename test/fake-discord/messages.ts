// How interaction callbacks / webhook bodies turn into stored messages (with uploaded files as attachments).
import { InteractionType, MessageFlags, MessageType } from 'discord-api-types/v10';
import type { APIAttachment, APIInteraction, APIMessage, APIUser } from 'discord-api-types/v10';
import { makeAttachment, makeMessage } from './fixtures.ts';
import type { UploadedFile } from './interactions.ts';

export interface MessageContext {
  /** A function: the port is only known once the server listens. */
  baseUrl(): string;
  bot: APIUser;
  applicationId: string;
  /** Makes an uploaded file downloadable at its attachment URL. */
  serve(attachment: APIAttachment, file: UploadedFile): unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const CREATE_FLAGS = MessageFlags.Ephemeral | MessageFlags.Loading | MessageFlags.SuppressEmbeds | MessageFlags.IsComponentsV2 | MessageFlags.SuppressNotifications;
const EDITABLE_FLAGS = MessageFlags.SuppressEmbeds | MessageFlags.IsComponentsV2;

/** Uploaded `files[n]` as attachments keyed by n, using `attachments[].{id,filename,description}` metadata. */
function uploads(ctx: MessageContext, channelId: string, files: UploadedFile[], meta: unknown): Map<string, APIAttachment> {
  const byIndex = new Map<string, APIAttachment>();
  const metaList = Array.isArray(meta) ? meta.filter(isRecord) : [];
  for (const file of files) {
    const index = /^files\[(\d+)\]$/.exec(file.field)?.[1] ?? String(byIndex.size);
    const extra = metaList.find((m) => String(m.id) === index);
    const filename = typeof extra?.filename === 'string' ? extra.filename : file.name;
    const attachment = makeAttachment(ctx.baseUrl(), channelId, filename, file.data.length, file.contentType);
    if (typeof extra?.description === 'string') attachment.description = extra.description;
    ctx.serve(attachment, file);
    byIndex.set(index, attachment);
  }
  return byIndex;
}

/** A new message sent through the interaction (callback type 4/5 or a follow-up). */
export function createMessage(ctx: MessageContext, i: APIInteraction, body: Record<string, unknown>, files: UploadedFile[], original: boolean): APIMessage {
  const user = i.member?.user ?? i.user ?? ctx.bot;
  const isCommand = i.type === InteractionType.ApplicationCommand;
  const base = makeMessage({
    channel_id: i.channel_id ?? i.channel?.id ?? '',
    author: ctx.bot,
    webhook_id: ctx.applicationId,
    application_id: ctx.applicationId,
    type: original && isCommand ? MessageType.ChatInputCommand : MessageType.Default,
    flags: (Number(body.flags ?? 0) & CREATE_FLAGS) as MessageFlags,
    ...(isCommand
      ? { interaction_metadata: { id: i.id, type: InteractionType.ApplicationCommand, user, authorizing_integration_owners: i.authorizing_integration_owners } }
      : {}),
  });
  return applyEdit(ctx, base, { ...body, flags: undefined }, files, false);
}

/** `msg` after a PATCH-style body: present fields replace, `attachments` lists what is kept. */
export function applyEdit(ctx: MessageContext, msg: APIMessage, body: Record<string, unknown>, files: UploadedFile[], edited = true): APIMessage {
  const next: APIMessage = { ...msg };
  if (edited) {
    // The first edit of a deferred reply replaces the "thinking…" state; Discord does not mark it edited.
    const wasLoading = ((msg.flags ?? 0) & MessageFlags.Loading) !== 0;
    next.flags = ((msg.flags ?? 0) & ~MessageFlags.Loading) as MessageFlags;
    next.edited_timestamp = wasLoading ? null : new Date().toISOString();
  }
  if ('content' in body) next.content = typeof body.content === 'string' ? body.content : '';
  if ('embeds' in body) next.embeds = Array.isArray(body.embeds) ? body.embeds : [];
  if ('components' in body) next.components = Array.isArray(body.components) ? body.components : [];
  if (typeof body.flags === 'number') next.flags = (((next.flags ?? 0) & ~EDITABLE_FLAGS) | (body.flags & EDITABLE_FLAGS)) as MessageFlags;

  const added = uploads(ctx, msg.channel_id, files, body.attachments);
  if (Array.isArray(body.attachments)) {
    const refs = body.attachments.filter(isRecord).map((a) => String(a.id));
    const kept = refs.map((id) => msg.attachments.find((x) => x.id === id) ?? added.get(id));
    next.attachments = [
      ...kept.filter((a): a is APIAttachment => a !== undefined),
      ...[...added].filter(([index]) => !refs.includes(index)).map(([, a]) => a),
    ];
  } else {
    next.attachments = [...msg.attachments, ...added.values()];
  }
  return next;
}

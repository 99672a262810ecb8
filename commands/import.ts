import { DatasetError, FORMAT_DOC, parseDatasetText, problemText } from '../src/domain/dataset.ts';
import { UserError } from '../src/domain/errors.ts';
import { MAX_REPORTED_PROBLEMS } from '../src/domain/limits.ts';
import type { CommandCtx } from '../src/interactions/command.ts';
import { command, describe, str, choice } from '../src/interactions/builders.ts';
import { checkImportCooldown } from '../src/interactions/ratelimit.ts';
import { message, type Reply } from '../src/interactions/reply.ts';
import { importCounting } from '../src/views/import.ts';
import { SlashCommandAttachmentOption } from '@discordjs/builders';

export const data = command('import', 'cmd.import', { curatorOnly: true })
  .addAttachmentOption(describe(new SlashCommandAttachmentOption().setName('file'), 'cmd.import.file').setRequired(true))
  .addStringOption(str('mode', 'cmd.import.mode').addChoices(choice('choice.mode.merge', 'merge'), choice('choice.mode.replace', 'replace')));

export async function execute(ctx: CommandCtx): Promise<Reply> {
  await ctx.requireCurator();
  const file = ctx.options.attachment('file');
  if (!file) throw new UserError('error.noAttachment');
  const max = ctx.services.config.IMPORT_MAX_BYTES;
  if (file.size > max) throw new UserError('error.attachmentTooLarge', { size: file.size, max });
  const text = await ctx.services.fetchAttachment(file.url, max);
  let dataset;
  try {
    dataset = parseDatasetText(text);
  } catch (err) {
    if (!(err instanceof DatasetError)) throw err;
    const shown = err.issues.slice(0, 15).map((p) => problemText(p, ctx.locale));
    const more = err.issues.length - shown.length;
    const tail = more > 0 ? [ctx.t('error.importMore', { count: more, max: MAX_REPORTED_PROBLEMS })] : [];
    throw new UserError('error.importInvalid', { count: err.issues.length, doc: FORMAT_DOC }, [...shown, ...tail]);
  }
  const count = dataset.needs.length + dataset.capabilities.length;
  const maxEntries = ctx.services.config.IMPORT_MAX_ENTRIES;
  if (count > maxEntries) throw new UserError('error.importTooMany', { count, max: maxEntries });
  const mode = ctx.options.string('mode') === 'replace' ? 'replace' : 'merge';
  await checkImportCooldown(ctx.services.state, ctx.guildId);
  const r = await importCounting(ctx.dir, dataset, mode, ctx.user);
  return message({
    content: `✅ ${ctx.t('import.done', { mode: ctx.t(mode === 'replace' ? 'import.mode.replace' : 'import.mode.merge'), ...r })}`,
    ephemeral: true,
  });
}

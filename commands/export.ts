import { serializeDataset } from '../src/domain/dataset.ts';
import { UserError } from '../src/domain/errors.ts';
import { DISCORD_LIMITS } from '../src/interactions/limits.ts';

const DEFAULT_UPLOAD_LIMIT = DISCORD_LIMITS.uploadBytes;
import type { CommandCtx } from '../src/interactions/command.ts';
import { command, describe } from '../src/interactions/builders.ts';
import { message, type Reply } from '../src/interactions/reply.ts';
import { SlashCommandBooleanOption } from '@discordjs/builders';

export const data = command('export', 'cmd.export')
  .addBooleanOption(describe(new SlashCommandBooleanOption().setName('include-closed'), 'cmd.export.closed'));

export async function execute(ctx: CommandCtx): Promise<Reply> {
  const dataset = await ctx.dir.exportDataset({ includeClosed: ctx.options.boolean('include-closed') ?? false });
  const date = new Date().toISOString().slice(0, 10);
  const data = Buffer.from(serializeDataset(dataset));
  // Discord refuses files over the server's upload limit (it tells us, per interaction).
  const limit = Number((ctx.interaction as { attachment_size_limit?: number }).attachment_size_limit ?? DEFAULT_UPLOAD_LIMIT);
  if (data.length > limit) throw new UserError('error.exportTooLarge', { size: data.length, max: limit });
  return message({
    content: ctx.t('export.done', { needs: dataset.needs.length, capabilities: dataset.capabilities.length }),
    files: [{ name: `liaison-${ctx.guildId}-${date}.json`, data, contentType: 'application/json' }],
    ephemeral: true,
  });
}

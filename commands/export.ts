import { serializeDataset } from '../src/domain/dataset.ts';
import type { CommandCtx } from '../src/interactions/command.ts';
import { command, describe } from '../src/interactions/builders.ts';
import { message, type Reply } from '../src/interactions/reply.ts';
import { SlashCommandBooleanOption } from 'discord.js';

export const data = command('export', 'cmd.export')
  .addBooleanOption(describe(new SlashCommandBooleanOption().setName('include-closed'), 'cmd.export.closed'));

export async function execute(ctx: CommandCtx): Promise<Reply> {
  const dataset = await ctx.dir.exportDataset({ includeClosed: ctx.options.boolean('include-closed') ?? false });
  const date = new Date().toISOString().slice(0, 10);
  return message({
    content: ctx.t('export.done', { needs: dataset.needs.length, capabilities: dataset.capabilities.length }),
    files: [{ name: `liaison-${ctx.guildId}-${date}.json`, data: Buffer.from(serializeDataset(dataset)), contentType: 'application/json' }],
    ephemeral: true,
  });
}

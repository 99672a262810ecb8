import type { CommandCtx } from '../src/interactions/command.ts';
import { command } from '../src/interactions/builders.ts';
import { message, type Reply } from '../src/interactions/reply.ts';
import { DEFAULT_MIN_SCORE } from '../src/match/score.ts';
import { COLORS } from '../src/views/format.ts';

export const data = command('help', 'cmd.help');

export async function execute(ctx: CommandCtx): Promise<Reply> {
  const lines = ctx.services.commands().map((c) => {
    const json = c.data.toJSON();
    const desc = ctx.locale === 'zh-CN' ? json.description_localizations?.['zh-CN'] ?? json.description : json.description;
    const subs = (json.options ?? []).filter((o) => o.type === 1 || o.type === 2).map((o) => o.name);
    return `**/${json.name}**${subs.length ? ` ${subs.join(' | ')}` : ''} — ${desc}`;
  });
  return message({
    embeds: [{
      title: ctx.t('help.title'),
      description: ctx.t('help.intro'),
      color: COLORS.info,
      fields: [{ name: ctx.t('help.commands'), value: lines.join('\n') }],
      footer: { text: ctx.t('help.footer', { min: DEFAULT_MIN_SCORE }) },
    }],
    ephemeral: true,
  });
}

import type { CommandCtx } from '../src/interactions/command.ts';
import { command } from '../src/interactions/builders.ts';
import { message, type Reply } from '../src/interactions/reply.ts';
import { DEFAULT_MIN_SCORE } from '../src/match/score.ts';
import { COLORS } from '../src/views/format.ts';

export const data = command('help', 'cmd.help');

function chunks(lines: readonly string[], max: number): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const last = out.at(-1);
    if (last !== undefined && last.length + 1 + line.length <= max) out[out.length - 1] = `${last}\n${line}`;
    else out.push(line);
  }
  return out;
}

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
      // A field holds 1024 characters: the list goes into as many fields as it needs, whole lines each.
      fields: chunks(lines, 1024).map((value, i) => ({ name: i === 0 ? ctx.t('help.commands') : '\u200b', value })),
      footer: { text: ctx.t('help.footer', { min: DEFAULT_MIN_SCORE }) },
    }],
    ephemeral: true,
  });
}

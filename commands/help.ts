import type { CommandCtx, CommandModule } from '../src/interactions/command.ts';
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

/** The command list per loaded command set and locale: rendering every builder (toJSON) cost ~9 ms a call. */
const rendered = new WeakMap<readonly CommandModule[], Map<string, string[]>>();

function commandLines(commands: readonly CommandModule[], locale: string): string[] {
  let byLocale = rendered.get(commands);
  if (!byLocale) rendered.set(commands, (byLocale = new Map()));
  let lines = byLocale.get(locale);
  if (!lines) {
    lines = commands.map((c) => {
      const json = c.data.toJSON();
      const desc = locale === 'zh-CN' ? json.description_localizations?.['zh-CN'] ?? json.description : json.description;
      const subs = (json.options ?? []).filter((o) => o.type === 1 || o.type === 2).map((o) => o.name);
      return `**/${json.name}**${subs.length ? ` ${subs.join(' | ')}` : ''} — ${desc}`;
    });
    byLocale.set(locale, lines);
  }
  return lines;
}

export async function execute(ctx: CommandCtx): Promise<Reply> {
  const lines = commandLines(ctx.services.commands(), ctx.locale);
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

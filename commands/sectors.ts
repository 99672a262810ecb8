import type { CommandCtx } from '../src/interactions/command.ts';
import { command } from '../src/interactions/builders.ts';
import { message, type Reply } from '../src/interactions/reply.ts';
import { SECTORS, type SectorId } from '../src/domain/sectors.ts';
import { COLORS } from '../src/views/format.ts';

export const data = command('sectors', 'cmd.sectors');

export async function execute(ctx: CommandCtx): Promise<Reply> {
  const count = async (type: 'need' | 'capability') => {
    const ranker = await ctx.services.matcher.forGuild(ctx.dir);
    const tally = new Map<SectorId, number>();
    for (const e of await ctx.dir.list(type)) {
      const sectors = e.sectors?.length ? e.sectors : ranker.inferredSectors(type, e.id);
      for (const s of sectors) tally.set(s, (tally.get(s) ?? 0) + 1);
    }
    return tally;
  };
  const [needs, caps] = [await count('need'), await count('capability')];
  const zh = ctx.locale === 'zh-CN';
  return message({
    embeds: [{
      title: ctx.t('sectors.title'),
      color: COLORS.info,
      fields: SECTORS.map((s) => ({
        name: zh ? `${s.zh}（\`${s.id}\`）` : `${s.en} · ${s.zh} (\`${s.id}\`)`,
        value: `${zh ? s.description.zh : s.description.en}\n${ctx.t('sectors.line', { needs: needs.get(s.id) ?? 0, capabilities: caps.get(s.id) ?? 0 })}`,
      })),
    }],
  });
}

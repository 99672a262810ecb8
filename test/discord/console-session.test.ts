// The console session in process: forms asked field by field on a terminal, !pick by the number shown,
// one name for one person on cards and in the audit, and the console's own words in Chinese.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { ConsoleSession } from '../../src/discord/console.ts';
import { translate } from '../../src/i18n/index.ts';
import { demoApp, tempDir } from '../support.ts';

const GUILD = 'console-session';
let app: App;
let close: () => Promise<void>;
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  ({ app, close } = await demoApp(GUILD));
  (app.config as { LOCAL_GUILD_ID: string }).LOCAL_GUILD_ID = GUILD;
  tmp = tempDir();
});
afterAll(async () => {
  await close();
  tmp.cleanup();
});

/** A session whose terminal answers the form's questions from a list (undefined: input ended). */
function session(answers: (string | undefined)[] = [], locale = 'en-US') {
  const asked: string[] = [];
  const s = new ConsoleSession(app, tmp.dir, locale, answers.length ? async (q) => { asked.push(q); return answers.shift(); } : undefined);
  return { s, asked };
}

describe('forms on a terminal', () => {
  it('/need add with no fields asks each field, then saves as the form would', async () => {
    const { s, asked } = session(['终端表单需求', '某测试公司', '通过终端逐项填写的描述', 'fuel-cells', '耐久性']);
    const out = await s.handle('/need add');
    expect(asked).toHaveLength(5);
    expect(asked[0]).toContain(translate('en-US', 'console.formPrompt'));
    expect(asked[0]).toMatch(/Title\*: $/);
    const id = /Added (N-\d+)/.exec(out)?.[1];
    expect(id, out).toBeDefined();
    const saved = await app.services.directory.guild(GUILD).get('need', id!);
    expect(saved).toMatchObject({ title: '终端表单需求', org: '某测试公司', sectors: ['fuel-cells'], keywords: ['耐久性'] });
  });

  it('/need edit keeps a value on Enter; an empty required field cancels and saves nothing', async () => {
    const dir = app.services.directory.guild(GUILD);
    const before = (await dir.get('need', 'N-0001'))!;
    const { s, asked } = session(['', '', '', '', '']);
    const out = await s.handle('/need edit id:N-0001');
    expect(asked[0]).toContain(`[${before.title}]`);
    expect(out).toContain(translate('en-US', 'entry.unchanged', { id: 'N-0001' }));
    const add = session(['', '']);
    expect(await add.s.handle('/need add')).toBe(translate('en-US', 'console.formCancelled'));
    expect((await dir.list('need', { status: 'all' })).length).toBe((await dir.list('need', { status: 'all' })).length);
  });

  it('piped (no terminal): the form is shown and the console says to give options', async () => {
    const out = await session().s.handle('/need add title:only');
    expect(out).toContain(translate('en-US', 'console.formPiped'));
  });
});

describe('menus, names and language', () => {
  it('!pick N on page 2 opens the result numbered N as shown', async () => {
    const { s } = session();
    // Both languages: more than one page (8) of entries on the demo data.
    const first = await s.handle('/search query:电池 battery fuel cell');
    expect(first).toContain('!pick');
    const page2 = await s.handle('!2');
    const shown = /^\s+(\d+)\) (\S+) · /m.exec(page2.split('▾')[1] ?? '');
    expect(shown, page2).not.toBeNull();
    const [, n, id] = shown!;
    expect(Number(n)).toBeGreaterThan(8);
    expect(await s.handle(`!pick ${n}`)).toContain(` ${id} · `);
    expect(await s.handle('!pick 1')).toContain(translate('en-US', 'console.noOption', { n: '1' }));
  });

  it('the card\'s "Added by" and the audit name the same person', async () => {
    const { s } = session();
    const out = await s.handle('/need add title:署名一致 org:某公司 description:检查添加人与审计一致');
    const id = /Added (N-\d+)/.exec(out)![1]!;
    const card = await s.handle(`/need show id:${id}`);
    const who = /Added by: (.+)$/m.exec(card)?.[1];
    expect(who).toBe(`@${s.user.name}`);
    const audit = await s.handle('/audit limit:1');
    expect(audit).toContain(`Need ${id} · ${who}`);
  });

  it('in Chinese, the console\'s own words are Chinese with full-width punctuation', async () => {
    const { s } = session([], 'zh-CN');
    expect(await s.handle('!9')).toBe(`⚠️ ${translate('zh-CN', 'console.noButton', { n: 9 })}`);
    expect(await s.handle('/need edit id:N-0001 titel:x')).toMatch(/^⚠️ 未知选项“titel”：是否要输入“title”？/);
    const card = await s.handle('/need show id:N-0001');
    expect(card).toContain('单位：');
    expect(card).toMatch(/更新于 \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}（GMT\+8）/);
    expect(await s.handle('!lang fr')).toBe(`⚠️ ${translate('zh-CN', 'console.langUsage')}`);
  });
});

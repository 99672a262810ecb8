// /report through the dispatcher (real app, demo data, temp SQLite): PNG + CSV attached, figures from the
// store (carriers against targets, unmet needs from the engine), curators only; the weekly digest on a clock.
import { InteractionResponseType, type APIInteraction } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { translate } from '../../src/i18n/index.ts';
import type { OutFile, Reply } from '../../src/interactions/reply.ts';
import { silentLogger } from '../../src/log.ts';
import { periodOf, reportFigures } from '../../src/office/report.ts';
import { setSetting } from '../../src/office/settings.ts';
import { Sweeper } from '../../src/office/sweep.ts';
import { demoRunner, type Runner } from './runner.ts';
import { RecordingOutbox } from '../intro/outbox.ts';

const GUILD = '900000000000000031';
let runner: Runner;
let app: App;
let curator: Runner['curator'];
let member: Runner['member'];
const run = (line: string, who?: Runner['member']): Promise<Reply> => runner.run(line, who);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

beforeAll(async () => {
  runner = await demoRunner(GUILD, 'zh-CN');
  ({ app, curator, member } = runner);
  await run('/capability add title:"汽车零部件企业技术中心" org:"某汽车零部件公司" description:"底盘与轻量化研发" kind:enterprise-tech-center level:municipal');
  await run('/capability add title:"新材料重点实验室" org:"某大学" description:"高分子材料" kind:key-lab level:national');
  await run('/config target kind:enterprise-tech-center count:20');
  await run('/config target kind:key-lab count:2 level:national');
}, 60_000);
afterAll(() => runner.close());

describe('/report', () => {
  it('answers with the chart as PNG and the figures as CSV, in the asker\'s language', async () => {
    const reply = await run('/report period:quarter');
    expect(reply.body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    const files = reply.files as OutFile[];
    expect(files.map((f) => f.name.replace(/\d{4}-\d{2}-\d{2}/g, 'D'))).toEqual([`liaison-report-${GUILD}-D-D.png`, `liaison-report-${GUILD}-D-D.csv`]);
    expect(files[0]!.data.subarray(0, 8)).toEqual(PNG);
    expect(files[0]!.data.length).toBeGreaterThan(20_000);
    const csv = files[1]!.data.toString('utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('企业技术中心');
    const data = (reply.body as { data: { content: string; embeds: { description: string; fields: { value: string }[] }[] } }).data;
    const p = periodOf('quarter', new Date());
    expect(data.content).toBe(translate('zh-CN', 'report.done', p));
    const techCenters = (await app.services.directory.guild(GUILD).list('capability')).filter((c) => 'kind' in c && c.kind === 'enterprise-tech-center').length;
    expect(data.embeds[0]!.fields.map((f) => f.value).join('\n')).toContain(`${techCenters} / 20`);
  });

  it('counts carriers against targets and needs nobody suits as unmet, from the store', async () => {
    const g = app.services.directory.guild(GUILD);
    // A need no lab in the directory suits.
    await run('/need add title:"古籍宣纸脱酸修复" org:"某图书馆" description:"馆藏古籍纸张酸化发黄变脆，寻求整本脱酸与加固修复工艺" sectors:fine-chemicals');
    const f = await reportFigures(g, app.services.matcher, { period: periodOf('month', new Date()) });
    const caps = await g.list('capability');
    const of = (kind: string, level?: string) => caps.filter((c) => 'kind' in c && c.kind === kind && (!level || ('level' in c && c.level === level))).length;
    expect(of('key-lab', 'national')).toBe(1); // the demo's labs carry no level
    expect(f.targets).toEqual([
      { kind: 'enterprise-tech-center', target: 20, actual: of('enterprise-tech-center') },
      { kind: 'key-lab', level: 'national', target: 2, actual: 1 },
    ]);
    const needs = f.sectors.reduce((n, s) => n + s.needs, 0);
    const unmet = f.sectors.reduce((n, s) => n + s.unmetNeeds, 0);
    expect(needs).toBeGreaterThan(0);
    expect(unmet).toBeGreaterThan(0);
    expect(unmet).toBeLessThan(needs);
    const after = await reportFigures(g, app.services.matcher, { period: periodOf('month', new Date()), sector: 'fine-chemicals' });
    expect(after.sector).toBe('fine-chemicals');
    expect(after.sectors.map((s) => s.sector)).toEqual(['fine-chemicals']);
    expect(after.sectors[0]!.unmetNeeds).toBeGreaterThan(0);
  });

  it('a period or a sector Discord would not send is refused by name, with no file', async () => {
    const i = runner.interaction('/report period:week') as unknown as { data: { options: { name: string; value: string }[] } };
    i.data.options.find((o) => o.name === 'period')!.value = 'decade';
    const reply = await app.dispatcher.dispatch(i as unknown as APIInteraction);
    expect(reply.files ?? []).toEqual([]);
    expect(JSON.stringify(reply.body)).toContain(translate('zh-CN', 'error.unknownPeriod', { value: 'decade', periods: 'week, month, quarter, year' }));
  });

  it('is for curators: a member is refused and gets no file', async () => {
    const reply = await run('/report', member);
    expect(reply.files ?? []).toEqual([]);
    expect(JSON.stringify(reply.body)).toContain('⚠️');
  });
});

describe('the weekly digest', () => {
  it('posts the report to the office channel once every 7 days, only when turned on', async () => {
    const box = new RecordingOutbox();
    const posts = box.posts;
    let now = Date.parse('2027-01-04T09:00:00Z');
    const sweeper = new Sweeper(app.services.directory, app.services.matcher, silentLogger, { now: () => new Date(now) });
    sweeper.setOutbox(box);
    const g = app.services.directory.guild(GUILD);
    expect(await sweeper.digest(g)).toBe(false); // off
    await run('/config digest state:on');
    expect(await sweeper.digest(g)).toBe(false); // no office channel yet
    await setSetting(g, 'office-channel', '300000000000000001', { id: curator.id, name: 'c' }, new Date(now));
    const other = new Sweeper(app.services.directory, app.services.matcher, silentLogger, { now: () => new Date(now) });
    other.setOutbox(box);
    expect((await Promise.all([sweeper.digest(g), other.digest(g)])).filter(Boolean)).toHaveLength(1);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.channel).toBe('300000000000000001');
    expect(posts[0]!.body.content).toBe(translate('zh-CN', 'report.digest', { from: '2026-12-29', to: '2027-01-04' }));
    expect(posts[0]!.files.map((f) => f.contentType)).toEqual(['image/png', 'text/csv']);
    now += 6 * 86_400_000;
    expect(await sweeper.digest(g)).toBe(false);
    now += 86_400_000;
    expect(await sweeper.digest(g)).toBe(true);
    await run('/config digest state:off');
    now += 7 * 86_400_000;
    expect(await sweeper.digest(g)).toBe(false);
    expect(posts).toHaveLength(2);
  });
});

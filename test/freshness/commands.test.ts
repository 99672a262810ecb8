// /need renew, /config review-days · target · digest, carriers on /capability: through the dispatcher
// of the real app (demo data on a temp SQLite store), with the permission checks on every call.
import { InteractionResponseType, type APIInteraction } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { translate } from '../../src/i18n/index.ts';
import type { Reply } from '../../src/interactions/reply.ts';
import { targets } from '../../src/office/settings.ts';
import { reviewOf } from '../../src/freshness/review.ts';
import { parseLevel } from '../../src/views/parse.ts';
import { demoRunner, type Runner } from '../office/runner.ts';

const GUILD = '900000000000000021';
let runner: Runner;
let app: App;
let member: Runner['member'];
const run = (line: string, who?: Runner['member']): Promise<Reply> => runner.run(line, who);
function text(reply: Reply): string {
  const b = reply.body;
  if (b.type !== InteractionResponseType.ChannelMessageWithSource) throw new Error(`type ${b.type}`);
  return `${b.data?.content ?? ''} ${JSON.stringify(b.data?.embeds ?? [])}`;
}
const en = (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate('en-US', key, vars);

beforeAll(async () => {
  runner = await demoRunner(GUILD);
  ({ app, member } = runner);
});
afterAll(() => runner.close());

describe('/need renew', () => {
  it('the member who posted it renews it; the reply gives the new date', async () => {
    const g = app.services.directory.guild(GUILD);
    const e = await g.add('need', { org: 'Org', title: '微通道换热器流动沸腾', description: 'd' }, { id: member.id, name: member.name });
    const before = await reviewOf(g, 'need', e);
    const reply = text(await run(`/need renew id:${e.id}`, member));
    expect(reply).toContain(en('renew.done', { id: e.id, title: e.title, date: before.reviewBy }).slice(0, 12));
    expect(reply).toContain(before.reviewBy); // renewed the day it was posted: same date
  });

  it('another member may not renew it, a curator may; a closed posting is refused', async () => {
    const reply = text(await run('/need renew id:N-0001', member));
    expect(reply).toContain(en('renew.denied', { id: 'N-0001' }));
    expect(text(await run('/need renew id:N-0001'))).toContain('N-0001');
    await run('/need close id:N-0002');
    expect(text(await run('/need renew id:N-0002'))).toContain(en('renew.notOpen', { id: 'N-0002' }));
  });
});

describe('/config for the office', () => {
  it('review-days, target and digest need a curator', async () => {
    for (const line of ['/config review-days days:90', '/config target kind:enterprise-tech-center count:20', '/config digest state:on']) {
      expect(text(await run(line, member))).toContain('⚠️');
    }
    expect(await targets(app.services.directory.guild(GUILD))).toEqual([]);
  });

  it('sets, lists and removes targets, audited', async () => {
    expect(text(await run('/config target kind:enterprise-tech-center count:20'))).toContain(en('config.target', { kind: en('kind.enterprise-tech-center'), count: 20 }));
    await run('/config target kind:key-lab count:3 level:national');
    expect(await targets(app.services.directory.guild(GUILD))).toEqual([
      { kind: 'enterprise-tech-center', count: 20 }, { kind: 'key-lab', level: 'national', count: 3 },
    ]);
    expect(text(await run('/config targets', member))).toContain('20');
    expect(text(await run('/config target kind:key-lab count:0 level:national'))).toContain(en('config.targetRemoved', { kind: en('report.carrierLevel', { kind: en('kind.key-lab'), level: en('level.national') }) }));
    expect(text(await run('/config target kind:incubator count:0'))).toContain(en('config.targetNone', { kind: en('kind.incubator') }));
    const audit = await app.services.directory.guild(GUILD).auditLog(5);
    expect(audit.map((r) => r.summary)).toContain('target enterprise-tech-center 20');
  });

  it('review-days changes the period', async () => {
    expect(text(await run('/config review-days days:90'))).toContain(en('config.reviewDays', { days: 90 }));
    const g = app.services.directory.guild(GUILD);
    const e = (await g.get('need', 'N-0003'))!;
    expect((await reviewOf(g, 'need', e)).reviewBy).toBe(new Date(Date.parse(e.updatedAt) + 90 * 86_400_000).toISOString().slice(0, 10));
  });
});

describe('carriers on capabilities', () => {
  it('kind and level are saved, shown, exported and imported', async () => {
    const saved = text(await run('/capability add title:"成果转化中试基地" org:"某区科创中心" description:"中试放大与成果转化服务" kind:transfer-base level:国家级'));
    expect(saved).toContain(en('kind.transfer-base'));
    expect(saved).toContain(en('level.national'));
    const g = app.services.directory.guild(GUILD);
    const data = await g.exportDataset();
    expect(data.capabilities.find((c) => c.title === '成果转化中试基地')).toMatchObject({ kind: 'transfer-base', level: 'national' });
  });

  it('an unknown level is refused with the levels to use, and nothing is saved', async () => {
    const before = (await app.services.directory.guild(GUILD).counts()).capability.open;
    // The console refuses it as Discord would (not a choice); a raw interaction reaches the parser.
    expect(() => runner.interaction('/capability add title:"X" org:"Y" description:"Z" level:provincial')).toThrow(/notChoice/);
    const i = runner.interaction('/capability add title:"X" org:"Y" description:"Z" level:district') as unknown as { data: { options: { options: { name: string; value: string }[] }[] } };
    i.data.options[0]!.options.find((o) => o.name === 'level')!.value = 'provincial';
    expect(text(await app.dispatcher.dispatch(i as unknown as APIInteraction))).toContain(en('error.unknownLevel', { value: 'provincial', levels: 'national, municipal, district' }));
    expect((await app.services.directory.guild(GUILD).counts()).capability.open).toBe(before);
    expect(parseLevel('市级')).toBe('municipal');
  });
});

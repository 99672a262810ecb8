// Posting review dates: reminders 14 and 3 days before, expiry after, renew, the configurable period —
// a real SQLite store, the sweep on an injected clock, a recording outbox.
import type { RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.ts';
import { translate } from '../../src/i18n/index.ts';
import type { Outbox } from '../../src/office/outbox.ts';
import { SYSTEM, Sweeper } from '../../src/office/sweep.ts';
import { setSetting } from '../../src/office/settings.ts';
import { renewPosting, reviewOf } from '../../src/freshness/review.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { Directory } from '../../src/store/directory.ts';
import { sqliteUrl, tempDir } from '../support.ts';
import { MatchService } from '../../src/match/service.ts';
import { createRanker } from '../../src/match/engine.ts';

const matcher = new MatchService(createRanker);

const OWNER = '100000000000000001';
const OFFICE = '300000000000000009';
const GUILD = 'g1';
const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T08:00:00Z');

let tmp: ReturnType<typeof tempDir>;
let stores: Store[];
let dirs: Directory[];
let at: number;
const clock = () => new Date(at);
const day = (n: number) => (at = T0 + n * DAY);

async function open(): Promise<Directory> {
  const store = await openStore(sqliteUrl(tmp.dir));
  stores.push(store);
  const d = new Directory(store, clock, { pollMs: 0 });
  dirs.push(d);
  return d;
}

/** fail: DMs closed, as Discord's REST error 50007 (thrown) — the REST outbox turns it into false. */
function recorder(fail = false) {
  const dms: { user: string; body: RESTPostAPIChannelMessageJSONBody }[] = [];
  const posts: { channel: string; body: RESTPostAPIChannelMessageJSONBody }[] = [];
  const outbox: Outbox = {
    dm: async (user, body) => {
      if (fail) throw Object.assign(new Error('Cannot send messages to this user'), { code: 50007 });
      dms.push({ user, body });
      return true;
    },
    post: async (channel, body) => void posts.push({ channel, body }),
    privateThread: async () => '0',
    addThreadMember: async () => {},
  };
  return { dms, posts, outbox };
}

/** A logger that keeps its lines. */
function recordingLog() {
  const lines: { level: string; msg: string; ctx?: Record<string, unknown> }[] = [];
  const at = (level: string) => (msg: string, ctx?: Record<string, unknown>) => void lines.push({ level, msg, ...(ctx ? { ctx } : {}) });
  return { lines, log: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

beforeEach(() => {
  tmp = tempDir();
  stores = [];
  dirs = [];
  day(0);
});
afterEach(async () => {
  for (const d of dirs) await d.close();
  for (const s of stores) await s.close();
  tmp.cleanup();
});

describe('posting review sweep', () => {
  it('reminds the owner 14 and 3 days before, once each, then closes the posting (audited, system actor)', async () => {
    const dir = await open();
    const g = dir.guild(GUILD);
    const need = await g.add('need', { org: 'Org', title: '配电网故障定位', description: 'd' }, { id: OWNER, name: 'owner' });
    const { dms, outbox } = recorder();
    const sweeper = new Sweeper(dir, matcher, silentLogger, { now: clock });
    sweeper.setOutbox(outbox);

    day(165);
    expect(await sweeper.sweepGuild(g)).toEqual({ reminded: [], expired: [] });
    day(166);
    expect((await sweeper.sweepGuild(g)).reminded).toEqual([need.id]);
    expect(await sweeper.sweepGuild(g)).toEqual({ reminded: [], expired: [] });
    expect(dms).toHaveLength(1);
    expect(dms[0]!.user).toBe(OWNER);
    const text = JSON.stringify(dms[0]!.body);
    expect(text).toContain('/need renew id:N-0001');
    expect(text).toContain('2026-06-30');
    day(177);
    expect((await sweeper.sweepGuild(g)).reminded).toEqual([need.id]);
    expect(dms).toHaveLength(2);
    day(180);
    expect((await sweeper.sweepGuild(g)).expired).toEqual([]);
    day(181);
    expect((await sweeper.sweepGuild(g)).expired).toEqual([need.id]);
    expect((await g.get('need', need.id))?.status).toBe('closed');
    const [audit] = await g.auditLog(1);
    expect(audit).toMatchObject({ action: 'expire', actor: SYSTEM, id: need.id });
    expect(dms).toHaveLength(2);
  });

  it('sends each reminder once when two workers sweep at the same moment', async () => {
    const a = await open();
    const b = await open();
    await a.guild(GUILD).add('need', { org: 'Org', title: 'A', description: 'd' }, { id: OWNER, name: 'owner' });
    const ra = recorder();
    const rb = recorder();
    const sa = new Sweeper(a, matcher, silentLogger, { now: clock });
    const sb = new Sweeper(b, matcher, silentLogger, { now: clock });
    sa.setOutbox(ra.outbox);
    sb.setOutbox(rb.outbox);
    day(170);
    await Promise.all([sa.runAll(), sb.runAll()]);
    expect(ra.dms.length + rb.dms.length).toBe(1);
    day(200);
    await Promise.all([sa.runAll(), sb.runAll()]);
    expect((await a.guild(GUILD).get('need', 'N-0001'))?.status).toBe('closed');
    expect((await a.guild(GUILD).auditLog(5)).filter((r) => r.action === 'expire')).toHaveLength(1);
  });

  it('closed DMs and no office channel: not delivered, one warning per person per day; the sweep goes on; imported postings without a member are not DMed', async () => {
    const dir = await open();
    const g = dir.guild(GUILD);
    await g.add('need', { org: 'Org', title: 'A', description: 'd' }, { id: OWNER, name: 'owner' });
    await g.add('need', { org: 'Org', title: 'B', description: 'd' }, { id: OWNER, name: 'owner' });
    await g.add('need', { org: 'Org', title: 'C', description: 'd' }, { id: 'cli', name: 'cli' });
    const failing = recorder(true);
    const { lines, log } = recordingLog();
    const sweeper = new Sweeper(dir, matcher, log, { now: clock });
    sweeper.setOutbox(failing.outbox);
    day(170);
    expect((await sweeper.sweepGuild(g)).reminded).toEqual(['N-0001', 'N-0002', 'N-0003']);
    expect(failing.posts).toEqual([]);
    const warned = lines.filter((l) => l.level === 'warn' && l.msg.includes('no office channel'));
    expect(warned.map((l) => l.ctx?.user)).toEqual([OWNER]); // two reminders, one warning that day
    expect((await g.auditLog(10)).filter((r) => r.action === 'notify')).toEqual([]);
    day(178);
    await sweeper.sweepGuild(g);
    expect(lines.filter((l) => l.level === 'warn' && l.msg.includes('no office channel'))).toHaveLength(2); // a new day
    day(181);
    expect((await sweeper.sweepGuild(g)).expired).toEqual(['N-0001', 'N-0002', 'N-0003']);
  });

  it('closed DMs with an office channel: the same bilingual reminder pings the owner there, logged and audited', async () => {
    const dir = await open();
    const g = dir.guild(GUILD);
    await g.add('need', { org: 'Org', title: '配电网故障定位', description: 'd', contact: 'secret@example.com' }, { id: OWNER, name: 'owner' });
    await g.setSetting('officeChannel', OFFICE, { id: OWNER, name: 'owner' });
    const failing = recorder(true);
    const { lines, log } = recordingLog();
    const sweeper = new Sweeper(dir, matcher, log, { now: clock });
    sweeper.setOutbox(failing.outbox);
    day(170);
    expect((await sweeper.sweepGuild(g)).reminded).toEqual(['N-0001']);
    expect(failing.posts.map((p) => p.channel)).toEqual([OFFICE]);
    const body = failing.posts[0]!.body;
    expect(body.content).toBe(`<@${OWNER}>`);
    expect(body.allowed_mentions).toEqual({ parse: [], users: [OWNER], roles: [] });
    const text = JSON.stringify(body);
    expect(text).toContain(translate('zh-CN', 'review.reminder', { id: 'N-0001', title: '配电网故障定位', date: '2026-06-30', count: 10, type: 'need', guild: GUILD }));
    expect(text).toContain('/need renew id:N-0001');
    expect(text).not.toContain('secret@example.com');
    expect(lines.find((l) => l.msg === 'DM fell back to the office channel')?.ctx).toMatchObject({ user: OWNER, channel: OFFICE, what: 'review reminder N-0001' });
    const [audit] = (await g.auditLog(5)).filter((r) => r.action === 'notify');
    expect(audit).toMatchObject({ actor: SYSTEM, type: 'need', id: 'N-0001' });
    expect(audit!.summary).toContain(OFFICE);
    expect(lines.some((l) => l.level === 'warn')).toBe(false);
  });

  it('renew starts a fresh period (audited) and an edit counts as one; closed postings cannot be renewed', async () => {
    const dir = await open();
    const g = dir.guild(GUILD);
    await g.add('need', { org: 'Org', title: 'A', description: 'd' }, { id: OWNER, name: 'owner' });
    await g.add('need', { org: 'Org', title: 'B', description: 'd' }, { id: OWNER, name: 'owner' });
    const sweeper = new Sweeper(dir, matcher, silentLogger, { now: clock });
    day(170);
    await sweeper.sweepGuild(g);
    const renewed = await renewPosting(g, 'need', 'N-0001', { id: OWNER, name: 'owner' }, clock());
    expect(renewed).toEqual({ reviewBy: '2026-12-17', reminded: [] });
    expect((await g.auditLog(1))[0]).toMatchObject({ action: 'renew', id: 'N-0001', changes: { reviewBy: ['2026-06-30', '2026-12-17'] } });
    await g.edit('need', 'N-0002', { description: 'still looking' }, { id: OWNER, name: 'owner' });
    expect((await reviewOf(g, 'need', (await g.get('need', 'N-0002'))!)).reviewBy).toBe('2026-12-17');
    day(181);
    expect((await sweeper.sweepGuild(g)).expired).toEqual([]);
    day(351);
    expect((await sweeper.sweepGuild(g)).expired).toEqual(['N-0001', 'N-0002']);
    await expect(renewPosting(g, 'need', 'N-0001', { id: OWNER, name: 'owner' }, clock())).rejects.toMatchObject({ key: 'renew.notOpen' });
  });

  it('/config review-days moves every posting not renewed since', async () => {
    const dir = await open();
    const g = dir.guild(GUILD);
    await g.add('need', { org: 'Org', title: 'A', description: 'd' }, { id: OWNER, name: 'owner' });
    await setSetting(g, 'review-days', '30', { id: OWNER, name: 'owner' }, clock());
    const sweeper = new Sweeper(dir, matcher, silentLogger, { now: clock });
    day(31);
    expect((await sweeper.sweepGuild(g)).expired).toEqual(['N-0001']);
  });
});

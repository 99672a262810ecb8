// Watch delivery per watch: in the channel (as before), by DM, or gathered into one DM a day.
import type { RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/index.ts';
import { Sweeper } from '../../src/office/sweep.ts';
import type { Outbox } from '../../src/office/outbox.ts';
import { silentLogger } from '../../src/log.ts';
import { FIRM, GUILD, LAB, harness, textOf, type Harness } from '../intro/harness.ts';

let h: Harness;
const posts: { channel: string; body: RESTPostAPIChannelMessageJSONBody }[] = [];
const dms: { user: string; body: RESTPostAPIChannelMessageJSONBody }[] = [];
const closed = new Set<string>();
const outbox: Outbox = {
  dm: async (user, body) => !closed.has(user) && (dms.push({ user, body }), true),
  post: async (channel, body) => void posts.push({ channel, body }),
  privateThread: async () => '0',
  addThreadMember: async () => {},
};

beforeAll(async () => {
  h = await harness();
  h.app.services.watcher.setNotifier(async (channel, body) => void posts.push({ channel, body }));
  h.app.services.watcher.setOutbox(outbox);
}, 60_000);
afterAll(() => h.close());

const twin = async (needId: string) => {
  const g = h.app.services.directory.guild(GUILD);
  const n = (await g.get('need', needId))!;
  await g.add('capability', { org: 'Twin lab', title: n.title, description: n.description, ...(n.sectors ? { sectors: n.sectors } : {}) }, { id: LAB, name: 'lab' });
  await h.app.services.watcher.check(g);
};

describe('watch delivery', () => {
  it('dm: new partners come by DM to the watcher, not in the channel', async () => {
    expect(textOf(await h.cmd('/watch need id:N-0004 delivery:dm', { user: FIRM }))).toContain(translate('en-US', 'watch.addedDm', { id: 'N-0004', title: '', min: 0.5 }).split('·')[0]!);
    await twin('N-0004');
    expect(dms.map((d) => d.user)).toEqual([FIRM]);
    expect(JSON.stringify(dms[0]!.body)).toContain('N-0004');
    expect(posts).toEqual([]);
  });

  it('digest: partners wait, then one DM a day lists them; the next sweep that day sends nothing', async () => {
    dms.length = 0;
    await h.cmd('/watch need id:N-0005 delivery:digest', { user: FIRM });
    await twin('N-0005');
    expect(dms).toEqual([]);
    const sweeper = new Sweeper(h.app.services.directory, h.app.services.matcher, silentLogger, { now: () => new Date('2030-01-01T09:00:00Z') });
    sweeper.setOutbox(outbox);
    const g = h.app.services.directory.guild(GUILD);
    expect(await sweeper.watchDigests(g)).toBe(1);
    expect(dms.map((d) => d.user)).toEqual([FIRM]);
    expect(JSON.stringify(dms[0]!.body)).toContain(translate('en-US', 'watch.digestTitle'));
    expect(JSON.stringify(dms[0]!.body)).toContain('N-0005');
    expect(await sweeper.watchDigests(g)).toBe(0);
    expect(await sweeper.watchDigests(g, new Date('2030-01-02T09:00:00Z'))).toBe(0); // nothing new waiting
  });

  it('channel stays the default; a delivery that is not one of the choices is refused', async () => {
    posts.length = 0;
    await h.cmd('/watch need id:N-0006', { user: FIRM });
    await twin('N-0006');
    expect(posts.map((p) => p.channel)).toHaveLength(1);
    await expect(h.cmd('/watch need id:N-0006 delivery:pigeon', { user: FIRM })).rejects.toThrow(/notChoice/);
  });

  it('closed DMs: the digest pings the watcher in the office channel instead (DM-then-fallback of src/office/outbox.ts)', async () => {
    const OFFICE = '700000000000000002';
    await h.cmd(`/config office-channel channel:<#${OFFICE}>`);
    await h.cmd('/watch need id:N-0007 delivery:digest', { user: FIRM });
    await twin('N-0007');
    dms.length = 0;
    posts.length = 0;
    closed.add(FIRM);
    const sweeper = new Sweeper(h.app.services.directory, h.app.services.matcher, silentLogger, { now: () => new Date('2030-01-03T09:00:00Z') });
    sweeper.setOutbox(outbox);
    expect(await sweeper.watchDigests(h.app.services.directory.guild(GUILD))).toBe(1);
    closed.delete(FIRM);
    expect(dms).toEqual([]);
    expect(posts.map((p) => p.channel)).toEqual([OFFICE]);
    expect(posts[0]!.body.content).toBe(`<@${FIRM}>`);
    expect(JSON.stringify(posts[0]!.body)).toContain('N-0007');
  });
});

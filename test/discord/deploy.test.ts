// deploy-commands against the fake Discord: the PUT body passes Discord's schema, every command
// and option is described in Chinese too, admin commands are hidden by default, all are guild-only.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InteractionContextType, PermissionFlagsBits } from 'discord-api-types/v10';
import { parseConfig, type Config } from '../../src/config.ts';
import { deployCommands } from '../../src/discord/deploy.ts';
import { loadCommands } from '../../src/interactions/loader.ts';
import { FakeDiscord } from '../fake-discord/server.ts';
import { validateCommandsPut } from '../fake-discord/schema.ts';

const ADMIN = ['import', 'config', 'audit', 'review', 'report'];

interface Described {
  name: string;
  description?: string;
  description_localizations?: Record<string, string> | null;
  options?: Described[];
}

/** Every command and every option at any depth, with a readable path. */
function walk(items: readonly Described[], prefix = ''): { path: string; item: Described }[] {
  return items.flatMap((item) => {
    const path = `${prefix}/${item.name}`;
    return [{ path, item }, ...walk(item.options ?? [], path)];
  });
}

describe('deploy-commands', () => {
  let fake: FakeDiscord;
  let config: Config;

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    config = parseConfig({
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiBase,
      STORE_URL: 'memory:',
      LOG_LEVEL: 'silent',
    });
  });
  afterEach(() => {
    try {
      expect(fake.schemaErrors).toEqual([]);
    } finally {
      fake.clearLogs();
    }
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('registers every command globally with a body Discord accepts', async () => {
    const modules = await loadCommands();
    const n = await deployCommands(config);
    expect(n).toBe(modules.length);
    expect(fake.globalCommands.map((c) => c.name).sort()).toEqual(modules.map((m) => m.data.name).sort());

    const put = fake.requests.find((r) => r.method === 'PUT');
    expect(put?.path).toBe(`/applications/${fake.applicationId}/commands`);
    expect(put?.status).toBe(200);
    expect(validateCommandsPut(put?.body)).toEqual([]);

    const body = put?.body as (Described & { default_member_permissions?: string | null; contexts?: number[] })[];
    for (const { path, item } of walk(body)) {
      expect({ path, zh: Boolean(item.description_localizations?.['zh-CN']) }).toEqual({ path, zh: true });
    }
    for (const cmd of body) {
      expect({ name: cmd.name, contexts: cmd.contexts }).toEqual({ name: cmd.name, contexts: [InteractionContextType.Guild] });
      const perms = cmd.default_member_permissions;
      if (ADMIN.includes(cmd.name)) expect({ name: cmd.name, perms }).toEqual({ name: cmd.name, perms: String(PermissionFlagsBits.ManageGuild) });
      else expect({ name: cmd.name, perms: perms ?? null }).toEqual({ name: cmd.name, perms: null });
    }
  });

  it('registers in one guild with --guild, and a second run keeps the ids', async () => {
    const n = await deployCommands(config, fake.guildId);
    const first = fake.guildCommands.get(fake.guildId)?.map((c) => c.id);
    expect(first).toHaveLength(n);
    await deployCommands(config, fake.guildId);
    expect(fake.guildCommands.get(fake.guildId)?.map((c) => c.id)).toEqual(first);
    expect(fake.requests.filter((r) => r.method === 'PUT').every((r) => r.path === `/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`)).toBe(true);
  });

  it('says clearly what is missing or wrong', async () => {
    const { DISCORD_TOKEN: _t, ...noToken } = config;
    await expect(deployCommands(noToken as Config)).rejects.toThrow(/DISCORD_TOKEN/);
    const { DISCORD_APPLICATION_ID: _a, ...noApp } = config;
    await expect(deployCommands(noApp as Config)).rejects.toThrow(/DISCORD_APPLICATION_ID/);
    await expect(deployCommands(config, 'my-server')).rejects.toThrow(/--guild/);
    await expect(deployCommands({ ...config, DISCORD_TOKEN: 'not-the-token' })).rejects.toThrow(/401.*DISCORD_TOKEN/);
    expect(fake.requests.filter((r) => r.method === 'PUT' && r.status === 200)).toHaveLength(0);
  });
});

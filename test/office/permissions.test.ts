// The office channel's permission arithmetic (Discord's documented order: base from @everyone and roles,
// Administrator = all, then overwrites for @everyone, the member's roles, the member).
import { describe, expect, it } from 'vitest';
import { PermissionFlagsBits as F } from 'discord-api-types/v10';
import { BOT_NEEDS, BROKER_NEEDS, channelBits, missing } from '../../src/office/permissions.ts';

const G = '1';
const roles = [
  { id: G, permissions: String(F.ViewChannel | F.SendMessages) },
  { id: 'bot', permissions: String(F.CreatePrivateThreads | F.SendMessagesInThreads) },
  { id: 'mods', permissions: String(F.ManageThreads) },
  { id: 'admin', permissions: String(F.Administrator) },
];

describe('channelBits and missing', () => {
  it('a bot with its role and no overwrites has what the office needs; a plain role lacks Manage Threads', () => {
    expect(missing(channelBits(G, roles, ['bot'], [], 'me'), BOT_NEEDS)).toEqual([]);
    expect(missing(channelBits(G, roles, [], []), BROKER_NEEDS)).toEqual(['perm.manageThreads']);
    expect(missing(channelBits(G, roles, ['mods'], []), BROKER_NEEDS)).toEqual([]);
  });

  it('overwrites apply in order: @everyone deny, a role allow, a member deny; Administrator ignores them', () => {
    const denyEveryone = { id: G, type: 0, allow: '0', deny: String(F.ViewChannel | F.CreatePrivateThreads) };
    expect(missing(channelBits(G, roles, ['bot'], [denyEveryone], 'me'), BOT_NEEDS)).toEqual(['perm.viewChannel', 'perm.createPrivateThreads']);
    const allowBot = { id: 'bot', type: 0, allow: String(F.ViewChannel | F.CreatePrivateThreads), deny: '0' };
    expect(missing(channelBits(G, roles, ['bot'], [denyEveryone, allowBot], 'me'), BOT_NEEDS)).toEqual([]);
    const denyMe = { id: 'me', type: 1, allow: '0', deny: String(F.SendMessagesInThreads) };
    expect(missing(channelBits(G, roles, ['bot'], [denyEveryone, allowBot, denyMe], 'me'), BOT_NEEDS)).toEqual(['perm.sendMessagesInThreads']);
    expect(missing(channelBits(G, roles, ['admin'], [denyEveryone, denyMe], 'me'), BOT_NEEDS)).toEqual([]);
  });
});

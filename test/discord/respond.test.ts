// The transport-neutral timing helper with a recording Sender: which request carries the reply.
import { describe, expect, it } from 'vitest';
import { InteractionResponseType, InteractionType, MessageFlags, type APIInteraction } from 'discord-api-types/v10';
import { respond, type Sender } from '../../src/discord/respond.ts';
import { en } from '../../src/i18n/en.ts';
import { zhCN } from '../../src/i18n/zh-CN.ts';
import { choices, message, modal, update, type Reply } from '../../src/interactions/reply.ts';
import { createLogger } from '../../src/log.ts';
import { sleep } from './helpers.ts';

const DEFER = 30;

function recorder(fail: Partial<Record<keyof Sender, boolean>> = {}) {
  const calls: { kind: keyof Sender; body: Record<string, unknown>; files: number }[] = [];
  const rec = (kind: keyof Sender) => async (body: unknown, files?: unknown[]) => {
    calls.push({ kind, body: body as Record<string, unknown>, files: files?.length ?? 0 });
    if (fail[kind]) throw new Error(`${kind} refused`);
  };
  const sender: Sender = { callback: rec('callback'), edit: rec('edit'), followup: rec('followup'), remove: rec('remove') as Sender['remove'] };
  return { calls, sender };
}

function logger() {
  const lines: string[] = [];
  return { lines, log: createLogger('debug', (l) => lines.push(l)) };
}

const interaction = (type: InteractionType, locale = 'en-US') =>
  ({ id: '1', application_id: '2', token: 't', type, locale, version: 1 }) as unknown as APIInteraction;
const after = (ms: number, reply: Reply) => async () => (await sleep(ms), reply);
const hello = message({ content: 'hello', ephemeral: true });

describe('respond', () => {
  it('a quick reply is the callback itself', async () => {
    const { calls, sender } = recorder();
    const out = await respond(interaction(InteractionType.ApplicationCommand), after(0, hello), sender, { deferAfterMs: DEFER, log: logger().log });
    expect(out).toBe('replied');
    expect(calls).toEqual([{ kind: 'callback', body: hello.body, files: 0 }]);
  });

  it('a slow command: deferred (5), then an edit without flags', async () => {
    const { calls, sender } = recorder();
    const withFile = message({ content: 'file', files: [{ name: 'a.json', data: Buffer.from('{}') }] });
    const out = await respond(interaction(InteractionType.ApplicationCommand), after(DEFER * 3, withFile), sender, { deferAfterMs: DEFER, log: logger().log });
    expect(out).toBe('deferred');
    expect(calls.map((c) => c.kind)).toEqual(['callback', 'edit']);
    expect(calls[0]!.body).toEqual({ type: InteractionResponseType.DeferredChannelMessageWithSource });
    expect(calls[1]!.body.flags).toBeUndefined();
    expect(calls[1]!.body.content).toBe('file');
    expect(calls[1]!.files).toBe(1);
  });

  it('a slow ephemeral reply stays private: the public deferral is deleted and an ephemeral follow-up sent', async () => {
    const { calls, sender } = recorder();
    const withFile = message({ content: 'file', files: [{ name: 'a.json', data: Buffer.from('{}') }], ephemeral: true });
    const out = await respond(interaction(InteractionType.ApplicationCommand), after(DEFER * 3, withFile), sender, { deferAfterMs: DEFER, log: logger().log });
    expect(out).toBe('deferred');
    expect(calls.map((c) => c.kind)).toEqual(['callback', 'remove', 'followup']);
    expect(calls[2]!.body.flags).toBe(MessageFlags.Ephemeral);
    expect(calls[2]!.files).toBe(1);
  });

  it('when the deferral cannot be deleted, the ephemeral reply still arrives as an edit', async () => {
    const { calls, sender } = recorder({ remove: true });
    await respond(interaction(InteractionType.ApplicationCommand), after(DEFER * 3, hello), sender, { deferAfterMs: DEFER, log: logger().log });
    expect(calls.map((c) => c.kind)).toEqual(['callback', 'remove', 'edit']);
  });

  it('a slow component: deferred update (6); an update edits, a new message follows up with its flags', async () => {
    const a = recorder();
    await respond(interaction(InteractionType.MessageComponent), after(DEFER * 3, update({ content: 'page 2' })), a.sender, { deferAfterMs: DEFER, log: logger().log });
    expect(a.calls.map((c) => [c.kind, c.body.type ?? c.body.content])).toEqual([['callback', InteractionResponseType.DeferredMessageUpdate], ['edit', 'page 2']]);
    const b = recorder();
    await respond(interaction(InteractionType.MessageComponent), after(DEFER * 3, hello), b.sender, { deferAfterMs: DEFER, log: logger().log });
    expect(b.calls.map((c) => c.kind)).toEqual(['callback', 'followup']);
    expect(b.calls[1]!.body.flags).toBe(MessageFlags.Ephemeral);
  });

  it('a slow modal submit is deferred like a command', async () => {
    const { calls, sender } = recorder();
    await respond(interaction(InteractionType.ModalSubmit), after(DEFER * 3, hello), sender, { deferAfterMs: DEFER, log: logger().log });
    expect(calls.map((c) => c.kind)).toEqual(['callback', 'remove', 'followup']);
    expect(calls[0]!.body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
  });

  it('autocomplete is never deferred: answered in time, dropped when late', async () => {
    const quick = recorder();
    expect(await respond(interaction(InteractionType.ApplicationCommandAutocomplete), after(DEFER * 2, choices([])), quick.sender, { deferAfterMs: DEFER, log: logger().log })).toBe('replied');
    expect(quick.calls.map((c) => c.body.type)).toEqual([InteractionResponseType.ApplicationCommandAutocompleteResult]);
    const late = recorder();
    const { lines, log } = logger();
    expect(await respond(interaction(InteractionType.ApplicationCommandAutocomplete), after(60, choices([])), late.sender, { deferAfterMs: 10, replyDeadlineMs: 40, log })).toBe('dropped');
    expect(late.calls).toEqual([]);
    expect(lines.some((l) => l.includes('WARN answer too late'))).toBe(true);
  });

  it('a crashing dispatch is logged and answered with the apology in the user\'s language', async () => {
    const { calls, sender } = recorder();
    const { lines, log } = logger();
    await respond(interaction(InteractionType.ApplicationCommand, 'zh-CN'), async () => { throw new Error('boom'); }, sender, { deferAfterMs: DEFER, log });
    const content = String((calls[0]!.body.data as { content: string }).content);
    expect(content).toContain(String(zhCN['error.internal']).split('{ref}')[0]!);
    const logged = lines.find((l) => l.includes('ERROR dispatch failed') && l.includes('boom'));
    const ref = /"ref":"([0-9a-f]{8})"/.exec(logged ?? '')?.[1];
    expect(ref).toBeDefined();
    expect(content).toContain(ref!); // the user can quote what the log holds
  });

  it('a modal that comes too late replaces the deferred message with the apology', async () => {
    const { calls, sender } = recorder();
    const { log } = logger();
    await respond(interaction(InteractionType.ApplicationCommand), after(DEFER * 3, modal('x:y', 'Title', [{ id: 'a', label: 'A' }])), sender, { deferAfterMs: DEFER, log });
    expect(calls.map((c) => c.kind)).toEqual(['callback', 'remove', 'followup']);
    expect(String(calls[2]!.body.content)).toContain(en['error.internal'].split('{ref}')[0]!);
  });

  it('when the deferred callback is refused, no edit is attempted', async () => {
    const { calls, sender } = recorder({ callback: true });
    const { lines, log } = logger();
    expect(await respond(interaction(InteractionType.ApplicationCommand), after(DEFER * 3, hello), sender, { deferAfterMs: DEFER, log })).toBe('failed');
    expect(calls.map((c) => c.kind)).toEqual(['callback']);
    expect(lines.some((l) => l.includes('ERROR deferred callback failed'))).toBe(true);
  });
});

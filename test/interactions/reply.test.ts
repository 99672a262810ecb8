import { InteractionResponseType, MessageFlags, type APIEmbed } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS as L } from '../../src/interactions/limits.ts';
import { button, choices, fitEmbed, message, modal, row, update } from '../../src/interactions/reply.ts';
import { clip, safeText, truncate } from '../../src/interactions/text.ts';

const chars = (s: string | undefined) => Array.from(s ?? '').length;
const total = (e: APIEmbed) =>
  chars(e.title) + chars(e.description) + chars(e.footer?.text) + chars(e.author?.name) +
  (e.fields ?? []).reduce((n, f) => n + chars(f.name) + chars(f.value), 0);

function expectWithinLimits(e: APIEmbed) {
  expect(chars(e.title)).toBeLessThanOrEqual(L.embedTitle);
  expect(chars(e.description)).toBeLessThanOrEqual(L.embedDescription);
  expect(chars(e.footer?.text)).toBeLessThanOrEqual(L.embedFooter);
  expect(chars(e.author?.name)).toBeLessThanOrEqual(L.embedTitle);
  expect((e.fields ?? []).length).toBeLessThanOrEqual(L.embedFields);
  for (const f of e.fields ?? []) {
    expect(chars(f.name)).toBeGreaterThan(0);
    expect(chars(f.name)).toBeLessThanOrEqual(L.embedFieldName);
    expect(chars(f.value)).toBeGreaterThan(0);
    expect(chars(f.value)).toBeLessThanOrEqual(L.embedFieldValue);
  }
  expect(total(e)).toBeLessThanOrEqual(L.embedTotal);
}

describe('truncate and clip', () => {
  it('keeps short text as it is and cuts long text with "…" to exactly the limit', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('x'.repeat(10), 10)).toBe('x'.repeat(10));
    expect(truncate('x'.repeat(11), 10)).toBe('x'.repeat(9) + '…');
    // counts characters, never splits a surrogate pair
    const emoji = '😀'.repeat(5);
    expect(truncate(emoji, 3)).toBe('😀😀…');
  });
  it('neutralises mass mentions and caps content at the message limit', () => {
    expect(safeText('hi @everyone and @here')).toBe('hi @\u200beveryone and @\u200bhere');
    expect(safeText('mail me@example.com')).toBe('mail me@example.com');
    const c = clip('y'.repeat(L.content * 2));
    expect(chars(c)).toBe(L.content);
    expect(c.endsWith('…')).toBe(true);
  });
});

describe('fitEmbed', () => {
  it('leaves an embed within the limits untouched', () => {
    const e: APIEmbed = { title: 'T', description: 'D', fields: [{ name: 'n', value: 'v', inline: true }], footer: { text: 'f' }, color: 1 };
    expect(fitEmbed(e)).toEqual(e);
  });

  it('cuts a huge title, description, author, footer and fields to Discord limits, marking every cut', () => {
    const huge: APIEmbed = {
      title: '标'.repeat(L.embedTitle * 3),
      description: 'd'.repeat(L.embedDescription * 3),
      author: { name: 'a'.repeat(L.embedTitle + 5) },
      footer: { text: 'f'.repeat(L.embedFooter + 5) },
      fields: Array.from({ length: L.embedFields + 10 }, (_, i) => ({ name: `${i}`.repeat(L.embedFieldName + 1), value: 'v'.repeat(L.embedFieldValue * 2) })),
    };
    const e = fitEmbed(huge);
    expectWithinLimits(e);
    expect(e.title).toHaveLength(L.embedTitle);
    expect(e.title!.endsWith('…')).toBe(true);
    expect(e.description!.endsWith('…')).toBe(true);
    expect(e.author!.name.endsWith('…')).toBe(true);
    expect(e.footer!.text.endsWith('…')).toBe(true);
    for (const f of e.fields ?? []) {
      expect(f.name.endsWith('…')).toBe(true);
      expect(f.value.endsWith('…')).toBe(true);
    }
    expect(huge.title).toHaveLength(L.embedTitle * 3); // the input is not changed
  });

  it('keeps the total within budget by shortening the description first, then dropping fields', () => {
    const e = fitEmbed({ title: 't'.repeat(200), description: 'd'.repeat(L.embedDescription), fields: [{ name: 'n', value: 'v'.repeat(L.embedFieldValue) }, { name: 'm', value: 'w'.repeat(L.embedFieldValue) }] });
    expectWithinLimits(e);
    expect(e.fields).toHaveLength(2);
    expect(e.description!.endsWith('…')).toBe(true);

    const fieldsOnly = fitEmbed({ fields: Array.from({ length: L.embedFields }, (_, i) => ({ name: `f${i}`, value: 'v'.repeat(L.embedFieldValue) })) });
    expectWithinLimits(fieldsOnly);
    expect(fieldsOnly.fields!.length).toBeLessThan(L.embedFields);
    expect(fieldsOnly.fields![0]!.name).toBe('f0');
  });

  it('gives empty field names and values a visible placeholder Discord accepts', () => {
    const e = fitEmbed({ fields: [{ name: '', value: '' }] });
    expect(e.fields).toEqual([{ name: '\u200b', value: '\u200b' }]);
  });
});

describe('message, update and components', () => {
  it('message: content clipped, at most 10 embeds each fitted, ephemeral flag, no mentions', () => {
    const r = message({ content: '@everyone ' + 'z'.repeat(L.content), embeds: Array.from({ length: 12 }, () => ({ title: 'x'.repeat(300) })), ephemeral: true });
    expect(r.body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    const d = (r.body as { data: { content: string; embeds: APIEmbed[]; flags: number; allowed_mentions: unknown } }).data;
    expect(chars(d.content)).toBe(L.content);
    expect(d.content.startsWith('@\u200beveryone')).toBe(true);
    expect(d.embeds).toHaveLength(L.embedsPerMessage);
    for (const e of d.embeds) expectWithinLimits(e);
    expect(d.flags).toBe(MessageFlags.Ephemeral);
    expect(d.allowed_mentions).toEqual({ parse: [] });
    expect((message({ content: 'public' }).body as { data: { flags?: number } }).data.flags).toBeUndefined();
  });

  it('message with files lists them as attachments; update never carries flags', () => {
    const r = message({ content: 'file', files: [{ name: 'a.json', data: Buffer.from('{}') }], ephemeral: true });
    expect(r.files).toHaveLength(1);
    expect((r.body as { data: { attachments: unknown[] } }).data.attachments).toEqual([{ id: '0', filename: 'a.json' }]);
    const u = update({ content: 'page 2', ephemeral: true });
    expect(u.body.type).toBe(InteractionResponseType.UpdateMessage);
    expect((u.body as { data: Record<string, unknown> }).data).not.toHaveProperty('flags');
    expect((u.body as { data: Record<string, unknown> }).data.allowed_mentions).toEqual({ parse: [] });
  });

  it('buttons, rows and modals respect their limits', () => {
    const b = button('c'.repeat(L.customId + 20), 'l'.repeat(L.buttonLabel + 20));
    expect(chars(b.custom_id)).toBe(L.customId);
    expect(chars(b.label)).toBe(L.buttonLabel);
    expect(row(...Array.from({ length: 7 }, () => button('x', 'y'))).components).toHaveLength(L.componentsPerRow);
    const m = modal('m'.repeat(200), 'T'.repeat(100), Array.from({ length: 7 }, (_, i) => ({ id: `f${i}`, label: 'L'.repeat(100), value: 'v'.repeat(5000), placeholder: 'p'.repeat(200), maxLength: 9000 })));
    const data = (m.body as { data: { custom_id: string; title: string; components: { components: { label: string; value: string; placeholder: string; max_length: number }[] }[] } }).data;
    expect(chars(data.custom_id)).toBe(L.customId);
    expect(chars(data.title)).toBe(L.modalTitle);
    expect(data.components).toHaveLength(L.rows);
    for (const r of data.components) {
      const input = r.components[0]!;
      expect(chars(input.label)).toBe(L.textInputLabel);
      expect(chars(input.value)).toBe(L.textInputValue);
      expect(chars(input.placeholder)).toBe(L.textInputPlaceholder);
      expect(input.max_length).toBe(L.textInputValue);
    }
  });
});

describe('choices', () => {
  it('caps at 25 choices, names and values at 100 characters', () => {
    const r = choices(Array.from({ length: 40 }, (_, i) => ({ name: `${i} ${'名'.repeat(150)}`, value: `${i}-${'v'.repeat(150)}` })));
    expect(r.body.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    const list = (r.body as { data: { choices: { name: string; value: string }[] } }).data.choices;
    expect(list).toHaveLength(L.autocompleteChoices);
    for (const c of list) {
      expect(chars(c.name)).toBe(L.choiceName);
      expect(chars(c.value)).toBe(L.choiceValue);
      expect(c.name.endsWith('…')).toBe(true);
    }
    expect(list[0]!.name.startsWith('0 ')).toBe(true);
  });
  it('passes short lists through unchanged, and an empty list as empty', () => {
    expect((choices([{ name: 'N-0001 · 标题', value: 'N-0001' }]).body as { data: unknown }).data).toEqual({ choices: [{ name: 'N-0001 · 标题', value: 'N-0001' }] });
    expect((choices([]).body as { data: unknown }).data).toEqual({ choices: [] });
  });
});

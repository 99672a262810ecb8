import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Glossary, defaultGlossary } from '../../src/match/glossary.ts';
import { Roles, RolesFile, ROLES_FILE, rolesOf } from '../../src/match/roles.ts';

describe('concept roles (data/concept-roles.json)', () => {
  it('the file parses, and every glossary concept gets a role from it (its own, its id\'s last word, or its broader concept\'s)', () => {
    RolesFile.parse(JSON.parse(readFileSync(ROLES_FILE, 'utf8')));
    const g = defaultGlossary();
    const r = rolesOf(g);
    const missing = [...g.concepts.keys()].filter((id) => !id.startsWith('~') && r.role(id) === undefined);
    expect(missing).toEqual([]);
  });

  it('a word listed under two roles, or an unknown role, is rejected with the word and where', () => {
    const twice = RolesFile.safeParse({ version: 1, heads: { method: ['coating'], material: ['coating'], problem: [], function: [], property: [], product: [], component: [], sector: [], place: [] }, concepts: {} });
    expect(twice.success).toBe(false);
    expect(twice.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toContain('heads.material.0: "coating" is listed under both method and material');
    const unknown = RolesFile.safeParse({ version: 1, heads: {}, concepts: { 'x-y': 'gadget' } });
    expect(unknown.success).toBe(false);
  });

  it('objects and what is done, by override, last word, -ing, or the broader concept', () => {
    const g = new Glossary([
      { id: 'aluminium-alloy', zh: ['铝合金'], en: ['aluminium alloy'], sectors: [] },
      { id: 'heat-treatment', zh: ['热处理'], en: ['heat treatment'], sectors: [] },
      { id: 'lithium-plating', zh: ['析锂'], en: ['lithium plating'], sectors: [] },
      { id: 'laser-welding', zh: ['激光焊'], en: ['laser welding'], sectors: [] },
      { id: 'widget-gadget', zh: ['小部件'], en: ['widget thing'], sectors: [], broader: 'aluminium-alloy' },
      { id: 'mystery-zzz', zh: ['神秘'], en: ['mystery'], sectors: [] },
    ]);
    const heads = { material: ['alloy'], method: ['treatment'], problem: [], function: [], property: [], product: [], component: [], sector: [], place: [] };
    const r = new Roles({ version: 1, heads, concepts: { 'lithium-plating': 'problem' } }, g);
    expect(r.role('aluminium-alloy')).toBe('material');
    expect(r.isObject('aluminium-alloy')).toBe(true);
    expect(r.role('heat-treatment')).toBe('method');
    expect(r.isObject('heat-treatment')).toBe(false);
    expect(r.role('lithium-plating')).toBe('problem');
    expect(r.role('laser-welding')).toBe('method');
    expect(r.role('widget-gadget')).toBe('material');
    expect(r.source.get('widget-gadget')).toBe('broader');
    expect(r.role('mystery-zzz')).toBeUndefined();
    expect(r.isObject('mystery-zzz')).toBe(false);
  });
});

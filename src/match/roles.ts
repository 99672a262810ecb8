// Concept roles (data/concept-roles.json): whether a glossary concept names an object (a product, material,
// component, sector or place: what is worked on) or what is done (a problem, function, method or property).
// A lab that shares only the object a need is about addresses, as often as not, another problem.
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import type { Glossary } from './glossary.ts';

export const OBJECT_ROLES = ['product', 'material', 'component', 'sector', 'place'] as const;
export const DONE_ROLES = ['problem', 'function', 'method', 'property'] as const;
export const Role = z.enum([...DONE_ROLES, ...OBJECT_ROLES]);
export type Role = z.infer<typeof Role>;

export const RolesFile = z
  .strictObject({
    version: z.literal(1),
    note: z.string().optional(),
    /** Role → the last words of concept ids that name it (pump → component: hydrogen-recirculation-pump). */
    heads: z.record(Role, z.array(z.string().regex(/^[a-z0-9]+$/, 'one word of a concept id'))),
    /** Concept id → its role, where its last word misleads (lithium-plating is a problem, not a method). */
    concepts: z.record(z.string(), Role),
  })
  .superRefine((f, ctx) => {
    const seen = new Map<string, string>();
    for (const [role, words] of Object.entries(f.heads)) {
      words.forEach((w, i) => {
        const prev = seen.get(w);
        if (prev) ctx.addIssue({ code: 'custom', path: ['heads', role, i], message: `"${w}" is listed under both ${prev} and ${role}` });
        seen.set(w, role);
      });
    }
  });
export type RolesFile = z.infer<typeof RolesFile>;

export const ROLES_FILE = new URL('../../data/concept-roles.json', import.meta.url);

export function isObjectRole(r: Role | undefined): boolean {
  return r !== undefined && (OBJECT_ROLES as readonly string[]).includes(r);
}

export class Roles {
  private readonly byId = new Map<string, Role>();
  /** How each concept got its role (for the data test): 'concept', 'head', 'ing' or 'broader'; absent: none. */
  readonly source = new Map<string, 'concept' | 'head' | 'ing' | 'broader'>();

  constructor(file: RolesFile, g: Glossary) {
    const heads = new Map<string, Role>();
    for (const [role, words] of Object.entries(file.heads) as [Role, string[]][]) for (const w of words) heads.set(w, role);
    const own = (id: string): Role | undefined => {
      const c = file.concepts[id];
      if (c) return this.source.set(id, 'concept'), c;
      const w = id.slice(id.lastIndexOf('-') + 1);
      const h = heads.get(w);
      if (h) return this.source.set(id, 'head'), h;
      if (w.endsWith('ing')) return this.source.set(id, 'ing'), 'method';
      return undefined;
    };
    for (const id of g.concepts.keys()) {
      if (id.startsWith('~')) continue;
      let r = own(id);
      if (!r) {
        for (const anc of g.ancestorsOf(id)) if ((r = this.byId.get(anc) ?? own(anc))) break;
        if (r) this.source.set(id, 'broader');
      }
      if (r) this.byId.set(id, r);
    }
  }

  role(concept: string): Role | undefined {
    return this.byId.get(concept);
  }

  /** Whether a concept names an object (product, material, component, sector, place). */
  isObject(concept: string): boolean {
    return isObjectRole(this.byId.get(concept));
  }

  static load(g: Glossary, url: URL = ROLES_FILE): Roles {
    return new Roles(RolesFile.parse(JSON.parse(readFileSync(url, 'utf8'))), g);
  }
}

const cache = new WeakMap<Glossary, Roles>();
export function rolesOf(g: Glossary): Roles {
  let r = cache.get(g);
  if (!r) cache.set(g, (r = Roles.load(g)));
  return r;
}

// Every data file of the repository parses.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDatasetText } from '../../src/domain/dataset.ts';
import { SECTOR_IDS, SectorsFile } from '../../src/domain/sectors.ts';
import { ROOT } from '../support.ts';

const DATA = join(ROOT, 'data');

describe('data/sectors.json', () => {
  it('parses with the sector schema and holds the 16 contract sectors', () => {
    const f = SectorsFile.parse(JSON.parse(readFileSync(join(DATA, 'sectors.json'), 'utf8')));
    expect(f.sectors.map((s) => s.id)).toEqual([...SECTOR_IDS]);
  });
});

describe('data/demo.json', () => {
  const demo = parseDatasetText(readFileSync(join(DATA, 'demo.json'), 'utf8'));

  it('is a valid interchange dataset with at least 30 needs and 40 capabilities', () => {
    expect(demo.needs.length).toBeGreaterThanOrEqual(30);
    expect(demo.capabilities.length).toBeGreaterThanOrEqual(40);
  });

  it('covers all 16 sectors', () => {
    const covered = new Set([...demo.needs, ...demo.capabilities].flatMap((e) => e.sectors ?? []));
    expect(SECTOR_IDS.filter((id) => !covered.has(id))).toEqual([]);
  });

  it('uses N-/C- ids and mixes Chinese and English text', () => {
    for (const n of demo.needs) expect(n.id).toMatch(/^N-\d{4}$/);
    for (const c of demo.capabilities) expect(c.id).toMatch(/^C-\d{4}$/);
    const all = [...demo.needs, ...demo.capabilities];
    expect(all.some((e) => /\p{Script=Han}/u.test(e.title))).toBe(true);
    expect(all.some((e) => /^[\x20-\x7E]+$/.test(e.title))).toBe(true);
  });
});

describe('glossary files', () => {
  // Their schema belongs to the matching engine; here we only check that each is well-formed JSON.
  const files = [
    ...readdirSync(DATA).filter((f) => /^glossary.*\.json$/.test(f)).map((f) => join(DATA, f)),
    ...(existsSync(join(DATA, 'glossary')) ? readdirSync(join(DATA, 'glossary')).filter((f) => f.endsWith('.json')).map((f) => join(DATA, 'glossary', f)) : []),
  ];

  it.skipIf(files.length === 0)('every glossary file is well-formed JSON', () => {
    for (const file of files) expect(() => JSON.parse(readFileSync(file, 'utf8')), file).not.toThrow();
  });
});

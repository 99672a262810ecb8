import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DoubleArray } from '../../src/match/automaton.ts';
import { buildSnapshot } from '../../src/match/build-automaton.ts';
import { GLOSSARY_FILE, Glossary, LEXICON_FILE } from '../../src/match/glossary.ts';
import { normalize } from '../../src/match/normalize.ts';

const walk = (da: DoubleArray, labels: number[]) => labels.reduce((s, l) => (s < 0 ? -1 : da.next(s, l)), 0);

describe('DoubleArray', () => {
  it('finds every key with its value, the first claimant keeping a path, and prefixes without one', () => {
    const da = DoubleArray.build([
      { labels: [3, 1], value: 7 },
      { labels: [3, 1, 2], value: 8 },
      { labels: [900, 5], value: 9 },
      { labels: [3, 1], value: 10 },
    ]);
    expect(da.value[walk(da, [3, 1])]).toBe(7);
    expect(da.value[walk(da, [3, 1, 2])]).toBe(8);
    expect(da.value[walk(da, [900, 5])]).toBe(9);
    expect(da.value[walk(da, [3])]).toBe(-1);
    // The failure cases: no path, and a label past the end of the arrays.
    expect(walk(da, [1, 3])).toBe(-1);
    expect(walk(da, [3, 1, 2, 99999])).toBe(-1);
    const back = DoubleArray.fromJSON(JSON.parse(JSON.stringify(da)));
    expect([...back.base]).toEqual([...da.base]);
    expect([...back.check]).toEqual([...da.check]);
    expect([...back.value]).toEqual([...da.value]);
  });
});

describe('the glossary snapshot (npm run build:automaton)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-automaton-'));
  const file = pathToFileURL(join(dir, 'glossary.automaton.json'));
  writeFileSync(file, buildSnapshot());
  const built = Glossary.load(GLOSSARY_FILE, LEXICON_FILE);
  const loaded = Glossary.load(GLOSSARY_FILE, LEXICON_FILE, file);

  it('is made from data/ as it is now, and finds exactly what a glossary built from data/ finds', () => {
    expect(loaded).not.toBe(built);
    const texts: string[] = [];
    for (const set of ['devset', 'holdout']) {
      const d = JSON.parse(readFileSync(new URL(`../fixtures/${set}.json`, import.meta.url), 'utf8')) as { needs: { title: string; description: string }[]; capabilities: { title: string; description: string }[] };
      for (const e of [...d.needs, ...d.capabilities]) texts.push(`${e.title}。${e.description}`);
    }
    texts.push('PEMFC 与 MOFs、GIS/PLC-based 质子交换膜燃料电池 Metal-organic frameworks 𠀀燃料电池');
    for (const t of texts) expect(loaded.find(normalize(t), t)).toEqual(built.find(normalize(t), t));
    for (const c of built.concepts.values()) for (const f of c.zh) expect(loaded.conceptOfForm(normalize(f))).toBe(built.conceptOfForm(normalize(f)));
    expect(loaded.nearForms('油脂题取')).toEqual(built.nearForms('油脂题取'));
    expect([...loaded.englishWords]).toEqual([...built.englishWords]);
  });

  it('is not used once data/ changed (a stale snapshot is rebuilt from the files)', () => {
    const snap = JSON.parse(readFileSync(file, 'utf8')) as { hash: string; conceptIds: string[] };
    snap.conceptIds = snap.conceptIds.map(() => 'bogus');
    snap.hash = 'f'.repeat(64);
    writeFileSync(file, JSON.stringify(snap));
    const g = Glossary.load(GLOSSARY_FILE, LEXICON_FILE, file);
    expect(g.find(normalize('燃料电池'))[0]?.concept).not.toBe('bogus');
    expect(g.find(normalize('燃料电池'))).toEqual(built.find(normalize('燃料电池')));
  });
});

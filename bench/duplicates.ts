// The duplicate warning on save: what the posting vote (AutoIndex, long query) flags against what the
// fuse.js full scan it replaced flagged, on the demo directory, every eval set and the bench corpus, and on
// made-up near copies of each set's entries (a word added, a character dropped, the org changed).
// Figures only.   npx tsx bench/duplicates.ts
import { readFileSync } from 'node:fs';
import Fuse from 'fuse.js';
import { parseDatasetText, type Dataset } from '../src/domain/dataset.ts';
import type { EntryRecord } from '../src/domain/entry.ts';
import { AutoIndex } from '../src/match/autocomplete.ts';
import { hasSet, loadSet, SETS } from '../src/match/eval/sets.ts';
import { similarEntries } from '../src/views/entry-command.ts';
import { generateCorpus } from './corpus.ts';

/** The check before: fuse.js over every entry, its best 10, then the same pair similarity. */
function before(all: readonly EntryRecord[], e: EntryRecord): EntryRecord[] {
  const fuse = new Fuse(all, { keys: [{ name: 'id', weight: 2 }, { name: 'title', weight: 2 }, { name: 'org', weight: 1 }], ignoreLocation: true, threshold: 0.5 });
  return similarEntries(fuse.search(e.title, { limit: 10 }).map((r) => r.item), e);
}

function after(ix: AutoIndex, e: EntryRecord): EntryRecord[] {
  return similarEntries(ix.complete(e.title, 20, 'all'), e);
}

/** Near copies of some entries: a word added, a character dropped, the org changed (every 3rd, 1st, 2nd). */
function copies(records: readonly EntryRecord[]): EntryRecord[] {
  return records.filter((_, i) => i % 4 === 0).map((r, i) => {
    const chars = [...r.title];
    const title = i % 3 === 0 ? `${r.title}（二期）` : i % 3 === 1 ? [...chars.slice(0, chars.length >> 1), ...chars.slice((chars.length >> 1) + 1)].join('') : r.title;
    return { ...r, id: `${r.id}-copy`, title, org: i % 3 === 2 ? `${r.org} 分公司` : r.org };
  });
}

function compare(name: string, records: readonly EntryRecord[]): string {
  const ix = new AutoIndex();
  for (const r of records) ix.upsert(r, 'open');
  const key = (a: string, b: string) => [a, b].sort().join(' ~ ');
  const old = new Set<string>();
  const now = new Set<string>();
  let tOld = 0;
  let tNew = 0;
  for (const e of records) {
    let t = performance.now();
    for (const r of before(records, e)) old.add(key(e.id, r.id));
    tOld += performance.now() - t;
    t = performance.now();
    for (const r of after(ix, e)) now.add(key(e.id, r.id));
    tNew += performance.now() - t;
  }
  const missed = [...old].filter((p) => !now.has(p));
  const gained = [...now].filter((p) => !old.has(p));
  return `${name.padEnd(34)} ${String(records.length).padStart(5)} entries: pairs flagged before ${old.size}, after ${now.size}, ` +
    `missed ${missed.length}${missed.length ? ` (${missed.slice(0, 3).join(', ')})` : ''}, new ${gained.length}` +
    `${gained.length ? ` (${gained.slice(0, 2).join(', ')})` : ''} · ${(tOld / records.length).toFixed(2)} → ${(tNew / records.length).toFixed(3)} ms per check`;
}

const sets: [string, Dataset][] = [['demo', parseDatasetText(readFileSync(new URL('../data/demo.json', import.meta.url), 'utf8'))]];
for (const s of SETS) if (hasSet(s.name)) sets.push([s.name, loadSet(s.name).data]);
sets.push(['bench corpus', generateCorpus(1000)]);
const out = ['== Duplicate warning: posting vote vs fuse.js full scan (pairs as the warning shows them) =='];
for (const [name, d] of sets) {
  for (const [type, list] of [['needs', d.needs], ['capabilities', d.capabilities]] as const) {
    if (!list.length) continue;
    out.push(compare(`${name} ${type}`, list));
    out.push(compare(`${name} ${type} + near copies`, [...list, ...copies(list)]));
  }
}
process.stdout.write(out.join('\n') + '\n');

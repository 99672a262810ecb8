import { afterEach, describe, expect, it } from 'vitest';
import { parseDatasetText } from '../../src/domain/dataset.ts';
import type { EntryType } from '../../src/domain/entry.ts';
import type { AnalysisCache } from '../../src/match/analysis-cache.ts';
import { Engine } from '../../src/match/engine.ts';
import { docsOf, hasSet, loadSet, SETS } from '../../src/match/eval/sets.ts';
import { setPartSlots, SnapshotError, type Current, type Entry, type Snapshot } from '../../src/match/snapshot.ts';
import type { Doc } from '../../src/match/types.ts';
import { demoText } from '../support.ts';

/** Stored analyses in memory (an engine takes snapshots only when it keeps them). */
const memory = (): AnalysisCache & { m: Map<string, string> } => {
  const m = new Map<string, string>();
  return { m, get: (k) => m.get(k), put: (k, d) => void m.set(k, d) };
};

/** Records as the store hands them out: a version and an update time. */
const stored = (docs: Doc[]): Doc[] => docs.map((d) => ({ ...d, record: { ...d.record, version: 1, updatedAt: '2026-12-01T00:00:00.000Z', status: 'open' } as unknown as Doc['record'] }));

function currentOf(docs: Doc[]): Current & Record<EntryType, Map<string, Entry>> {
  const c = { need: new Map<string, Entry>(), capability: new Map<string, Entry>() };
  for (const d of docs) c[d.type].set(d.record.id, d.record as Entry);
  return c;
}

/** As a database hands parts back: copies, some at an odd offset in a bigger buffer. */
function copied(s: Snapshot): Snapshot {
  const parts = s.parts.map((b, i) => {
    const pad = i % 2 ? 3 : 0;
    const big = Buffer.alloc(b.length + pad);
    b.copy(big, pad);
    return big.subarray(pad);
  });
  return { ...s, meta: JSON.parse(JSON.stringify(s.meta)) as Snapshot['meta'], parts };
}

/** Every entry's suggestions with reasons, searches, and autocomplete: what a user can see. */
function seen(r: Engine, docs: Doc[]): string {
  const out: unknown[] = [];
  for (const d of docs) out.push(r.matchEntry(d.type, d.record.id, { top: 10, minScore: 0 }));
  for (const q of ['燃料电池', 'fuel cell catalyst', '故障定位', 'coating', 'sensor 传感器']) out.push(r.search(q, ['need', 'capability'], { top: 10, minScore: 0 }));
  for (const type of ['need', 'capability'] as EntryType[]) for (const q of ['', '燃料', 'fu', 'lab', 'N-00', 'C-0001']) out.push(r.complete(type, q, 10).map((x) => x.id));
  return JSON.stringify(out);
}

async function roundTrip(docs: Doc[]): Promise<{ a: Engine; b: Engine; cache: ReturnType<typeof memory> }> {
  const cache = memory();
  const a = new Engine(docs, { analyses: cache });
  const snap = await a.snapshot();
  expect(snap).toBeDefined();
  const b = new Engine([], { analyses: cache });
  const r = await b.restore(copied(snap!), currentOf(docs));
  expect(r.stale).toEqual([]);
  expect(r.kept).toHaveLength(docs.length);
  return { a, b, cache };
}

afterEach(() => setPartSlots());

describe('index snapshots', () => {
  it('a snapshot of the demo data gives the same suggestions, reasons, searches and autocomplete as the build', async () => {
    const docs = stored(docsOf(parseDatasetText(demoText())));
    const { a, b } = await roundTrip(docs);
    expect(b.size).toBe(a.size);
    expect(seen(b, docs)).toBe(seen(a, docs));
  });

  for (const set of SETS.filter((s) => hasSet(s.name))) {
    it(`the ${set.name} eval set ranks the same from a snapshot (small parts: many of them, long lists on their own)`, async () => {
      setPartSlots(64);
      const docs = stored(docsOf(loadSet(set.name).data));
      const { a, b } = await roundTrip(docs);
      expect(seen(b, docs)).toBe(seen(a, docs));
    });
  }

  it('changes after loading (adds, edits, removals, enough to move lists out of the loaded parts) match the same changes on the build', async () => {
    setPartSlots(32);
    const docs = stored(docsOf(parseDatasetText(demoText())));
    const { a, b } = await roundTrip(docs);
    const needs = docs.filter((d) => d.type === 'need');
    for (const r of [a, b]) {
      for (const d of needs.slice(0, 10)) r.remove('need', d.record.id);
      for (let i = 0; i < 300; i++) {
        const src = docs[i % docs.length]!;
        r.upsert({ type: src.type, record: { ...src.record, id: `${src.type === 'need' ? 'N' : 'C'}-9${String(i).padStart(3, '0')}`, title: `${src.record.title} ${i}` } });
      }
      r.upsert({ type: 'need', record: { ...needs[20]!.record, description: '燃料电池电堆低温冷启动' } });
    }
    const after = [...docs.slice(10), ...docs.slice(0, 10)];
    expect(seen(b, after)).toBe(seen(a, after));
  });

  it('a snapshot of a loaded engine (what explanations keep copied as it is, before or after use) loads the same again', async () => {
    const docs = stored(docsOf(parseDatasetText(demoText())));
    const { a, b, cache } = await roundTrip(docs);
    const expected = seen(a, docs);
    for (const explained of [false, true]) {
      if (explained) expect(seen(b, docs)).toBe(expected);
      const c = new Engine([], { analyses: cache });
      await c.restore(copied((await b.snapshot())!), currentOf(docs));
      expect(seen(c, docs)).toBe(expected);
    }
  });

  it('an entry changed since the snapshot (version, update time or status) or gone comes back as stale, with its old analysis key', async () => {
    const docs = stored(docsOf(parseDatasetText(demoText())));
    const cache = memory();
    const a = new Engine(docs, { analyses: cache });
    const snap = (await a.snapshot())!;
    const now = currentOf(docs);
    const [n1, n2, n3] = [...now.need.values()];
    now.need.set(n1!.id, { ...n1!, version: 2 });
    now.need.set(n2!.id, { ...n2!, status: 'closed' });
    now.need.delete(n3!.id);
    const b = new Engine([], { analyses: cache });
    const r = await b.restore(snap, now);
    expect(r.stale.map((s) => s.id).sort()).toEqual([n1!.id, n2!.id, n3!.id].sort());
    for (const s of r.stale) expect(cache.m.has(s.key!)).toBe(true);
    expect(r.kept).toHaveLength(docs.length - 3);
  });

  it('a corrupt part, another format or another analyser is refused whole, leaving the engine empty', async () => {
    const docs = stored(docsOf(parseDatasetText(demoText())));
    const cache = memory();
    const snap = (await new Engine(docs, { analyses: cache }).snapshot())!;
    const bad: Snapshot[] = [];
    const flipped = copied(snap);
    flipped.parts[flipped.parts.length - 1]![5]! ^= 1;
    bad.push(flipped);
    const format = copied(snap);
    format.meta.format = 99;
    bad.push(format);
    bad.push({ ...copied(snap), version: 'another-analyser.none.1' });
    const short = copied(snap);
    short.parts.pop();
    bad.push(short);
    // Feature tables that passed their checksum (or had none: a worker's) but do not add up.
    const dupe = copied(snap);
    const d = dupe.meta.types.need.dict;
    const at = 4 * (2 * d.pairSlots + d.cap);
    expect(d.size).toBeGreaterThan(1);
    dupe.parts[d.part]!.writeInt32LE(dupe.parts[d.part]!.readInt32LE(at), at + 4);
    bad.push(dupe);
    const counts = copied(snap);
    counts.meta.types.capability.dict.pairs--;
    bad.push(counts);
    for (const s of bad) {
      const b = new Engine([], { analyses: cache });
      await expect(b.restore(s, currentOf(docs), { verified: s === dupe })).rejects.toBeInstanceOf(SnapshotError);
      expect(b.size).toBe(0);
      expect(b.search('燃料电池', ['need'], { minScore: 0 })).toEqual([]);
    }
  });

  it('an engine that keeps no stored analyses takes no snapshot', async () => {
    expect(await new Engine(docsOf(parseDatasetText(demoText()))).snapshot()).toBeUndefined();
  });
});

// A built engine as a few large byte buffers (parts), so a restart or a rebuild loads the index instead of
// building it: postings, feature and document tables, what explanations and autocomplete keep. Numbers are
// typed arrays laid out in the parts, and loading keeps them as views on the parts (no copy); text (feature
// names, per-document lines) is decoded a window at a time. Both directions run in slices that yield, so
// neither stalls the event loop. A part's checksum and every size are checked before the engine is touched:
// a corrupt or foreign snapshot is refused whole (the caller then builds as before).
import { createHash } from 'node:crypto';
import { setImmediate as yieldLoop } from 'node:timers/promises';
import { ENTRY_TYPES, EntryStatus, type EntryRecord, type EntryType } from '../domain/entry.ts';
import type { SectorId } from '../domain/sectors.ts';
import type { Item } from './autocomplete.ts';
import { DocInfo } from './doc-info.ts';
import type { Engine } from './engine.ts';
import { Features, type F64, type I32 } from './inverted.ts';
import { ShardedMap } from './sharded-map.ts';

/** Bump when the layout below changes (older snapshots are then refused). */
export const SNAPSHOT_FORMAT = 3;
/** Postings slots per part (4 MB of documents and frequencies): one database row each. */
let PART_SLOTS = 1 << 19;
/** Tests make parts small, to exercise many parts and lists with a part of their own. */
export function setPartSlots(n = 1 << 19): void {
  PART_SLOTS = n;
}
/** Bytes of text decoded (and split) per step: a few milliseconds. */
const TEXT_WINDOW = 1 << 18;
/** Same budget as the service's build slices. */
const SLICE_MS = 8;
const SEP = '\u0001';

export interface Snapshot {
  /** The engine's snapshotVersion it was taken with (analyser hash and options). */
  version: string;
  meta: SnapshotMeta;
  parts: Buffer[];
}

interface TypeMeta {
  docCount: number;
  liveCount: number;
  totalLen: number;
  dead: number;
  features: number;
  /**
   * The feature tables as the index holds them (inverted.ts Features: bigrams by key, the other names in
   * names.ts's table): their arrays' lengths and how much of them is used. Loading views them as they are.
   */
  dict: { part: number; pairSlots: number; pairs: number; slots: number; size: number; cap: number; used: number; chars: number };
  /** Part numbers. */
  feats: number;
  docs: number;
  /** Per document: a tab-separated head, and what explanations keep (JSON, decoded on first use) with its offsets. */
  heads: number;
  kept: number;
  keptOff: number;
  pairs: { part: number; len: number; shared: boolean }[];
  /** Autocomplete: its entries' document numbers (-1: a hole), keys, and their lists. */
  auto: { items: number; nitems: number; keys: number; lists: number; nkeys: number; dead: number };
}

export interface SnapshotMeta {
  format: number;
  types: Record<EntryType, TypeMeta>;
  /** sha1 of each part, base64. */
  sums: string[];
}

/** A stored entry as the directory holds it (the version and update time tell whether it changed). */
export type Entry = EntryRecord & { status?: EntryStatus; version?: number; updatedAt?: string };
export type Current = Record<EntryType, ReadonlyMap<string, Entry>>;
export interface Restored {
  /** Entries the snapshot holds as they are now. */
  kept: { type: EntryType; entry: Entry }[];
  /** Entries the snapshot holds as they were (changed or removed since): their old analyses' keys. */
  stale: { type: EntryType; id: string; key: string | undefined }[];
}

export class SnapshotError extends Error {}

export interface RestoreOptions {
  /** Taken from an engine built of `current` itself (a build worker's): every entry it holds is kept as is. */
  exact?: boolean;
  /** Its parts never left this process (a build worker's): no checksums to check. */
  verified?: boolean;
}

/** Yields once SLICE_MS has passed since the last turn; call it every few hundred items. */
function slicer(): () => Promise<void> {
  let end = performance.now() + SLICE_MS;
  return async () => {
    if (performance.now() < end) return;
    await yieldLoop();
    end = performance.now() + SLICE_MS;
  };
}

/** Bytes hashed or copied per step. */
const STEP = 1 << 20;

/** A part's checksum, 1 MB a step. */
async function sum(b: Buffer, tick: () => Promise<void>): Promise<string> {
  const h = createHash('sha1');
  for (let at = 0; at < b.length; at += STEP) {
    h.update(b.subarray(at, at + STEP));
    await tick();
  }
  return h.digest('base64');
}

/** Strings (or bytes) written one after another into one new buffer, a few at a time (no large copy at once). */
async function assemble(strs: readonly (string | Uint8Array)[], tick: () => Promise<void>): Promise<Buffer> {
  let total = 0;
  const lens = strs.map((x) => {
    const n = typeof x === 'string' ? Buffer.byteLength(x) : x.length;
    total += n;
    return n;
  });
  const b = Buffer.allocUnsafeSlow(total);
  for (let i = 0, at = 0; i < strs.length; i++) {
    const x = strs[i]!;
    if (typeof x === 'string') b.write(x, at);
    else b.set(x, at);
    at += lens[i]!;
    if (typeof x === 'string' || (i & 255) === 0) await tick();
  }
  return b;
}

/** Typed views laid out one after another in a part (8-byte arrays first, so every view is aligned). */
class Layout {
  private at = 0;
  constructor(readonly buf: Buffer) {}
  private view<T>(C: new (b: ArrayBuffer, off: number, n: number) => T, size: number, n: number): T {
    const end = this.at + size * n;
    if (end > this.buf.length) throw new SnapshotError('part too short');
    const v = new C(this.buf.buffer as ArrayBuffer, this.buf.byteOffset + this.at, n);
    this.at = end;
    return v;
  }
  f64 = (n: number) => this.view(Float64Array, 8, n);
  i32 = (n: number) => this.view(Int32Array, 4, n);
  f32 = (n: number) => this.view(Float32Array, 4, n);
  u16 = (n: number) => this.view(Uint16Array, 2, n);
  u8 = (n: number) => this.view(Uint8Array, 1, n);
  done(): void {
    if (this.at !== this.buf.length) throw new SnapshotError('part size');
  }
}

/** A part whose memory starts on an 8-byte boundary (driver buffers may sit anywhere in a pool). */
function aligned(b: Buffer): Buffer {
  if (b.byteOffset % 8 === 0) return b;
  const c = Buffer.alloc(b.length);
  b.copy(c);
  return c;
}

class Writer {
  parts: Buffer[] = [];
  tick = slicer();
  add(b: Buffer): number {
    this.parts.push(b);
    return this.parts.length - 1;
  }
  /** Strings joined by `sep` (never inside one: checked), as one part; undefined when one holds it. */
  async text(xs: Iterable<string>, sep: string): Promise<number | undefined> {
    const strs: string[] = [];
    let batch: string[] = [];
    for (const x of xs) {
      if (x.includes(sep)) return undefined;
      batch.push(x);
      if (batch.length === 8192) {
        strs.push((strs.length ? sep : '') + batch.join(sep));
        batch = [];
        await this.tick();
      }
    }
    if (batch.length) strs.push((strs.length ? sep : '') + batch.join(sep));
    return this.add(await assemble(strs, this.tick));
  }
}

/** Splits a text part back into `count` strings, a window at a time. */
async function readText(buf: Buffer, sep: string, count: number, tick: () => Promise<void>): Promise<string[]> {
  const out: string[] = [];
  if (count === 0) {
    if (buf.length) throw new SnapshotError('text part');
    return out;
  }
  const byte = sep.charCodeAt(0);
  for (let at = 0; ;) {
    let end = at + TEXT_WINDOW >= buf.length ? buf.length : buf.lastIndexOf(byte, at + TEXT_WINDOW);
    if (end < at) end = buf.indexOf(byte, at + TEXT_WINDOW);
    if (end < 0) end = buf.length;
    for (const s of buf.toString('utf8', at, end).split(sep)) out.push(s);
    if (end >= buf.length) break;
    at = end + 1;
    await tick();
  }
  if (out.length !== count) throw new SnapshotError('text count');
  return out;
}

/** Each status as the literal a build holds: the query path compares it with 'open', and optimised code for a string split from a head was thrown out when it met a literal (and back). */
const STATUS = new Map<string, EntryStatus>(EntryStatus.options.map((s) => [s, s]));

/** A head: id, version, update time, status, inferred (0/1), sectors (comma-separated), analysis key. */
const HEAD_FIELDS = 7;
/** What a head's fields may not hold (then no snapshot is taken). */
const UNSAFE = /[\t\n,]/;

function head(info: DocInfo): string | undefined {
  const r = info.record as Entry;
  const fields = [r.id, r.version === undefined ? '' : String(r.version), r.updatedAt ?? '', info.status, info.inferred ? '1' : '0'];
  if (fields.some((f) => UNSAFE.test(f)) || info.sectors.some((s) => UNSAFE.test(s)) || (info.key !== undefined && UNSAFE.test(info.key))) return undefined;
  return `${fields.join('\t')}\t${info.sectors.join(',')}\t${info.key ?? ''}`;
}

/** The engine as it stands, or undefined when it keeps no stored analyses or a name cannot be written. */
export async function takeSnapshot(engine: Engine): Promise<Snapshot | undefined> {
  const version = engine.snapshotVersion;
  if (version === undefined) return undefined;
  const w = new Writer();
  const types = {} as Record<EntryType, TypeMeta>;
  for (const type of ENTRY_TYPES) {
    const t = engine.idx[type];
    const st = t.inv.state();
    const a = t.inv.arena;
    const count = a.count;
    // The feature tables, copied as they are (room left in them, so adds after a load rarely grow one).
    st.features.reserve();
    const fs = st.features.state();
    const o = fs.others;
    const dictBuf = Buffer.alloc(4 * (2 * fs.pairs.keys.length + 3 * o.ends.length + o.table.length) + 2 * o.chars.length);
    const dlay0 = new Layout(dictBuf);
    dlay0.i32(fs.pairs.keys.length).set(fs.pairs.keys);
    dlay0.i32(fs.pairs.keys.length).set(fs.pairs.vals);
    dlay0.i32(o.ends.length).set(o.ends);
    dlay0.i32(o.ends.length).set(o.ids);
    dlay0.i32(o.ends.length).set(o.hashes);
    dlay0.i32(o.table.length).set(o.table);
    dlay0.u16(o.chars.length).set(o.chars);
    dlay0.done();
    const dict: TypeMeta['dict'] = { part: w.add(dictBuf), pairSlots: fs.pairs.keys.length, pairs: fs.pairs.size, slots: o.table.length, size: o.size, cap: o.ends.length, used: o.used, chars: o.chars.length };
    // Postings: features in id order, packed into parts of up to PART_SLOTS (a longer list gets its own).
    const pair = new Int32Array(count);
    const off = new Int32Array(count);
    const n = a.n.slice(0, count);
    const pairs: TypeMeta['pairs'] = [];
    const limit = Math.min(PART_SLOTS, a.chunkSlots);
    let docs = new Int32Array(limit);
    let tfs = new Float32Array(limit);
    let len = 0;
    const flush = () => {
      if (len === 0) return;
      const b = Buffer.alloc(8 * len);
      Buffer.from(docs.buffer, 0, 4 * len).copy(b, 0);
      Buffer.from(tfs.buffer, 0, 4 * len).copy(b, 4 * len);
      pairs.push({ part: w.add(b), len, shared: true });
      len = 0;
    };
    for (let id = 0; id < count; id++) {
      const k = n[id]!;
      if ((id & 63) === 0) await w.tick();
      if (k === 0) {
        pair[id] = -1;
        continue;
      }
      const p = a.pair[id]!;
      const from = a.off[id]!;
      const srcDocs = a.docs[p]!;
      const srcTfs = a.tfs[p]!;
      if (k > limit) {
        flush();
        const b = Buffer.alloc(8 * k);
        Buffer.from(srcDocs.buffer, srcDocs.byteOffset + 4 * from, 4 * k).copy(b, 0);
        Buffer.from(srcTfs.buffer, srcTfs.byteOffset + 4 * from, 4 * k).copy(b, 4 * k);
        pairs.push({ part: w.add(b), len: k, shared: false });
        pair[id] = pairs.length - 1;
        off[id] = 0;
        continue;
      }
      if (len + k > limit) flush();
      docs.set(srcDocs.subarray(from, from + k), len);
      tfs.set(srcTfs.subarray(from, from + k), len);
      pair[id] = pairs.length;
      off[id] = len;
      len += k;
    }
    flush();
    docs = tfs = undefined as never;
    const feats = Buffer.alloc(count * (8 + 8 + 4 * 4));
    const fl = new Layout(feats);
    fl.f64(count).set(a.maxTf.subarray(0, count));
    fl.f64(count).set(a.minDl.subarray(0, count));
    fl.i32(count).set(st.df);
    fl.i32(count).set(n);
    fl.i32(count).set(pair);
    fl.i32(count).set(off);
    const docBuf = Buffer.alloc(st.docCount * 9);
    const dlay = new Layout(docBuf);
    dlay.f64(st.docCount).set(st.dl);
    dlay.u8(st.docCount).set(st.alive);
    const heads: string[] = [];
    // What explanations keep: a loaded document's bytes are copied as they are (no string on this heap).
    const kept: (string | Buffer)[] = [];
    let batch: string[] = [];
    const keptOff = new Int32Array(st.docCount + 1);
    let keptAt = 0;
    for (let d = 0; d < st.docCount; d++) {
      const info = t.byDoc[d];
      if (info) {
        const h = head(info);
        if (h === undefined) return undefined;
        heads.push(h);
        const k = info.keptBytes();
        if (typeof k === 'string') {
          batch.push(k);
          keptAt += Buffer.byteLength(k);
        } else {
          if (batch.length) kept.push(batch.join(''));
          batch = [];
          kept.push(k);
          keptAt += k.length;
        }
      } else heads.push('');
      keptOff[d + 1] = keptAt;
      if (batch.length === 1024) {
        kept.push(batch.join(''));
        batch = [];
      }
      if ((d & 31) === 0) await w.tick();
    }
    if (batch.length) kept.push(batch.join(''));
    const headsPart = (await w.text(heads, '\n'))!;
    const keptPart = w.add(await assemble(kept, w.tick));
    const keptOffPart = w.add(Buffer.from(keptOff.buffer));
    // Autocomplete: its entries as document numbers, its keys, and their lists.
    const auto = t.auto.state();
    const itemDocs = new Int32Array(auto.items.length);
    for (let i = 0; i < auto.items.length; i++) {
      if ((i & 255) === 0) await w.tick();
      const it = auto.items[i];
      const info = it ? t.byId.get(it.record.id) : undefined;
      if (it && !info) return undefined;
      itemDocs[i] = info ? info.doc : -1;
    }
    const items = w.add(Buffer.from(itemDocs.buffer));
    const keys = await w.text(auto.postings.keys(), SEP);
    if (keys === undefined) return undefined;
    let total = 0;
    for (const l of auto.postings.values()) total += l.length;
    const nkeys = auto.postings.size;
    const lb = Buffer.alloc(4 * (nkeys + total));
    const ll = new Layout(lb);
    const lens = ll.i32(nkeys);
    const flat = ll.i32(total);
    let i = 0;
    let at = 0;
    for (const l of auto.postings.values()) {
      lens[i++] = l.length;
      flat.set(l, at);
      at += l.length;
      if ((i & 255) === 0) await w.tick();
    }
    types[type] = {
      docCount: st.docCount, liveCount: st.liveCount, totalLen: st.totalLen, dead: st.dead, features: count,
      dict, feats: w.add(feats), docs: w.add(docBuf), heads: headsPart, kept: keptPart, keptOff: keptOffPart, pairs,
      auto: { items, nitems: auto.items.length, keys, lists: w.add(lb), nkeys, dead: auto.dead },
    };
  }
  const sums = await sumParts(w.parts);
  return { version, meta: { format: SNAPSHOT_FORMAT, types, sums }, parts: w.parts };
}

/** Every part's checksum, 1 MB a step. */
export async function sumParts(parts: readonly Buffer[]): Promise<string[]> {
  const tick = slicer();
  const sums: string[] = [];
  for (const b of parts) sums.push(await sum(b, tick));
  return sums;
}

/** Checks every part against its checksum (a build worker's, before handing a stored snapshot over). */
export async function checkSums(snap: Snapshot): Promise<void> {
  const tick = slicer();
  if (!Array.isArray(snap.meta?.sums) || snap.meta.sums.length !== snap.parts.length) throw new SnapshotError('format');
  for (let i = 0; i < snap.parts.length; i++) if ((await sum(snap.parts[i]!, tick)) !== snap.meta.sums[i]) throw new SnapshotError(`part ${i} checksum`);
}

const isInt = (x: unknown, min = 0): x is number => Number.isInteger(x) && (x as number) >= min;

function checkMeta(m: SnapshotMeta, parts: number): void {
  const part = (x: unknown) => isInt(x) && (x as number) < parts;
  if (!m || m.format !== SNAPSHOT_FORMAT || !Array.isArray(m.sums) || m.sums.length !== parts) throw new SnapshotError('format');
  for (const type of ENTRY_TYPES) {
    const t = m.types?.[type];
    if (!t || !isInt(t.docCount) || !isInt(t.liveCount) || !isInt(t.dead) || !isInt(t.features) || typeof t.totalLen !== 'number') throw new SnapshotError('counts');
    const d = t.dict;
    if (!d || !part(d.part) || ![d.pairSlots, d.slots].every((x) => isInt(x, 1) && (x & (x - 1)) === 0) || ![d.pairs, d.size, d.cap, d.used, d.chars].every((x) => isInt(x)) || d.size > d.cap || d.used > d.chars || 4 * d.pairs > 3 * d.pairSlots || 2 * d.size > d.slots || d.pairs + d.size !== t.features) throw new SnapshotError('feature tables');
    if (![t.feats, t.docs, t.heads, t.kept, t.keptOff, t.auto?.items, t.auto?.keys, t.auto?.lists].every(part) || !isInt(t.auto.nkeys) || !isInt(t.auto.nitems) || !isInt(t.auto.dead)) throw new SnapshotError('parts');
    if (!Array.isArray(t.pairs) || !t.pairs.every((p) => part(p.part) && isInt(p.len, 1))) throw new SnapshotError('pairs');
  }
}

/**
 * A snapshot's feature tables as views on its part, checked in slices: every number named once, every
 * slot and offset in range (a table that passes can answer wrongly only if its checksummed part lies).
 */
async function loadFeatures(buf: Buffer, d: TypeMeta['dict'], count: number, tick: () => Promise<void>): Promise<Features> {
  const l = new Layout(buf);
  const keys = l.i32(d.pairSlots) as I32;
  const vals = l.i32(d.pairSlots) as I32;
  const ends = l.i32(d.cap) as I32;
  const ids = l.i32(d.cap) as I32;
  const hashes = l.i32(d.cap) as I32;
  const table = l.i32(d.slots) as I32;
  const chars = l.u16(d.chars) as Uint16Array<ArrayBuffer>;
  l.done();
  const named = new Uint8Array(count);
  const name = (id: number) => {
    if (!(id >= 0 && id < count) || named[id]) throw new SnapshotError('feature numbers');
    named[id] = 1;
  };
  let pairs = 0;
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] !== 0) {
      pairs++;
      name(vals[i]!);
    }
    if ((i & 65535) === 0) await tick();
  }
  if (pairs !== d.pairs) throw new SnapshotError('bigram table');
  for (let e = 0, at = 0; e < d.size; e++) {
    if (ends[e]! < at) throw new SnapshotError('feature names');
    at = ends[e]!;
    name(ids[e]!);
    if ((e & 65535) === 0) await tick();
  }
  if (d.size > 0 && ends[d.size - 1] !== d.used) throw new SnapshotError('feature names');
  let filled = 0;
  for (let i = 0; i < table.length; i++) {
    const e = table[i]!;
    if (e !== 0) {
      if (!(e > 0 && e <= d.size)) throw new SnapshotError('feature slots');
      filled++;
    }
    if ((i & 65535) === 0) await tick();
  }
  if (filled !== d.size) throw new SnapshotError('feature slots');
  return Features.of({ keys, vals, size: d.pairs }, { size: d.size, used: d.used, chars, ends, ids, hashes, table });
}

const placeholder = (id: string): EntryRecord => ({ id, org: '', title: '', description: '' }) as EntryRecord;

/**
 * Fills an empty engine from a snapshot; `current` is the directory now. Entries whose version, update
 * time or status differ (or that are gone) come back as `stale`: the caller re-indexes or removes them,
 * which needs their old analyses (by key). Throws SnapshotError, touching nothing, when the snapshot is
 * corrupt or does not fit.
 */
export async function restoreSnapshot(engine: Engine, snap: Snapshot, current: Current, opts: RestoreOptions = {}): Promise<Restored> {
  if (snap.version !== engine.snapshotVersion) throw new SnapshotError('version');
  if (engine.size !== 0) throw new SnapshotError('engine not empty');
  const m = snap.meta;
  checkMeta(m, snap.parts.length);
  const tick = slicer();
  const parts: Buffer[] = [];
  for (let i = 0; i < snap.parts.length; i++) {
    const b = snap.parts[i]!;
    if (!opts.verified && (await sum(b, tick)) !== m.sums[i]) throw new SnapshotError(`part ${i} checksum`);
    parts.push(aligned(b));
  }
  const out: Restored = { kept: [], stale: [] };
  const apply: (() => void)[] = [];
  for (const type of ENTRY_TYPES) {
    const t = m.types[type];
    const count = t.features;
    const ids = await loadFeatures(parts[t.dict.part]!, t.dict, count, tick);
    const fl = new Layout(parts[t.feats]!);
    const f = { maxTf: fl.f64(count) as F64, minDl: fl.f64(count) as F64, df: fl.i32(count) as I32, n: fl.i32(count) as I32, pair: fl.i32(count) as I32, off: fl.i32(count) as I32 };
    fl.done();
    const pairs = t.pairs.map((p) => {
      const l = new Layout(parts[p.part]!);
      const v = { docs: l.i32(p.len), tfs: l.f32(p.len), shared: p.shared };
      l.done();
      return v;
    });
    for (let id = 0; id < count; id++) {
      const n = f.n[id]!;
      const p = f.pair[id]!;
      if (n === 0 ? p !== -1 : !(p >= 0 && p < pairs.length && f.off[id]! >= 0 && f.off[id]! + n <= pairs[p]!.docs.length)) throw new SnapshotError('postings');
      if ((id & 65535) === 0) await tick();
    }
    const dlay = new Layout(parts[t.docs]!);
    const dl = dlay.f64(t.docCount) as F64;
    const alive = dlay.u8(t.docCount) as Uint8Array<ArrayBuffer>;
    dlay.done();
    // Documents: each one's head; the record is the directory's own when unchanged.
    const heads = await readText(parts[t.heads]!, '\n', t.docCount, tick);
    const kl = new Layout(parts[t.keptOff]!);
    const keptOff = kl.i32(t.docCount + 1);
    kl.done();
    const keptSrc = parts[t.kept]!;
    if (keptOff[t.docCount] !== keptSrc.length) throw new SnapshotError('kept part');
    // Filled in order, no holes: the same kind of array as a build's (the query path reads both).
    const byDoc: (DocInfo | undefined)[] = [];
    const byId = new ShardedMap<DocInfo>();
    const now = current[type];
    let live = 0;
    for (let d = 0; d < t.docCount; d++) {
      const s = heads[d]!;
      if ((d & 127) === 0) await tick();
      if (s === '') {
        byDoc.push(undefined);
        continue;
      }
      live++;
      const f = s.split('\t');
      if (f.length !== HEAD_FIELDS) throw new SnapshotError('document head');
      const [id, version, updatedAt, status, inferred, sectors, key] = f as [string, string, string, EntryStatus, string, string, string];
      const from = keptOff[d]!;
      const to = keptOff[d + 1]!;
      if (!(from >= 0 && from <= to && to <= keptSrc.length)) throw new SnapshotError('kept offsets');
      const e = now.get(id);
      const same = e !== undefined && (opts.exact === true || (version !== '' && e.version === Number(version) && e.updatedAt === updatedAt && (e.status ?? 'open') === status));
      if (same) out.kept.push({ type, entry: e });
      else out.stale.push({ type, id, key: key === '' ? undefined : key });
      const info = DocInfo.loaded(d, same ? e : placeholder(id), STATUS.get(status) ?? status, sectors === '' ? [] : (sectors.split(',') as SectorId[]), inferred === '1', key === '' ? undefined : key, keptSrc, from, to);
      byDoc.push(info);
      byId.set(id, info);
    }
    if (byId.size !== live) throw new SnapshotError('duplicate ids');
    // Autocomplete.
    const il = new Layout(parts[t.auto.items]!);
    const itemDocs = il.i32(t.auto.nitems);
    il.done();
    const items: (Item | undefined)[] = new Array(itemDocs.length);
    const autoIds = new ShardedMap<number>();
    for (let i = 0; i < itemDocs.length; i++) {
      if ((i & 255) === 0) await tick();
      const d = itemDocs[i]!;
      if (d === -1) continue;
      const info = byDoc[d];
      if (!info) throw new SnapshotError('autocomplete item');
      items[i] = { record: info.record, status: info.status, seq: i };
      autoIds.set(info.record.id, i);
    }
    const keyNames = await readText(parts[t.auto.keys]!, SEP, t.auto.nkeys, tick);
    const ll = new Layout(parts[t.auto.lists]!);
    const lens = ll.i32(t.auto.nkeys);
    let total = 0;
    for (let i = 0; i < lens.length; i++) total += lens[i]!;
    const flat = ll.i32(total) as I32;
    ll.done();
    const postings = new ShardedMap<Int32Array>();
    for (let i = 0, at = 0; i < keyNames.length; i++) {
      const list = flat.subarray(at, (at += lens[i]!));
      if (list.length && list[list.length - 1]! >= items.length) throw new SnapshotError('autocomplete list');
      postings.set(keyNames[i]!, list);
      if ((i & 511) === 0) await tick();
    }
    apply.push(() => {
      const ti = engine.idx[type];
      ti.inv.arena.adopt(pairs, f);
      ti.inv.adopt({ docCount: t.docCount, liveCount: t.liveCount, totalLen: t.totalLen, dead: t.dead, df: f.df, dl, alive }, ids);
      ti.byDoc = byDoc;
      ti.byId = byId;
      ti.auto.adopt(items, autoIds, postings, t.auto.dead);
    });
  }
  for (const a of apply) a();
  return out;
}

// An entry's analysis (features, length, and what explanations keep) as a string that can be stored,
// keyed by a hash of the entry's text fields and of the analyser itself, so that a rebuild or a restart
// reads it back instead of analysing again. The analyser's hash covers the code beside this file and
// data/: any change to matching code or data makes every stored analysis a miss, never a wrong hit.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EntryRecord } from '../domain/entry.ts';
import type { Analysis } from './analyze.ts';
import type { BridgeMark } from './bridge.ts';

/** What an engine reads stored analyses from and hands fresh ones to (synchronously: the store is read ahead). */
export interface AnalysisCache {
  get(key: string): string | undefined;
  put(key: string, data: string): void;
}

/** Bump when the encoding below changes. */
const FORMAT = 2;
/** Feature names are stored joined by this (one string parses faster than one per feature); never in a name. */
const SEP = '\u0001';
const CODE_DIR = fileURLToPath(new URL('.', import.meta.url));
const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

function hashTree(h: ReturnType<typeof createHash>, dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) hashTree(h, path);
    else {
      h.update(`${name}\0`);
      h.update(readFileSync(path));
    }
  }
}

let base: string | undefined;
/** The analyser's version: matching code + data/ (read once, ~1.7 MB). */
export function analyserVersion(): string {
  if (!base) {
    const h = createHash('sha256');
    h.update(`format ${FORMAT}\0`);
    hashTree(h, CODE_DIR);
    hashTree(h, DATA_DIR);
    base = h.digest('base64url').slice(0, 12);
  }
  return base;
}

/** `version` holds the analyser's version and the engine options that change an analysis. */
export function analysisKey(version: string, r: EntryRecord): string {
  const text = JSON.stringify([r.title, r.keywords ?? [], r.description, r.org, r.sectors ?? []]);
  return `${version}:${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;
}

/** The version part of a key (stored rows of other versions are pruned). */
export const versionOf = (key: string): string => key.slice(0, key.lastIndexOf(':'));

const flat = <V>(m: ReadonlyMap<string, V>): (string | V)[] => {
  const out: (string | V)[] = [];
  for (const [k, v] of m) out.push(k, v);
  return out;
};

function unflat<V>(xs: readonly unknown[]): Map<string, V> {
  const m = new Map<string, V>();
  for (let i = 0; i < xs.length; i += 2) m.set(xs[i] as string, xs[i + 1] as V);
  return m;
}

/**
 * JSON numbers round-trip exactly, and Maps keep their order: decode(encode(a)) equals a.
 * undefined when a feature name is empty or holds the separator (then nothing is stored).
 */
export function encodeAnalysis(a: Analysis): string | undefined {
  const names = [...a.features.keys()];
  // '' would read back as no feature at all.
  if (names.some((n) => n === '' || n.includes(SEP))) return undefined;
  return JSON.stringify([FORMAT, a.length, names.join(SEP), [...a.features.values()], flat(a.concepts), flat(a.marks), flat(a.codes), flat(a.bridged)]);
}

/** undefined for anything this format did not write (the entry is then analysed). */
export function decodeAnalysis(s: string): Analysis | undefined {
  let v: unknown[];
  try {
    v = JSON.parse(s) as unknown[];
  } catch {
    return undefined;
  }
  if (!Array.isArray(v) || v[0] !== FORMAT || v.length !== 8 || typeof v[2] !== 'string' || !v.slice(3).every(Array.isArray)) return undefined;
  const tfs = v[3] as number[];
  const names = v[2] === '' ? [] : v[2].split(SEP);
  if (names.length !== tfs.length) return undefined;
  const features = new Map<string, number>();
  for (let i = 0; i < names.length; i++) features.set(names[i]!, tfs[i]!);
  return {
    length: v[1] as number,
    features,
    concepts: unflat<string>(v[4] as unknown[]),
    marks: unflat<BridgeMark>(v[5] as unknown[]),
    codes: unflat<string>(v[6] as unknown[]),
    bridged: unflat<number>(v[7] as unknown[]),
  };
}

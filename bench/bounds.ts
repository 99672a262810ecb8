// What top-k bounds could skip in the index's search, given the final k-th best score θ in advance (the
// best any MaxScore or block-max traversal could do): the share of postings a query must still read.
//   npx tsx bench/bounds.ts 100000 40        (entries, /match queries)
// - MaxScore: the terms, strongest bound first, until the bounds of the terms left sum below θ.
// - Block-max: documents in blocks of 2^S numbers; per block, each term's exact maximum there; a block is
//   read only if those maxima sum to θ or more, and in it only the terms MaxScore would still need.
import { docsOf, pickQueries } from './engines.ts';
import { Engine } from '../src/match/engine.ts';
import { InvertedIndex } from '../src/match/inverted.ts';

const size = Number(process.argv[2] ?? 20000);
const n = Number(process.argv[3] ?? 40);
const K1 = 1.2;
const B = 0.75;
const docs = docsOf(size);
const e = new Engine(docs);
type Call = { ix: InvertedIndex; args: Parameters<InvertedIndex['search']>; hits: { raw: number }[] };
const calls: Call[] = [];
const search = InvertedIndex.prototype.search;
InvertedIndex.prototype.search = function (this: InvertedIndex, ...args: Parameters<InvertedIndex['search']>) {
  const r = search.apply(this, args);
  calls.push({ ix: this, args, hits: r.hits });
  return r;
};
for (const d of pickQueries(docs, n)) e.matchEntry(d.type, d.record.id, { top: 10, explain: false });
InvertedIndex.prototype.search = search;

const sum: Record<string, number> = {};
const add = (k: string, v: number) => void (sum[k] = (sum[k] ?? 0) + v);
for (const { ix, args, hits } of calls) {
  const [query, k, , share = 0.2, , idOf = (f: string) => ix.idOf(f)] = args;
  if (hits.length < k) continue;
  const theta = hits[k - 1]!.raw;
  const a = ix.arena;
  const st = ix.state();
  const avgdl = st.totalLen / st.liveCount;
  const terms: { docs: Int32Array; tfs: Float32Array; off: number; n: number; w: number; ub: number }[] = [];
  for (const [f, qw] of query) {
    const id = idOf(f);
    const df = ix.dfOf(id);
    if (df === 0 || (st.liveCount >= 2000 && df > st.liveCount * share)) continue;
    const w = qw * ix.idf(df);
    const maxTf = a.maxTf[id]!;
    const ub = (w * maxTf * (K1 + 1)) / (maxTf + K1 * (1 - B + (B * a.minDl[id]!) / avgdl));
    const p = a.pair[id]!;
    terms.push({ docs: a.docs[p]!, tfs: a.tfs[p]!, off: a.off[id]!, n: a.n[id]!, w, ub });
  }
  terms.sort((x, y) => y.ub - x.ub);
  let total = 0;
  for (const t of terms) total += t.n;
  add('queries', 1);
  add('terms', terms.length);
  add('postings', total);
  let rest = 0;
  for (const t of terms) rest += t.ub;
  add('θ ÷ sum of bounds', theta / rest);
  let read = 0;
  for (const t of terms) {
    if (rest < theta) break;
    read += t.n;
    rest -= t.ub;
  }
  add('MaxScore reads', read / total);
  for (const S of [7, 9, 12]) {
    const W = (st.docCount >> S) + 1;
    const max = terms.map(() => new Float64Array(W));
    const count = terms.map(() => new Int32Array(W));
    terms.forEach((t, i) => {
      for (let j = t.off; j < t.off + t.n; j++) {
        const d = t.docs[j]!;
        const tf = t.tfs[j]!;
        const g = (t.w * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * st.dl[d]!) / avgdl));
        const b = d >> S;
        count[i]![b]!++;
        if (g > max[i]![b]!) max[i]![b] = g;
      }
    });
    let blocks = 0;
    let inBlocks = 0;
    for (let b = 0; b < W; b++) {
      let left = 0;
      for (let i = 0; i < terms.length; i++) left += max[i]![b]!;
      if (left < theta) continue;
      blocks++;
      for (let i = 0; i < terms.length && left >= theta; i++) {
        inBlocks += count[i]![b]!;
        left -= max[i]![b]!;
      }
    }
    add(`block-max (${1 << S} documents) blocks read`, blocks / W);
    add(`block-max (${1 << S} documents) reads`, inBlocks / total);
  }
}
const q = sum.queries ?? 1;
process.stdout.write(`${size} entries, ${q} searches with a full top k (means):\n`);
for (const [k, v] of Object.entries(sum)) if (k !== 'queries') process.stdout.write(`  ${k.padEnd(40)} ${(v / q).toFixed(3)}\n`);

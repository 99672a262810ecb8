// explain() alone, two checkouts side by side: the inputs of real /match calls on the wide corpus (the
// engine's own, captured once) are replayed through each checkout's src/match/explain.ts, per query in
// alternating order, and the outputs compared (a speed change must not move a byte of them).
//   node --expose-gc --import tsx bench/explain-replay.ts <base checkout> [checkout] [entries] [queries] [rounds]
// Each round gives every query a fresh analysis object (so its once-per-query work runs again) and a fresh
// word-cut memo; the engine's per-query feature-number memo stays warm from the capture, so the index's
// name-table look-ups (misses at 100k) are not in these figures: confirm a gain with bench/paired.ts.
// Prints CPU ms of explain per query (all suggestions) and how many has/says look-ups each checkout made.
// Noise: the same explain.ts from two checkouts of 4b48529 at 100k, 300 queries, 7 rounds gave a fastest-round
// sum ratio of 1.040 and a median per-query ratio of 1.035 (session 15, load ~4): read smaller moves as noise.
import type { ExplainInput } from '../src/match/explain.ts';

const [baseRoot, newRoot = '.', sizeArg = '20000', qArg = '300', roundsArg = '5'] = process.argv.slice(2);
if (!baseRoot) throw new Error('usage: bench/explain-replay.ts <base checkout> [checkout] [entries] [queries] [rounds]');
const url = (root: string, p: string) => new URL(p, `file://${root.startsWith('/') ? root : `${process.cwd()}/${root}`}/`).href;
type ExplainModule = typeof import('../src/match/explain.ts');
const { docsOf, pickQueries } = (await import(url(newRoot, 'bench/engines.ts'))) as typeof import('./engines.ts');
const { Engine } = (await import(url(newRoot, 'src/match/engine.ts'))) as typeof import('../src/match/engine.ts');
const { createSegmenter } = (await import(url(newRoot, 'src/match/segment.ts'))) as typeof import('../src/match/segment.ts');
const ex = {
  base: ((await import(url(baseRoot, 'src/match/explain.ts'))) as ExplainModule).explain,
  new: ((await import(url(newRoot, 'src/match/explain.ts'))) as ExplainModule).explain,
};

const docs = docsOf(Number(sizeArg));
const e = new Engine(docs);
for (const d of pickQueries(docs, 20, 7)) e.matchEntry(d.type, d.record.id, { top: 10 });

// The engine's own inputs to explain(), kept as it builds them (Engine.explainInput).
let capture: ExplainInput[] | undefined;
const built = Engine.prototype.explainInput;
Engine.prototype.explainInput = function (this: InstanceType<typeof Engine>, ...args: Parameters<typeof built>) {
  const x = built.apply(this, args);
  capture?.push(x);
  return x;
};
const groups: ExplainInput[][] = [];
for (const d of pickQueries(docs, Number(qArg))) {
  capture = [];
  e.matchEntry(d.type, d.record.id, { top: 10 });
  if (capture.length) groups.push(capture);
}
capture = undefined;

const seg = createSegmenter('jieba', groups[0]![0]!.glossary);
const fresh = (g: ExplainInput[]) => {
  const query = { ...g[0]!.query };
  const cut = new Map<string, string[]>();
  const words = (run: string) => {
    let w = cut.get(run);
    if (!w) cut.set(run, (w = seg(run)));
    return w;
  };
  return g.map((x) => ({ ...x, query, words }));
};
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const t: Record<'base' | 'new', number[]> = { base: [], new: [] };
let differ = 0;
// Each query's fastest round (its own work, without the machine's interruptions; the mean moves with them).
const best: Record<'base' | 'new', number[]> = { base: [], new: [] };
for (let r = 0; r < Number(roundsArg); r++) {
  groups.forEach((g, i) => {
    if (i % 50 === 0) gc();
    const outs: Record<string, string> = {};
    for (const name of (i + r) % 2 ? (['new', 'base'] as const) : (['base', 'new'] as const)) {
      const xs = fresh(g);
      const c = cpu();
      const res = xs.map((x) => ex[name](x));
      // Round 0 warms both up.
      if (r > 0) t[name].push(cpu() - c);
      if (r > 0) best[name][i] = Math.min(best[name][i] ?? Infinity, cpu() - c);
      outs[name] = JSON.stringify(res);
    }
    if (outs.base !== outs.new) differ++;
  });
}
const asks = { base: 0, new: 0 };
for (const name of ['base', 'new'] as const)
  for (const g of groups)
    for (const x of fresh(g)) {
      const s = x.target;
      ex[name]({ ...x, target: { ...s, has: (f) => (asks[name]++, s.has(f)), says: (f) => (asks[name]++, s.says(f)) } });
    }
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const f = (n: 'base' | 'new') => `mean ${(sum(t[n]) / t[n].length).toFixed(3)} p50 ${pct(t[n], 50).toFixed(3)} p95 ${pct(t[n], 95).toFixed(3)}`;
console.log(`${sizeArg} wide entries · ${groups.length} queries · ${(sum(groups.map((g) => g.length)) / groups.length).toFixed(1)} explanations a query`);
console.log(`explain CPU ms a query: base ${f('base')} · new ${f('new')} · mean ratio ${(sum(t.new) / sum(t.base)).toFixed(3)}`);
const byQuery = best.new.map((x, i) => x / best.base[i]!).filter((x) => Number.isFinite(x));
console.log(`fastest round per query: sum ratio ${(sum(best.new) / sum(best.base)).toFixed(3)} · median per-query ratio ${pct(byQuery, 50).toFixed(3)} · p95 base ${pct(best.base, 95).toFixed(3)} new ${pct(best.new, 95).toFixed(3)}`);
console.log(`has/says look-ups a query: base ${(asks.base / groups.length).toFixed(1)} · new ${(asks.new / groups.length).toFixed(1)} · queries whose explanations differ: ${differ}`);

// Two checkouts' engines in one process, built from the same wide corpus, each /match asked of both back to
// back (which goes first alternates): per-query pairs see the same machine load, so their ratio moves less
// than two processes' figures do on a shared machine. Builds run one after the other (the second with the
// first's heap around: compare builds and RSS with bench/side-by-side.ts instead).
//   node --max-old-space-size=6144 --expose-gc --import tsx bench/paired.ts <base checkout> <checkout> 100000 200
const [baseRoot, newRoot = '.', sizeArg = '100000', qArg = '200'] = process.argv.slice(2);
if (!baseRoot) throw new Error('usage: bench/paired.ts <base checkout> [checkout] [entries] [queries]');
const url = (root: string, p: string) => new URL(p, `file://${root.startsWith('/') ? root : `${process.cwd()}/${root}`}/`).href;
const { docsOf, pickQueries } = (await import(url(newRoot, 'bench/engines.ts'))) as typeof import('./engines.ts');
type E = InstanceType<typeof import('../src/match/engine.ts').Engine>;
const docs = docsOf(Number(sizeArg));
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const engines: { name: string; e: E; buildCpuS: number }[] = [];
for (const [name, root] of [['base', baseRoot], ['new', newRoot]] as const) {
  const { Engine } = (await import(url(root, 'src/match/engine.ts'))) as typeof import('../src/match/engine.ts');
  const c = cpu();
  engines.push({ name, e: new Engine(docs), buildCpuS: (cpu() - c) / 1000 });
}
// PAIRED_REMOVE=N: the same N entries removed from both first (removed documents stay in the postings
// until a compaction, as they do in a directory that has been edited).
for (const d of pickQueries(docs, Number(process.env.PAIRED_REMOVE ?? 0), 31)) for (const x of engines) x.e.remove(d.type, d.record.id);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
gc();
for (const d of pickQueries(docs, 20, 7)) for (const x of engines) { x.e.matchEntry(d.type, d.record.id, { top: 10, explain: false }); x.e.matchEntry(d.type, d.record.id, { top: 10 }); }
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
function round(label: string, qs: ReturnType<typeof pickQueries>, explain: boolean): void {
  const t: Record<string, { cpu: number[]; wall: number[] }> = { base: { cpu: [], wall: [] }, new: { cpu: [], wall: [] } };
  qs.forEach((d, i) => {
    for (const x of i % 2 ? [...engines].reverse() : engines) {
      const c = cpu();
      const w = performance.now();
      x.e.matchEntry(d.type, d.record.id, { top: 10, explain });
      t[x.name]!.wall.push(performance.now() - w);
      t[x.name]!.cpu.push(cpu() - c);
    }
  });
  const ratios = t.new!.cpu.map((c, i) => c / t.base!.cpu[i]!);
  const f = (k: 'cpu' | 'wall', n: string) => `p50 ${pct(t[n]![k], 50).toFixed(2)} p95 ${pct(t[n]![k], 95).toFixed(2)} p99 ${pct(t[n]![k], 99).toFixed(2)}`;
  console.log(`${label} ${explain ? 'with reasons' : 'without reasons'}: CPU base ${f('cpu', 'base')} · new ${f('cpu', 'new')} · p50 ratio ${(pct(t.new!.cpu, 50) / pct(t.base!.cpu, 50)).toFixed(2)} p95 ratio ${(pct(t.new!.cpu, 95) / pct(t.base!.cpu, 95)).toFixed(2)} p99 ratio ${(pct(t.new!.cpu, 99) / pct(t.base!.cpu, 99)).toFixed(2)} · median per-query ratio ${pct(ratios, 50).toFixed(2)} · wall base ${f('wall', 'base')} new ${f('wall', 'new')}`);
}
console.log(`${sizeArg} wide entries · build CPU base ${engines[0]!.buildCpuS.toFixed(1)} s, new ${engines[1]!.buildCpuS.toFixed(1)} s (sequential, one process)`);
// "first": a process's first queries after 20 others; "later": other ones after those (bench/side-by-side.ts).
const first = pickQueries(docs, Number(qArg));
round('first', first, false);
round('first', first, true);
const later = pickQueries(docs, Number(qArg), 23);
round('later', later, false);
round('later', later, true);

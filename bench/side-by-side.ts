// Two checkouts side by side on the same wide corpus, in CPU time (the 2-core machine is shared: CPU time
// moves less with its load than wall time does). Run both at once so that they see the same load:
//   node --expose-gc --import tsx bench/side-by-side.ts <checkout> 100000 200   (one JSON line each)
// <checkout> is a directory holding the code to measure (a git worktree of the commit before, or this one).
const [root = '.', sizeArg = '20000', queriesArg = '200'] = process.argv.slice(2);
const size = Number(sizeArg);
const dir = new URL(`file://${root.startsWith('/') ? root : `${process.cwd()}/${root}`}/`);
const { docsOf, pickQueries } = (await import(new URL('bench/engines.ts', dir).href)) as typeof import('./engines.ts');
const { Engine } = (await import(new URL('src/match/engine.ts', dir).href)) as typeof import('../src/match/engine.ts');
const { InvertedIndex } = (await import(new URL('src/match/inverted.ts', dir).href)) as typeof import('../src/match/inverted.ts');

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const MB = 2 ** 20;
const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const docs = docsOf(size);
gc();
const m0 = process.memoryUsage();
const c0 = process.cpuUsage();
const t0 = performance.now();
const e = new Engine(docs);
const build = { wallS: (performance.now() - t0) / 1000, cpuS: cpuMs(process.cpuUsage(c0)) / 1000 };
gc();
const m = process.memoryUsage();
const qs = pickQueries(docs, Number(queriesArg));
for (const d of pickQueries(docs, 20, 7)) e.matchEntry(d.type, d.record.id, { top: 10 });
// The share of a query spent in the index's BM25 search (the rest: typo correction, analysis, scoring, reasons).
let inSearch = 0;
const search = InvertedIndex.prototype.search;
InvertedIndex.prototype.search = function (this: InstanceType<typeof InvertedIndex>, ...args: Parameters<typeof search>) {
  const c = process.cpuUsage();
  try {
    return search.apply(this, args);
  } finally {
    inSearch += cpuMs(process.cpuUsage(c));
  }
};
let searchMs: number[] = [];
const wall: Record<string, number[]> = { plain: [], reasons: [] };
const time = (explain: boolean, queries = qs) =>
  queries.map((d) => {
    inSearch = 0;
    const c = process.cpuUsage();
    const t = performance.now();
    e.matchEntry(d.type, d.record.id, { top: 10, explain });
    wall[explain ? 'reasons' : 'plain']!.push(performance.now() - t);
    if (!explain) searchMs.push(inSearch);
    return cpuMs(process.cpuUsage(c));
  });
const plain = time(false);
const reasons = time(true);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const first = { plainWall: wall.plain!, reasonsWall: wall.reasons!, searchMs };
// Later: 200 other queries once 420 have run (the first ones of a process pay for compiling its code; a
// bot answers for days). Never asked before, so caches by word hold only what other queries left.
searchMs = [];
wall.plain = [];
wall.reasons = [];
const later = pickQueries(docs, Number(queriesArg), 23);
const plainLater = time(false, later);
const reasonsLater = time(true, later);
const p = (xs: number[]) => ({ p50: pct(xs, 50), p95: pct(xs, 95) });
process.stdout.write(
  JSON.stringify({
    root, size, buildWallS: build.wallS, buildCpuS: build.cpuS, rssMB: m.rss / MB, indexRssMB: (m.rss - m0.rss) / MB,
    heapMB: (m.heapUsed - m0.heapUsed) / MB, arraysMB: (m.arrayBuffers - m0.arrayBuffers) / MB,
    plainCpuMs: { p50: pct(plain, 50), p95: pct(plain, 95) }, reasonsCpuMs: { p50: pct(reasons, 50), p95: pct(reasons, 95) },
    searchCpuMs: { p50: pct(first.searchMs, 50), p95: pct(first.searchMs, 95), shareOfPlain: sum(first.searchMs) / sum(plain) },
    plainWallMs: p(first.plainWall), reasonsWallMs: p(first.reasonsWall),
    later: {
      plainCpuMs: p(plainLater), reasonsCpuMs: p(reasonsLater), plainWallMs: p(wall.plain!), reasonsWallMs: p(wall.reasons!),
      searchCpuMs: { ...p(searchMs), shareOfPlain: sum(searchMs) / sum(plainLater) },
    },
  }) + '\n',
);

// Where a /match's time goes, query by query, and which queries make the p95 (issue 10's tail):
//   node --expose-gc --import tsx bench/tail.ts [checkout] 100000 200 [passes]
// Per query: its features, the terms and postings the search reads, wall and CPU time split into before
// the search (typo correction, analysis), the search, and after it (re-rank, bounds of the shown, reasons),
// and the garbage-collection pauses that fell inside it. Each pass runs the same queries in the same order,
// so a query that is slow in every pass is slow by its work, one slow in one pass by something else.
import { PerformanceObserver } from 'node:perf_hooks';

const [root = '.', sizeArg = '20000', queriesArg = '200', passesArg = '3'] = process.argv.slice(2);
const dir = new URL(`file://${root.startsWith('/') ? root : `${process.cwd()}/${root}`}/`);
const { docsOf, pickQueries } = (await import(new URL('bench/engines.ts', dir).href)) as typeof import('./engines.ts');
const { Engine } = (await import(new URL('src/match/engine.ts', dir).href)) as typeof import('../src/match/engine.ts');
const { InvertedIndex } = (await import(new URL('src/match/inverted.ts', dir).href)) as typeof import('../src/match/inverted.ts');

const size = Number(sizeArg);
const docs = docsOf(size);
// TAIL_QUERY_BIGRAMS: the engine's queryBigrams option (a checkout without it ignores it).
const e = new Engine(docs, process.env.TAIL_QUERY_BIGRAMS ? ({ queryBigrams: process.env.TAIL_QUERY_BIGRAMS } as object) : {});
const qs = pickQueries(docs, Number(queriesArg));
// TAIL_WARM: how many other queries warm the process up first (20, as bench/side-by-side.ts does).
for (const d of pickQueries(docs, Number(process.env.TAIL_WARM ?? 20), 7)) e.matchEntry(d.type, d.record.id, { top: 10 });

const gcs: { start: number; end: number; kind: number }[] = [];
new PerformanceObserver((l) => {
  for (const g of l.getEntries()) gcs.push({ start: g.startTime, end: g.startTime + g.duration, kind: (g as { detail?: { kind?: number } }).detail?.kind ?? 0 });
}).observe({ entryTypes: ['gc'] });

interface Probe { searchStart: number; searchEnd: number; features: number; terms: number; postings: number; reasonsMs: number }
let probe: Probe = { searchStart: 0, searchEnd: 0, features: 0, terms: 0, postings: 0, reasonsMs: 0 };
const search = InvertedIndex.prototype.search;
InvertedIndex.prototype.search = function (this: InstanceType<typeof InvertedIndex>, ...args: Parameters<typeof search>) {
  const [query, , , share = 0.2, , idOf] = args;
  const live = this.size;
  let terms = 0;
  let postings = 0;
  for (const f of query.keys()) {
    const id = idOf ? idOf(f) : this.idOf(f);
    const df = this.dfOf(id);
    if (df === 0 || (live >= 2000 && df > live * share)) continue;
    terms++;
    postings += this.arena.n[id]!;
  }
  probe.features = query.size;
  probe.terms = terms;
  probe.postings = postings;
  probe.searchStart = performance.now();
  try {
    return search.apply(this, args);
  } finally {
    probe.searchEnd = performance.now();
  }
};
const proto = Engine.prototype as unknown as { reasons: (...a: unknown[]) => unknown };
const reasons = proto.reasons;
proto.reasons = function (this: unknown, ...args: unknown[]) {
  const t = performance.now();
  try {
    return reasons.apply(this, args);
  } finally {
    probe.reasonsMs += performance.now() - t;
  }
};

interface Row { q: number; pass: number; fresh: boolean; explain: boolean; wall: number; cpu: number; pre: number; search: number; post: number; reasons: number; gc: number; features: number; terms: number; postings: number; chars: number }
const rows: Row[] = [];
const passes = Number(passesArg);
// TAIL_PROFILE=prefix: a CPU profile of each pass and kind (prefix-0-plain.cpuprofile, …), sampled every 100 µs.
const { Session } = await import('node:inspector/promises');
const session = new Session();
const profile = process.env.TAIL_PROFILE;
if (profile) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
}
for (let pass = 0; pass < passes; pass++) {
  for (const explain of [false, true]) {
    if (profile) await session.post('Profiler.start');
    // TAIL_FRESH=1: from the second pass on, each query alternates with one never asked before (a fresh
    // pick per pass and kind), so that first-time costs and the machine's load drift separate.
    const fresh = pass > 0 && process.env.TAIL_FRESH ? pickQueries(docs, qs.length, 101 + 2 * pass + (explain ? 1 : 0)) : [];
    const order = qs.flatMap((d, q) => (fresh.length ? [{ d, q, fresh: false }, { d: fresh[q]!, q, fresh: true }] : [{ d, q, fresh: false }]));
    order.forEach(({ d, q, fresh }) => {
      probe = { searchStart: 0, searchEnd: 0, features: 0, terms: 0, postings: 0, reasonsMs: 0 };
      const c = process.cpuUsage();
      const t0 = performance.now();
      e.matchEntry(d.type, d.record.id, { top: 10, explain });
      const t1 = performance.now();
      const cpu = process.cpuUsage(c);
      const r = d.record;
      rows.push({
        q, pass, fresh, explain, wall: t1 - t0, cpu: (cpu.user + cpu.system) / 1000, pre: probe.searchStart - t0, search: probe.searchEnd - probe.searchStart,
        post: t1 - probe.searchEnd - probe.reasonsMs, reasons: probe.reasonsMs, gc: 0, features: probe.features, terms: probe.terms, postings: probe.postings,
        chars: r.title.length + (r.keywords ?? []).join(' ').length + r.description.length,
      });
      (rows.at(-1) as Row & { t0: number; t1: number }).t0 = t0;
      (rows.at(-1) as Row & { t0: number; t1: number }).t1 = t1;
    });
    if (profile) (await import('node:fs')).writeFileSync(`${profile}-${pass}-${explain ? 'reasons' : 'plain'}.cpuprofile`, JSON.stringify((await session.post('Profiler.stop')).profile));
  }
}
await new Promise((r) => setTimeout(r, 50));
for (const row of rows as (Row & { t0: number; t1: number })[]) {
  for (const g of gcs) if (g.end > row.t0 && g.start < row.t1) row.gc += Math.min(g.end, row.t1) - Math.max(g.start, row.t0);
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const f1 = (x: number) => x.toFixed(1);
const corr = (xs: number[], ys: number[]) => {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
};
const out: string[] = [`${root} · ${size} entries · ${qs.length} queries × ${passes} passes`];
for (const explain of [false, true]) {
  const rs = rows.filter((r) => r.explain === explain && !r.fresh);
  const col = (k: keyof Row) => rs.map((r) => r[k] as number);
  const line = (k: keyof Row) => `${k} p50 ${f1(pct(col(k), 50))} p95 ${f1(pct(col(k), 95))} mean ${f1(col(k).reduce((a, b) => a + b, 0) / rs.length)}`;
  out.push(`${explain ? 'with reasons' : 'without reasons'}: ${['wall', 'cpu', 'pre', 'search', 'post', 'reasons', 'gc'].map((k) => line(k as keyof Row)).join(' · ')}`);
  out.push(`  features p50 ${pct(col('features'), 50)} p95 ${pct(col('features'), 95)} · postings p50 ${pct(col('postings'), 50)} p95 ${pct(col('postings'), 95)}`);
  // Reproducible? Per-query wall time in pass 0 against the later passes.
  const byPass = (p: number) => rs.filter((r) => r.pass === p).map((r) => r.wall);
  for (let p = 1; p < passes; p++) out.push(`  wall, pass 0 vs pass ${p}: correlation ${corr(byPass(0), byPass(p)).toFixed(2)}`);
  const mins = qs.map((_, q) => Math.min(...rs.filter((r) => r.q === q).map((r) => r.wall)));
  out.push(`  each query's fastest pass: p50 ${f1(pct(mins, 50))} p95 ${f1(pct(mins, 95))} · correlation with postings ${corr(mins, qs.map((_, q) => rs.find((r) => r.q === q)!.postings)).toFixed(2)}, with features ${corr(mins, qs.map((_, q) => rs.find((r) => r.q === q)!.features)).toFixed(2)}`);
  const p95 = pct(col('wall'), 95);
  const slow = rs.filter((r) => r.wall >= p95);
  out.push(`  the ${slow.length} runs at or above p95 (${f1(p95)} ms): gc inside ${slow.filter((r) => r.gc > 0.5).length}, same query's fastest pass below p50 ${slow.filter((r) => mins[r.q]! < pct(col('wall'), 50)).length}`);
  for (const r of slow.sort((a, b) => b.wall - a.wall)) {
    out.push(`    q${r.q} pass ${r.pass}: wall ${f1(r.wall)} cpu ${f1(r.cpu)} = pre ${f1(r.pre)} + search ${f1(r.search)} + post ${f1(r.post)} + reasons ${f1(r.reasons)}; gc ${f1(r.gc)}; features ${r.features}, terms ${r.terms}, postings ${r.postings}, chars ${r.chars}; fastest pass ${f1(mins[r.q]!)}`);
  }
}
if (process.env.TAIL_FRESH) {
  for (const explain of [false, true]) {
    for (const fresh of [false, true]) {
      const rs = rows.filter((r) => r.explain === explain && r.pass > 0 && r.fresh === fresh);
      const col = (k: keyof Row) => rs.map((r) => r[k] as number);
      out.push(`${explain ? 'with reasons' : 'without reasons'}, ${fresh ? 'never asked before' : 'asked before'} (passes 1…, interleaved): ${['cpu', 'wall', 'pre', 'search', 'post', 'reasons', 'gc'].map((k) => `${k} p50 ${f1(pct(col(k as keyof Row), 50))} p95 ${f1(pct(col(k as keyof Row), 95))}`).join(' · ')}`);
    }
  }
}
process.stdout.write(out.join('\n') + '\n');
if (process.env.TAIL_JSON) (await import('node:fs')).writeFileSync(process.env.TAIL_JSON, JSON.stringify(rows));

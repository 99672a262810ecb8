// Whole results of one checkout, to compare with another's (speed work must not change a bit of them):
//   npx tsx bench/same.ts <checkout> 8000 > a.jsonl; npx tsx bench/same.ts . 8000 > b.jsonl; cmp a.jsonl b.jsonl
// 250 /match with and without reasons and 240 free-text searches on the wide corpus (ids, scores, evidence,
// reasons), then the same after 350 removals and 258 upserts (edited text, so features come and go).
const [root = '.', sizeArg = '8000'] = process.argv.slice(2);
const dir = new URL(`file://${root.startsWith('/') ? root : `${process.cwd()}/${root}`}/`);
const { docsOf, pickQueries } = (await import(new URL('bench/engines.ts', dir).href)) as typeof import('./engines.ts');
const { Engine } = (await import(new URL('src/match/engine.ts', dir).href)) as typeof import('../src/match/engine.ts');

const docs = docsOf(Number(sizeArg));
const e = new Engine(docs);
const out: string[] = [];
const write = (tag: string, x: unknown) => out.push(`${tag}\t${JSON.stringify(x, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))}`);
const strip = (s: { id: string; score: number; reasons: unknown; evidence?: unknown }[]) => s.map(({ id, score, reasons, evidence }) => ({ id, score, reasons, evidence }));
function round(label: string): void {
  for (const d of pickQueries(docs, 250, 5)) {
    write(`${label} match ${d.record.id}`, strip(e.matchEntry(d.type, d.record.id, { top: 10, explain: false })));
    write(`${label} match+ ${d.record.id}`, strip(e.matchEntry(d.type, d.record.id, { top: 10 })));
  }
  pickQueries(docs, 240, 9).forEach((d, i) => {
    const r = d.record;
    const text = i % 3 === 0 ? r.title : i % 3 === 1 ? (r.keywords ?? []).join(' ') || r.title : r.description.slice(0, 40 + (i % 60));
    write(`${label} search ${i}`, strip(e.search(text, ['need', 'capability'], { top: 10 })));
  });
}
round('built');
const gone = new Set(pickQueries(docs, 350, 13).map((d) => d.record.id));
for (const d of docs) if (gone.has(d.record.id)) e.remove(d.type, d.record.id);
for (const d of pickQueries(docs, 258, 17)) {
  const r = d.record;
  e.upsert({ type: d.type, record: { ...r, description: `${r.description.slice(20)} ${r.title}`, keywords: [...(r.keywords ?? []).slice(1), 'fuell cells'] } });
}
round('changed');
process.stdout.write(out.join('\n') + '\n');

// What the query path is thrown out of optimised code for once a worker-built (snapshot-loaded) index is
// adopted, next to an in-thread build of the same entries. Prints phase markers for a --trace-deopt log:
//   node --trace-deopt --import tsx bench/deopts.ts 8000 worker|thread > log; bench/deopts-count.sh log
// (The build phase's count includes the build worker's own deopts: one log for both threads.)
import type { EntryType } from '../src/domain/entry.ts';
import { createRanker } from '../src/match/engine.ts';
import { MatchService } from '../src/match/service.ts';
import type { Doc } from '../src/match/types.ts';
import type { ChangeEvent, GuildDirectory } from '../src/store/directory.ts';
import { docsOf, pickQueries } from './engines.ts';

class FakeDirectory {
  constructor(readonly guildId: string, private docs: Doc[]) {}
  async refresh(): Promise<void> {}
  async list(type: EntryType): Promise<Doc['record'][]> {
    return this.docs.filter((d) => d.type === type).map((d) => d.record);
  }
  subscribe(_l: (e: ChangeEvent) => void): () => void {
    return () => {};
  }
}
const asDir = (f: FakeDirectory) => f as unknown as GuildDirectory;

const size = Number(process.argv[2] ?? 8000);
const mode = process.argv[3] === 'thread' ? 'thread' : 'worker';
const service = new MatchService(createRanker, mode === 'thread' ? { workerMinEntries: false, rehearse: 0 } : { rehearse: 0 });
// A small guild built in-thread, asked throughout (as bench/stall.ts's probe).
const probeDocs = docsOf(2000);
const probe = await service.forGuild(asDir(new FakeDirectory('probe', probeDocs)));
const probeQs = pickQueries(probeDocs, 200, 3);
const ask = (n: number) => {
  const t = performance.now();
  let max = 0;
  for (let i = 0; i < n; i++) {
    const d = probeQs[i % probeQs.length]!;
    const s = performance.now();
    probe.matchEntry(d.type, d.record.id, { top: 10 });
    max = Math.max(max, performance.now() - s);
  }
  return `${n} in ${(performance.now() - t).toFixed(0)} ms, max ${max.toFixed(1)} ms`;
};
// Each phase's marker comes first: the deopts logged after it are the phase's.
console.log('PHASE warm');
console.log('  probe', ask(400));
const big = docsOf(size);
console.log('PHASE build');
const r = await service.forGuild(asDir(new FakeDirectory('big', big)));
await new Promise((res) => setTimeout(res, 200));
console.log('PHASE probe');
console.log('  probe', ask(1), '|', ask(50));
console.log('PHASE big');
const own = pickQueries(big, 100, 5);
let max = 0;
for (const d of own) {
  const s = performance.now();
  r.matchEntry(d.type, d.record.id, { top: 10 });
  max = Math.max(max, performance.now() - s);
}
console.log(`  big ${own.length}, max ${max.toFixed(1)} ms`);
console.log('PHASE probe-again');
console.log('  probe', ask(1), '|', ask(50));
console.log('PHASE end');
process.exit(0);

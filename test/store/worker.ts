// A writer process for the multi-process store tests: node --import tsx worker.ts <mode> …
//   add <guild> <who> <count> <startAt>   count adds, 10 at a time, all workers starting at startAt (ms)
//   import <guild> <prefix> <count>       one import of count entries; "IMPORTING" before, "IMPORTED" after
//   loop <guild> <who> [imports]          adds until SIGTERM; a failed add is reported and retried; with
//                                         "imports", every third write is an import of 500 entries
//                                         ("IMPORTING <prefix>" before, "IMPORTED <prefix> 500" once confirmed)
// Prints "ADDED <id> <title>" for every add the store confirmed.
import { openStore } from '../../src/store/db.ts';
import { Directory } from '../../src/store/directory.ts';

const [mode, guild, a, b, c] = process.argv.slice(2);
const store = await openStore(process.env.STORE_URL!);
const dir = new Directory(store);
const g = dir.guild(guild!);
const out = (s: string) => process.stdout.write(s + '\n');
const need = (title: string) => ({ org: 'org', title, description: 'written by a worker process' });

if (mode === 'add') {
  const who = { id: a!, name: a! };
  await g.list('need');
  await new Promise((r) => setTimeout(r, Math.max(0, Number(c) - Date.now())));
  const count = Number(b);
  for (let i = 0; i < count; i += 10) {
    await Promise.all(Array.from({ length: Math.min(10, count - i) }, async (_, j) => {
      const e = await g.add('need', need(`${who.id} ${i + j}`), who);
      out(`ADDED ${e.id} ${e.title}`);
    }));
  }
} else if (mode === 'import') {
  const needs = Array.from({ length: Number(b) }, (_, i) => ({ id: `${a}-${i}`, org: 'org', title: `imported ${i}`, description: 'bulk' }));
  out('IMPORTING');
  await g.importDataset({ version: 1, needs, capabilities: [] }, 'merge', { id: 'importer', name: 'importer' });
  out('IMPORTED');
} else if (mode === 'loop') {
  const who = { id: a!, name: a! };
  let stop = false;
  process.on('SIGTERM', () => (stop = true));
  for (let i = 0; !stop; i++) {
    try {
      if (b === 'imports' && i % 3 === 2) {
        const prefix = `${who.id}-imp${i}`;
        const needs = Array.from({ length: 500 }, (_, k) => ({ id: `${prefix}-${k}`, org: 'org', title: `${prefix} ${k}`, description: 'bulk' }));
        out(`IMPORTING ${prefix}`);
        await g.importDataset({ version: 1, needs, capabilities: [] }, 'merge', who);
        out(`IMPORTED ${prefix} 500`);
        continue;
      }
      const e = await g.add('need', need(`${who.id} ${i}`), who);
      out(`ADDED ${e.id} ${e.title}`);
    } catch (err) {
      out(`FAILED ${(err as Error).message.split('\n')[0]}`);
    }
    await new Promise((r) => setTimeout(r, 10)); // a steady stream, not a busy loop on a shared machine
  }
}
await dir.close();
await store.close();
out('DONE');

// One fresh store per test on the given engine, and the directories opened on it (each open() is a separate
// connection, like another process); everything is closed and removed after the test.
import { afterEach, beforeEach } from 'vitest';
import { openStore, type Store } from '../../src/store/db.ts';
import { Directory } from '../../src/store/directory.ts';
import type { Engine } from './engines.ts';

export function freshStores(engine: Engine): { open(): Promise<{ store: Store; directory: Directory }> } {
  let db: Awaited<ReturnType<Engine['fresh']>>;
  let opened: { store: Store; directory: Directory }[] = [];
  beforeEach(async () => {
    db = await engine.fresh();
    opened = [];
  });
  afterEach(async () => {
    for (const o of opened) {
      await o.directory.close();
      await o.store.close().catch(() => {});
    }
    await db.cleanup();
  });
  return {
    async open() {
      const store = await openStore(db.url);
      const directory = new Directory(store, undefined, { pollMs: 0 });
      opened.push({ store, directory });
      return { store, directory };
    },
  };
}

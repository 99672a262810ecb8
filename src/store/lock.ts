// A cross-process lock per guild for a store file shared by several workers on one host
// (HTTP interaction workers behind a proxy): mkdir is atomic, so the directory is the lock.
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export type Lock = (guildId: string) => Promise<() => Promise<void>>;

/** A lock older than this is taken to belong to a dead process. */
const STALE_MS = 30_000;
const WAIT_MS = 10_000;

export function fileLock(dir: string): Lock {
  return async (guildId) => {
    const path = join(dir, `${guildId}.lock`);
    await mkdir(dir, { recursive: true });
    const started = Date.now();
    for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
      try {
        await mkdir(path);
        return () => rm(path, { recursive: true, force: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const age = await stat(path).then((s) => Date.now() - s.mtimeMs, () => 0);
        if (age > STALE_MS) await rm(path, { recursive: true, force: true });
        else if (Date.now() - started > WAIT_MS) throw new Error(`store lock ${path} held for over ${WAIT_MS / 1000} s`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  };
}

/** For stores only one process uses (memory:). */
export const noLock: Lock = async () => async () => {};

// The dispatch limiter: slots, one start per turn of the event loop, and holding starts while
// requests are still being acknowledged (bounded).
import { describe, expect, it } from 'vitest';
import { Limiter } from '../../src/discord/limiter.ts';

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('Limiter', () => {
  it('runs at most `slots` tasks at once, the rest in order, one start per turn', async () => {
    const limiter = new Limiter(2);
    const started: number[] = [];
    const release: (() => void)[] = [];
    const runs = [0, 1, 2, 3].map((n) => limiter.run(() => {
      started.push(n);
      return new Promise<number>((r) => release.push(() => r(n)));
    }));
    await tick();
    expect(started).toEqual([0]); // one start per turn
    await tick();
    expect(started).toEqual([0, 1]);
    await tick();
    expect(started).toEqual([0, 1]); // both slots busy
    expect(limiter.queued).toBe(2);
    release[0]!();
    await tick();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    release[1]!();
    release[2]!();
    await tick();
    await tick();
    release[3]!();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(limiter.running).toBe(0);
  });

  it('a failing task frees its slot', async () => {
    const limiter = new Limiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.run(async () => 'next')).toBe('next');
  });

  it('holds starts while hold() is true, resumes on wake(), and never holds longer than maxHoldMs', async () => {
    let held = true;
    const limiter = new Limiter(4, () => held, 10_000);
    let ran = false;
    const run = limiter.run(async () => void (ran = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(ran).toBe(false);
    held = false;
    limiter.wake();
    await run;
    expect(ran).toBe(true);

    const stubborn = new Limiter(4, () => true, 40);
    const t = Date.now();
    await stubborn.run(async () => undefined);
    expect(Date.now() - t).toBeGreaterThanOrEqual(35);
  });

  it('a timed hold (ms) is asked again when it ends, without a wake()', async () => {
    const until = Date.now() + 60;
    const limiter = new Limiter(4, () => until - Date.now(), 10_000);
    const t = Date.now();
    await limiter.run(async () => undefined);
    expect(Date.now() - t).toBeGreaterThanOrEqual(55);
    expect(Date.now() - t).toBeLessThan(2_000);
    // Not held at all: starts on the next turn.
    const free = new Limiter(4, () => 0);
    const t2 = Date.now();
    await free.run(async () => undefined);
    expect(Date.now() - t2).toBeLessThan(50);
  });
});

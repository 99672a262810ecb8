// WORKERS=N: the primary process forks N workers (node:cluster) that share the HTTP port; each runs
// the whole app (runServer). The primary holds the memory shared state (STATE_URL=memory:) and
// aggregates metrics; SIGTERM/SIGINT reach every worker, which finish what is in flight and close
// the store; a worker that dies unexpectedly is replaced.
import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { serveClusterMetrics } from '../metrics.ts';
import { serveClusterState } from '../state/cluster.ts';

/** More crashes than this within a minute stop the whole service instead of restarting forever. */
const MAX_CRASHES_PER_MINUTE = 5;
const RESTART_DELAY_MS = 1000;
/** After SIGTERM, workers get their drain time plus this margin before they are killed. */
const STOP_MARGIN_MS = 10_000;

export async function runPrimary(config: Config, log: Logger, drainMs = 15_000): Promise<void> {
  const state = config.STATE_URL.startsWith('memory:') ? serveClusterState() : undefined;
  serveClusterMetrics();
  const workers = new Map<number, Worker>();
  const crashes: number[] = [];
  let stopping = false;
  let failed = false;
  let wake: (why: string) => void = () => {};
  const stopRequested = new Promise<string>((resolve) => (wake = resolve));

  const fork = (index: number) => {
    const worker = cluster.fork({ LIAISON_WORKER_INDEX: String(index) });
    workers.set(index, worker);
    worker.on('exit', (code, signal) => {
      if (workers.get(index) === worker) workers.delete(index);
      if (stopping) return;
      log.error('worker exited unexpectedly', { worker: index, pid: worker.process.pid, code, signal });
      const now = Date.now();
      crashes.push(now);
      while (crashes.length && now - crashes[0]! > 60_000) crashes.shift();
      if (crashes.length > MAX_CRASHES_PER_MINUTE) {
        failed = true;
        wake('crash-loop');
        return;
      }
      setTimeout(() => !stopping && fork(index), RESTART_DELAY_MS);
    });
  };

  process.once('SIGINT', () => wake('SIGINT'));
  process.once('SIGTERM', () => wake('SIGTERM'));
  log.info('starting workers', { workers: config.WORKERS, state: state ? 'memory (primary)' : 'shared backend' });
  // One at a time: each opens (and may migrate) the store before the next starts.
  for (let i = 0; i < config.WORKERS && !stopping; i++) {
    fork(i);
    await new Promise<void>((resolve) => {
      const w = workers.get(i)!;
      const done = () => {
        w.off('message', onMessage);
        resolve();
      };
      const onMessage = (m: unknown) => (m as { liaisonReady?: boolean } | undefined)?.liaisonReady && done();
      w.on('message', onMessage);
      w.once('exit', done);
    });
  }
  const why = await stopRequested;
  stopping = true;
  log.info('stopping workers', { reason: why });
  // A second signal while the workers drain means "now".
  const force = () => {
    for (const w of workers.values()) w.process.kill('SIGKILL');
  };
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
  // A worker our SIGTERM ends before it has installed its own handler was still starting (it installs
  // it before it reports ready): nothing was in flight, so that counts as a clean stop.
  const exits = [...workers.values()].map((w) => new Promise<number | null>((resolve) => {
    if (w.isDead()) resolve(w.process.exitCode ?? (w.process.signalCode === 'SIGTERM' ? 0 : null));
    else w.once('exit', (code, signal) => resolve(code ?? (signal === 'SIGTERM' ? 0 : null)));
  }));
  for (const w of workers.values()) if (!w.isDead()) w.process.kill('SIGTERM');
  const killer = setTimeout(force, drainMs + STOP_MARGIN_MS);
  const codes = await Promise.all(exits);
  clearTimeout(killer);
  await state?.close();
  process.off('SIGINT', force);
  process.off('SIGTERM', force);
  const clean = !failed && codes.every((c) => c === 0);
  log.info('all workers stopped', { codes });
  if (!clean) process.exitCode = 1;
}

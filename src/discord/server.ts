// npm start with DISCORD_TOKEN and/or INTERACTIONS_PORT: the app behind the gateway, the HTTP
// endpoint, or both, until SIGINT/SIGTERM.
import cluster from 'node:cluster';
import { createApp, type App } from '../app.ts';
import type { Config } from '../config.ts';
import { createAttachmentFetcher } from '../interactions/attachments.ts';
import type { Logger } from '../log.ts';
import { WARM_UP } from '../match/engine.ts';
import { createMetrics } from '../metrics.ts';
import { shardOptions, startGateway } from './gateway.ts';
import { startHttp } from './http.ts';
import type { TransportOptions } from './respond.ts';

export { startGateway, type GatewayHandle } from './gateway.ts';
export { startHttp, type HttpHandle, type HttpOptions } from './http.ts';
export { respond, type Outcome, type Sender, type TransportOptions } from './respond.ts';

export interface Servers {
  app: App;
  /** Settles once the matching data is loaded (rejects if it cannot be). */
  warmed: Promise<void>;
  /** Stops both transports (each waits for its interactions in flight), then closes the store. */
  stop(): Promise<void>;
}

/** Creates the app and starts the transports the config asks for; no signal handling. */
export async function startServers(config: Config, log: Logger, opts: TransportOptions = {}): Promise<Servers> {
  if (!config.DISCORD_TOKEN && config.INTERACTIONS_PORT === undefined) {
    throw new Error('Set DISCORD_TOKEN (gateway) and/or INTERACTIONS_PORT (HTTP endpoint) to serve Discord.');
  }
  const app = await createApp(config, log, createAttachmentFetcher(config.ATTACHMENT_HOSTS), { warm: false });
  // The matching data (~0.8 s of CPU) loads in steps once the transports have begun to start: the endpoint's
  // socket is bound and the gateway's login in flight meanwhile; interactions that come in wait for it. A pause
  // before each step lets the requests that queued during the last one be answered (one loop turn is not enough:
  // each takes several turns of I/O), so the longest wait is one step's (~0.5 s), not the whole load's.
  let stopping: Promise<void> | undefined;
  const warmed = (async () => {
    for (const step of [...WARM_UP, () => app.services.matcher.warmUp()]) {
      await new Promise((r) => setTimeout(r, 60));
      if (stopping) return;
      step();
    }
  })();
  void warmed.catch(() => undefined); // runServer awaits it; a failed start must not leave it unhandled
  const metrics = opts.metrics ?? createMetrics(app.dispatcher.commands.map((c) => c.data.name), () => app.services.matcher.indexedEntries());
  const withMetrics: TransportOptions = { ...opts, metrics };
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    const results = await Promise.allSettled(stops.map((s) => s()));
    for (const r of results) if (r.status === 'rejected') log.error('transport did not stop cleanly', { err: r.reason });
    await app.close();
  };
  try {
    if (config.DISCORD_TOKEN && shardOptions(config)) stops.push((await startGateway(app, config, log, withMetrics)).stop);
    if (config.INTERACTIONS_PORT !== undefined) stops.push((await startHttp(app, config, log, withMetrics)).stop);
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
  return { app, warmed, stop: () => (stopping ??= stopAll()) };
}

/**
 * Serves until SIGINT/SIGTERM, then stops taking interactions, finishes those in flight and closes
 * the store. In a cluster worker the primary owns the signals: a second one is ignored here (the
 * primary kills workers that outlive their drain time) and the worker exits when done.
 */
export async function runServer(config: Config, log: Logger): Promise<void> {
  const worker = cluster.isWorker;
  const servers = await startServers(config, log);
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  // Ready once the matching data is loaded (a failure to load it ends the start), or stopped before that.
  await Promise.race([servers.warmed, signalled]);
  if (worker) process.send?.({ liaisonReady: true }); // the primary starts the next worker
  const signal = await signalled;
  log.info('shutting down', { signal });
  // A second signal while draining means "now" (in a worker: ignored, the primary decides).
  const force = (s: NodeJS.Signals) => {
    if (worker) return;
    log.warn('forced exit', { signal: s });
    process.exit(1);
  };
  process.on('SIGINT', force);
  process.on('SIGTERM', force);
  await servers.stop();
  log.info('stopped');
  if (worker) process.exit(0); // the IPC channel would keep a worker alive
  process.off('SIGINT', force);
  process.off('SIGTERM', force);
}

// Prometheus metrics (prom-client): interactions by command and outcome, latency from receipt,
// refused requests, index size, store errors. With WORKERS>1 the primary aggregates every worker's
// registry (prom-client's AggregatorRegistry) and whichever worker is asked serves the sum.
import cluster from 'node:cluster';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { InteractionType, type APIInteraction } from 'discord-api-types/v10';

export interface Metrics {
  registry: Registry;
  /** One interaction answered (or not): outcome of respond(), ms since receipt. */
  interaction(i: APIInteraction, outcome: string, ms: number): void;
  /** A request refused before dispatch (signature, replay, malformed, overload). */
  refused(reason: string): void;
  storeError(): void;
  /** The exposition text: this process's, or every worker's in a cluster. */
  text(): Promise<{ contentType: string; body: string }>;
}

const TYPE_LABEL: Partial<Record<number, string>> = {
  [InteractionType.ApplicationCommand]: 'command',
  [InteractionType.ApplicationCommandAutocomplete]: 'autocomplete',
  [InteractionType.MessageComponent]: 'component',
  [InteractionType.ModalSubmit]: 'modal',
};

function nameOf(i: APIInteraction): unknown {
  const data = (i as { data?: { name?: unknown; custom_id?: unknown } }).data;
  if (!data || typeof data !== 'object') return undefined;
  return typeof data.custom_id === 'string' ? data.custom_id.split(':')[0] : data.name;
}

/**
 * `commands`: the names that may appear as a label (anything else counts as "other", so a forged
 * name cannot grow the label set). `indexSize`: entries held by this process's matching index.
 */
export function createMetrics(commands: readonly string[], indexSize: () => number): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const known = new Set(commands);
  const interactions = new Counter({
    name: 'liaison_interactions_total', help: 'Interactions answered, by command, interaction type and outcome',
    labelNames: ['command', 'type', 'outcome'] as const, registers: [registry],
  });
  const latency = new Histogram({
    name: 'liaison_interaction_seconds', help: 'Time from receipt to the first response (or the final one when deferred), by command',
    labelNames: ['command', 'type'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10], registers: [registry],
  });
  const refused = new Counter({
    name: 'liaison_http_refused_total', help: 'HTTP requests refused before dispatch, by reason',
    labelNames: ['reason'] as const, registers: [registry],
  });
  const storeErrors = new Counter({ name: 'liaison_store_errors_total', help: 'Failed store or shared-state checks', registers: [registry] });
  new Gauge({
    name: 'liaison_index_entries', help: 'Entries in the matching index of one process (max over workers)',
    registers: [registry], aggregator: 'max',
    collect() { this.set(indexSize()); },
  });
  if (cluster.isWorker) {
    // Answer the primary's aggregation requests with this registry.
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([registry]);
  }
  return {
    registry,
    interaction(i, outcome, ms) {
      const name = nameOf(i);
      const command = typeof name === 'string' && known.has(name) ? name : 'other';
      const type = TYPE_LABEL[i.type] ?? 'other';
      interactions.inc({ command, type, outcome });
      latency.observe({ command, type }, ms / 1000);
    },
    refused: (reason) => refused.inc({ reason }),
    storeError: () => storeErrors.inc(),
    async text() {
      if (cluster.isWorker) return { contentType: registry.contentType, body: await askPrimary() };
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

interface MetricsRequest { liaisonMetrics: number }
interface MetricsReply { liaisonMetricsReply: number; body?: string; error?: string }
let seq = 0;

function askPrimary(): Promise<string> {
  return new Promise((resolve, reject) => {
    const id = ++seq;
    const timer = setTimeout(() => done(new Error('the primary process did not answer')), 5000);
    const onMessage = (m: unknown) => {
      const r = m as MetricsReply | undefined;
      if (r?.liaisonMetricsReply !== id) return;
      done(r.error ? new Error(r.error) : undefined, r.body);
    };
    function done(err?: Error, body?: string) {
      clearTimeout(timer);
      process.off('message', onMessage);
      if (err) reject(err);
      else resolve(body ?? '');
    }
    process.on('message', onMessage);
    process.send!({ liaisonMetrics: id } satisfies MetricsRequest);
  });
}

/** In the primary: aggregates the workers' metrics for whichever worker asks. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, m: unknown) => {
    const req = m as MetricsRequest | undefined;
    if (typeof req?.liaisonMetrics !== 'number') return;
    aggregator.clusterMetrics().then(
      (body) => worker.isConnected() && worker.send({ liaisonMetricsReply: req.liaisonMetrics, body } satisfies MetricsReply),
      (err: unknown) => worker.isConnected() && worker.send({ liaisonMetricsReply: req.liaisonMetrics, error: String(err) } satisfies MetricsReply),
    );
  });
}

// The longest event-loop stall while a guild's index takes in a big import, and while a large guild
// builds from cold, with /match (reasons included) asked of another guild every 25 ms throughout.
// The directory is an in-memory stand-in emitting the store's change events, so the figures are the
// matching service's own (the store's reads and writes are bench/store.ts's business).
// `worker` (the default) builds as the service does, big guilds in a worker thread; `thread` keeps every
// build on the main thread (as before the build worker), to compare side by side.
//   node --expose-gc --import tsx bench/stall.ts import 100000 | cold 1000000 [worker|thread]
import { closeSync, openSync, readSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import type { EntryType } from '../src/domain/entry.ts';
import { createRanker } from '../src/match/engine.ts';
import { MatchService } from '../src/match/service.ts';
import type { Doc } from '../src/match/types.ts';
import type { ChangeEvent, GuildDirectory } from '../src/store/directory.ts';
import { docsOf, pickQueries } from './engines.ts';

class FakeDirectory {
  private listeners: ((e: ChangeEvent) => void)[] = [];
  constructor(readonly guildId: string, private docs: Doc[]) {}
  async refresh(): Promise<void> {}
  async list(type: EntryType): Promise<Doc['record'][]> {
    return this.docs.filter((d) => d.type === type).map((d) => d.record);
  }
  subscribe(l: (e: ChangeEvent) => void): () => void {
    this.listeners.push(l);
    return () => {};
  }
  replaceAll(docs: Doc[]): void {
    this.docs = docs;
    for (const l of this.listeners) l({ kind: 'reset' });
  }
}
const asDir = (f: FakeDirectory) => f as unknown as GuildDirectory;

export interface StallFigures {
  scenario: string;
  mode: 'worker' | 'thread';
  entries: number;
  seconds: number;
  maxStallMs: number;
  p99StallMs: number;
  probes: number;
  probeMaxMs: number;
  probeP95Ms: number;
  /** The longest a probe /match itself ran: part of any stall it falls in. */
  probeExecMaxMs: number;
  /** The most main-thread CPU a probe /match took (its own work, however loaded the machine; Linux only). */
  probeCpuMaxMs: number;
  rssMB: number;
  /** The longest garbage collection pause on the main thread, and how many passed 50 ms (worker threads' own are not seen). */
  gcMaxMs: number;
  gcOver50: number;
  /**
   * The most CPU the main thread spent between two turns of a 1 ms timer, leaving out the probe's own /match
   * (its own work, whatever the other processes on the machine do; Linux only), the five longest with when
   * they began (seconds into the run; mono: the monotonic clock of a --cpu-prof profile, in µs).
   */
  stepCpuMaxMs: number;
  steps: { at: number; cpuMs: number; wallMs: number; mono: number }[];
  /** Main-thread CPU over the run, and the process's peak RSS (typed arrays and other off-heap memory included). */
  mainCpuS: number;
  peakRssMB: number;
  /** CPU of the whole process (the build worker's included) during the run. */
  processCpuS: number;
  /** The big guild's own /match (reasons included) after the run, 200 of them. */
  afterP50Ms: number;
  afterP95Ms: number;
}

/**
 * The main thread's own CPU time between turns of the event loop (a 1 ms timer reads its schedstat), so
 * a step is measured by its work rather than by how long the machine let it run.
 */
export function stepWatch(): { cpu(): number; exclude(ms: number): void; stop(): { stepCpuMaxMs: number; steps: { at: number; cpuMs: number; wallMs: number; mono: number }[]; mainCpuS: number } } {
  let fd: number;
  try {
    fd = openSync('/proc/thread-self/schedstat', 'r');
  } catch {
    return { cpu: () => 0, exclude() {}, stop: () => ({ stepCpuMaxMs: NaN, steps: [], mainCpuS: NaN }) };
  }
  const buf = Buffer.alloc(128);
  const cpu = () => Number(buf.toString('latin1', 0, readSync(fd, buf, 0, 128, 0)).split(' ')[0]) / 1e6;
  /** CPU to leave out of the current step (the probe's own /match: a request is not stalled by itself). */
  let excluded = 0;
  const t0 = performance.now();
  const c0 = cpu();
  let lastCpu = c0;
  let lastWall = t0;
  /** Monotonic µs (the clock of a --cpu-prof profile), to find a step in one. */
  let lastMono = Number(process.hrtime.bigint() / 1000n);
  const steps: { at: number; cpuMs: number; wallMs: number; mono: number }[] = [];
  const timer = setInterval(() => {
    const c = cpu();
    const w = performance.now();
    const step = { at: (lastWall - t0) / 1000, cpuMs: c - lastCpu - excluded, wallMs: w - lastWall, mono: lastMono };
    excluded = 0;
    if (steps.length < 5 || step.cpuMs > steps[steps.length - 1]!.cpuMs) {
      steps.push(step);
      steps.sort((a, b) => b.cpuMs - a.cpuMs);
      if (steps.length > 5) steps.pop();
    }
    lastCpu = c;
    lastWall = w;
    lastMono = Number(process.hrtime.bigint() / 1000n);
  }, 1);
  return {
    cpu,
    exclude(ms) {
      excluded += ms;
    },
    stop() {
      clearInterval(timer);
      const mainCpuS = (cpu() - c0) / 1000;
      closeSync(fd);
      return { stepCpuMaxMs: steps[0]?.cpuMs ?? 0, steps, mainCpuS };
    },
  };
}

/** The process's peak RSS so far (maxRSS: typed arrays, buffers and workers included). */
function peakRss(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Watches the main thread's garbage collection pauses. */
export function gcWatch(): { stop(): { gcMaxMs: number; gcOver50: number } } {
  let gcMaxMs = 0;
  let gcOver50 = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcMaxMs = Math.max(gcMaxMs, e.duration);
      if (e.duration > 50) gcOver50++;
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      obs.disconnect();
      return { gcMaxMs, gcOver50 };
    },
  };
}

export async function runStall(scenario: 'import' | 'cold', size: number, mode: 'worker' | 'thread' = 'worker'): Promise<StallFigures> {
  const service = new MatchService(createRanker, mode === 'thread' ? { workerMinEntries: false } : {});
  service.warmUp();
  const probeDocs = docsOf(2000);
  const probeDir = new FakeDirectory('probe', probeDocs);
  const probeRanker = await service.forGuild(asDir(probeDir));
  const probeQs = pickQueries(probeDocs, 200, 3);
  const big = docsOf(size);
  const dir = new FakeDirectory('big', scenario === 'import' ? big.slice(0, 1000) : big);
  if (scenario === 'import') await service.forGuild(asDir(dir));

  const h = monitorEventLoopDelay({ resolution: 5 });
  const lat: number[] = [];
  let exec = 0;
  let probeCpu = 0;
  let i = 0;
  // A request every 25 ms: how long from when it was due to when its answer was ready.
  let due = performance.now() + 25;
  const cpuSteps = stepWatch();
  const probe = setInterval(() => {
    const d = probeQs[i++ % probeQs.length]!;
    const t = performance.now();
    const c = cpuSteps.cpu();
    probeRanker.matchEntry(d.type, d.record.id, { top: 10 });
    const used = cpuSteps.cpu() - c;
    cpuSteps.exclude(used);
    probeCpu = Math.max(probeCpu, used);
    exec = Math.max(exec, performance.now() - t);
    lat.push(performance.now() - due);
    due = Math.max(due + 25, performance.now());
  }, 25);
  h.enable();
  const gcs = gcWatch();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  if (scenario === 'import') {
    dir.replaceAll(big);
    await new Promise((r) => setTimeout(r, 1));
    while (service.updating('big')) await new Promise((r) => setTimeout(r, 20));
  } else {
    await service.forGuild(asDir(dir));
  }
  const seconds = (performance.now() - t0) / 1000;
  h.disable();
  const gc = gcs.stop();
  const st = cpuSteps.stop();
  clearInterval(probe);
  const cpu = process.cpuUsage(cpu0);
  lat.sort((a, b) => a - b);
  // The big guild's own /match once built (the same requests as the probe's: reasons included).
  const ranker = await service.forGuild(asDir(dir));
  const own = pickQueries(big, 200, 5).map((d) => {
    const t = performance.now();
    ranker.matchEntry(d.type, d.record.id, { top: 10 });
    return performance.now() - t;
  }).sort((a, b) => a - b);
  return {
    scenario, mode, entries: size, seconds, maxStallMs: h.max / 1e6, p99StallMs: h.percentile(99) / 1e6,
    probes: lat.length, probeMaxMs: lat[lat.length - 1] ?? NaN, probeP95Ms: lat[Math.floor(lat.length * 0.95)] ?? NaN, probeExecMaxMs: exec, probeCpuMaxMs: probeCpu,
    rssMB: process.memoryUsage().rss / 1024 / 1024, ...gc, ...st, peakRssMB: peakRss(), processCpuS: (cpu.user + cpu.system) / 1e6,
    afterP50Ms: own[100]!, afterP95Ms: own[190]!,
  };
}

if (process.argv[1]?.endsWith('stall.ts')) {
  const [scenario = 'import', size = '100000', mode = 'worker'] = process.argv.slice(2);
  process.stdout.write(JSON.stringify(await runStall(scenario as 'import' | 'cold', Number(size), mode as 'worker' | 'thread')) + '\n');
}

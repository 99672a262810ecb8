// Shared helpers for the foundation tests: temp dirs, real child processes, small datasets.
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { createApp, type App } from '../src/app.ts';
import { parseConfig } from '../src/config.ts';
import { createAttachmentFetcher } from '../src/interactions/attachments.ts';
import { silentLogger } from '../src/log.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseDatasetText, type Dataset } from '../src/domain/dataset.ts';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** tsx's loader: children run as `node --import <loader> script`, the same as `tsx script` but in one process, so a signal reaches the script itself. */
export const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
export const CLI = join(ROOT, 'src', 'cli.ts');
export const MAIN = join(ROOT, 'src', 'main.ts');
export const DEMO_PATH = join(ROOT, 'data', 'demo.json');

export const demoText = (): string => readFileSync(DEMO_PATH, 'utf8');

/** A fresh temp dir; call cleanup() in afterAll/afterEach. */
export function tempDir(prefix = 'liaison-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const sqliteUrl = (dir: string, name = 'store.sqlite'): string => `sqlite://${join(dir, name)}`;

/**
 * The environment of a spawned process: nothing inherited but PATH and HOME, so a developer's
 * DISCORD_TOKEN, LANG or .env never leaks in. Runs quiet, English, and on whatever STORE_URL says.
 */
export function childEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    LOG_LEVEL: 'silent',
    CONSOLE_LOCALE: 'en-US',
    ...overrides,
  };
}

export interface RunResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/**
 * Runs `tsx <script> …args` to completion (see TSX_LOADER). The cwd is a temp dir (never the repo, so var/ and .env
 * of the checkout stay untouched); `input` is piped to stdin, then stdin is closed.
 */
export function run(script: string, args: readonly string[], opts: { env: Record<string, string>; cwd: string; input?: string; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, script, ...args], { cwd: opts.cwd, env: childEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out: ${script} ${args.join(' ')}\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 25_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** A running child whose stdout can be awaited for a pattern (for kill-mid-session tests). */
export interface Live {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function start(script: string, args: readonly string[], opts: { env: Record<string, string>; cwd: string }): Live {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, script, ...args], { cwd: opts.cwd, env: childEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (d: string) => { out += d; for (const w of waiters) w(); });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('close', (code, signal) => { for (const w of waiters) w(); r({ code, signal }); }));
  let done = false;
  void exited.then(() => (done = true));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise((resolvePromise, reject) => {
        const check = () => {
          const m = pattern.exec(out);
          if (m) { waiters.delete(check); clearTimeout(timer); resolvePromise(m); return true; }
          if (done || child.exitCode !== null) { waiters.delete(check); clearTimeout(timer); reject(new Error(`process ended before ${pattern}\nstdout: ${out}\nstderr: ${err}`)); return true; }
          return false;
        };
        const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`no ${pattern} within ${timeoutMs} ms\nstdout: ${out}\nstderr: ${err}`)); }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
  };
}

/** A small valid dataset; tests clone and break it. */
export function smallDataset(): Dataset {
  return {
    version: 1,
    needs: [
      { id: 'N-0001', org: '上海某输配电设备有限公司', title: '配电网故障快速定位', description: '小电流接地系统单相接地故障定位', sectors: ['power-grid'], keywords: ['故障定位', '行波'], region: '奉贤区' },
      { id: 'N-0002', org: 'Acme Coatings', title: 'Low-VOC waterborne wood coating', description: 'Water resistance of waterborne coatings is poor.', sectors: ['fine-chemicals'] },
      { id: 'N-0003', org: '氢驰动力', title: '燃料电池低温冷启动', description: '电堆在零下30度冷启动时间过长', sectors: ['fuel-cells'], contact: '李工' },
    ],
    capabilities: [
      { id: 'C-0001', org: '某大学电气工程学院', kind: 'key-lab', title: '智能电网监测与保护实验室', description: '继电保护与故障诊断', sectors: ['power-grid'], keywords: ['继电保护', '故障诊断'], region: '上海' },
      { id: 'C-0002', org: 'Huajing University', kind: 'university-lab', title: 'Fuel cell catalysts and MEAs', description: 'Low-platinum catalysts, membrane electrode assemblies, cold start.', sectors: ['fuel-cells', 'new-materials'] },
    ],
  };
}

export const actor = (id = 'u-1', name = 'Tester') => ({ id, name });

/** The real app on a temp SQLite store, the demo dataset imported into `guildId`; close() cleans up. */
export async function demoApp(guildId: string): Promise<{ app: App; defs: RESTPostAPIChatInputApplicationCommandsJSONBody[]; close(): Promise<void> }> {
  const tmp = tempDir();
  const app = await createApp(parseConfig({ STORE_URL: sqliteUrl(tmp.dir), LOG_LEVEL: 'silent' }), silentLogger, createAttachmentFetcher([]));
  await app.services.directory.guild(guildId).importDataset(parseDatasetText(demoText()), 'merge', actor());
  return {
    app,
    defs: app.dispatcher.commands.map((c) => c.data.toJSON()),
    close: async () => {
      await app.close();
      tmp.cleanup();
    },
  };
}

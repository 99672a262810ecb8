// The command line, run as real child processes on a temp SQLite store. Commands that never open a
// store (validate, rank, usage errors) also run in process through runCli, to keep spawns few.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError, runCli } from '../src/cli.ts';
import { DatasetError, parseDatasetText, type Dataset } from '../src/domain/dataset.ts';
import { CLI, DEMO_PATH, demoText, run, smallDataset, sqliteUrl, tempDir, type RunResult } from './support.ts';

let tmp: ReturnType<typeof tempDir>;
let demo: Dataset;
let brokenPath: string;
let smallPath: string;
beforeAll(() => {
  tmp = tempDir();
  demo = parseDatasetText(demoText());
  // demo.json with a sector typo in needs[3] and an unknown field in capabilities[1]
  const broken = JSON.parse(demoText()) as { needs: Record<string, unknown>[]; capabilities: Record<string, unknown>[] };
  broken.needs[3]!.sectors = ['fuel-cell'];
  broken.capabilities[1]!.budget = 100;
  brokenPath = join(tmp.dir, 'broken.json');
  writeFileSync(brokenPath, JSON.stringify(broken, null, 2));
  smallPath = join(tmp.dir, 'small.json');
  writeFileSync(smallPath, JSON.stringify(smallDataset()));
});
afterAll(() => tmp.cleanup());

const cli = (args: string[], store = 'store.sqlite'): Promise<RunResult> =>
  run(CLI, args, { cwd: tmp.dir, env: { STORE_URL: sqliteUrl(tmp.dir, store) } });

/** runCli in process; only for commands that do not open the store. */
async function inProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, (t) => (stdout += t), (t) => (stderr += t));
  return { code, stdout, stderr };
}

/** A clear error: non-zero, "Error: …" on stderr, no stack trace, nothing on stdout. */
function expectCleanError(r: RunResult, message: string | RegExp) {
  expect(r.code, r.stderr).not.toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^Error: /);
  if (typeof message === 'string') expect(r.stderr).toContain(message);
  else expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

describe('cli', () => {
  it('rank --min-score keeps only what scores at least that; a bad value is refused', async () => {
    const all = JSON.parse((await inProcess(['rank', '--data', DEMO_PATH, '--top', '10', '--json'])).stdout) as { needs: Record<string, { score: number }[]> };
    const some = JSON.parse((await inProcess(['rank', '--data', DEMO_PATH, '--top', '10', '--min-score', '0.5', '--json'])).stdout) as typeof all;
    const scores = (r: typeof all) => Object.values(r.needs).flat().map((i) => i.score);
    expect(scores(some).every((s) => s >= 0.5)).toBe(true);
    expect(scores(some).length).toBeLessThan(scores(all).length);
    await expect(inProcess(['rank', '--data', DEMO_PATH, '--min-score', 'high'])).rejects.toThrow(/--min-score/);
  });

  it('rank --json: only well-formed JSON on stdout, every entry ranked, best first; progress on stderr', async () => {
    const [json, text] = await Promise.all([
      cli(['rank', '--data', DEMO_PATH, '--top', '10', '--json']),
      inProcess(['rank', '--data', smallPath, '--top', '1']),
    ]);
    expect(json.code, json.stderr).toBe(0);
    const rankings = JSON.parse(json.stdout) as Record<'needs' | 'capabilities', Record<string, { id: string; score: number }[]>>;
    expect(Object.keys(rankings).sort()).toEqual(['capabilities', 'needs']);
    expect(Object.keys(rankings.needs).sort()).toEqual(demo.needs.map((n) => n.id).sort());
    expect(Object.keys(rankings.capabilities).sort()).toEqual(demo.capabilities.map((c) => c.id).sort());
    const needIds = new Set(demo.needs.map((n) => n.id));
    const capIds = new Set(demo.capabilities.map((c) => c.id));
    for (const [list, partners] of [[rankings.needs, capIds], [rankings.capabilities, needIds]] as const) {
      for (const [id, items] of Object.entries(list)) {
        expect(items.length, id).toBeLessThanOrEqual(10);
        expect(new Set(items.map((i) => i.id)).size, id).toBe(items.length);
        for (const item of items) {
          expect(Object.keys(item).sort()).toEqual(['id', 'score']);
          expect(partners.has(item.id), `${id} → ${item.id}`).toBe(true);
          expect(item.score).toBeGreaterThanOrEqual(0);
          expect(item.score).toBeLessThanOrEqual(1);
        }
        for (let i = 1; i < items.length; i++) expect(items[i - 1]!.score, id).toBeGreaterThanOrEqual(items[i]!.score);
      }
    }
    expect(json.stderr).toContain(`Ranking ${demo.needs.length} needs and ${demo.capabilities.length} capabilities`);

    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toMatch(/^Ranking 3 needs and 2 capabilities…\nDone in \d+ ms\.\n$/);
    const lines = text.stdout.trim().split('\n');
    expect(lines).toHaveLength(smallDataset().needs.length + smallDataset().capabilities.length);
    for (const line of lines) expect(line).toMatch(/^(needs|capabilities) [\w.-]+: (—|[\w.-]+ [01]\.\d\d)$/);
  });

  it('validate: a valid file exits 0; a broken one exits 1 naming each entry and field', async () => {
    const [ok, bad] = await Promise.all([cli(['validate', DEMO_PATH]), cli(['validate', brokenPath])]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe(`OK: ${DEMO_PATH} holds ${demo.needs.length} needs and ${demo.capabilities.length} capabilities (format version 1).\n`);
    const n3 = demo.needs[3]!.id;
    const c1 = demo.capabilities[1]!.id;
    expectCleanError(bad, `${brokenPath} has 2 problems (format: docs/interchange-format.md):`);
    expect(bad.stderr).toContain(`needs[3] (${n3}).sectors[0]: unknown sector "fuel-cell" — did you mean "fuel-cells"?`);
    expect(bad.stderr).toContain(`capabilities[1] (${c1}): unknown field "budget"`);
    const truncated = join(tmp.dir, 'truncated.json');
    writeFileSync(truncated, demoText().slice(0, 200));
    await expect(inProcess(['validate', truncated])).rejects.toThrow(CliError);
    await expect(inProcess(['validate', truncated])).rejects.toThrow(/not valid JSON/);
  });

  it('import then export round-trips through a SQLite store; a broken import changes nothing', async () => {
    const imported = await cli(['import', DEMO_PATH], 'roundtrip.sqlite');
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toBe(`Imported into server local (merge): ${demo.needs.length + demo.capabilities.length} added, 0 updated, 0 unchanged, 0 removed.\n`);

    const outFile = join(tmp.dir, 'exported.json');
    const [toFile, otherGuild, broken] = await Promise.all([
      cli(['export', '--out', outFile], 'roundtrip.sqlite'),
      cli(['export', '--guild', 'elsewhere'], 'roundtrip.sqlite'),
      cli(['import', brokenPath, '--replace'], 'roundtrip.sqlite'),
    ]);
    expect(toFile.code, toFile.stderr).toBe(0);
    expect(toFile.stderr).toBe(`Wrote ${outFile}: ${demo.needs.length} needs, ${demo.capabilities.length} capabilities.\n`);
    expect(parseDatasetText(readFileSync(outFile, 'utf8'))).toEqual(demo); // complete: contact fields too (unlike /export's default)
    expect(JSON.parse(otherGuild.stdout)).toEqual({ version: 1, needs: [], capabilities: [] });
    expect(otherGuild.code).toBe(0);
    expect(otherGuild.stderr).toMatch(/^Warning: server “elsewhere” has no entries and no history in SQLite file .*; the file is empty\. Check --guild \(the console uses “local”\)\.\n$/);
    expectCleanError(broken, `needs[3] (${demo.needs[3]!.id}).sectors[0]`);

    // replace with the small file: the broken import above left the directory as it was
    const replaced = await cli(['import', smallPath, '--replace'], 'roundtrip.sqlite');
    expect(replaced.code, replaced.stderr).toBe(0);
    const small = smallDataset();
    const kept = small.needs.length + small.capabilities.length;
    expect(replaced.stdout).toMatch(new RegExp(`^Imported into server local \\(replace\\): 0 added, \\d+ updated, \\d+ unchanged, ${demo.needs.length + demo.capabilities.length - kept} removed\\.\n$`));
    const after = await cli(['export'], 'roundtrip.sqlite');
    expect(after.code).toBe(0);
    expect(after.stderr).toBe('');
    expect(parseDatasetText(after.stdout)).toEqual(small);
  });

  it('errors exit non-zero with a clear message', async () => {
    const missingPath = join(tmp.dir, 'nope.json');
    const outPath = join(tmp.dir, 'no', 'such', 'dir', 'x.json');
    const [missing, unknownOpt, badGuild, badOut] = await Promise.all([
      cli(['validate', missingPath]),
      cli(['rank', '--data', DEMO_PATH, '--bogus']),
      cli(['import', smallPath, '--guild', 'g:1'], 'empty.sqlite'),
      cli(['export', '--out', outPath], 'empty.sqlite'),
    ]);
    expectCleanError(missing, `cannot read ${missingPath}: no such file (ENOENT)`);
    expectCleanError(unknownOpt, 'unknown option “--bogus”. rank takes: --data, --top, --min-score, --json');
    expectCleanError(badGuild, '--guild must be 1 to 32 letters, digits, “-” or “_”, not “g:1”');
    expectCleanError(badOut, `cannot write ${outPath}: ENOENT`);

    // the same error paths in process, for the rest of the messages
    await expect(inProcess(['validate'])).rejects.toThrow('validate needs a file: npm run cli -- validate FILE');
    await expect(inProcess(['frobnicate'])).rejects.toThrow('unknown command “frobnicate”. Commands: validate, import, export, rank, deploy-commands (npm run cli -- --help).');
    await expect(inProcess(['exprot'])).rejects.toThrow('unknown command “exprot”: did you mean “export”?');
    await expect(inProcess(['export', '--gild', 'x'])).rejects.toThrow('unknown option “--gild”: did you mean “--guild”? (export takes: --guild, --out, --include-closed)');
    await expect(inProcess(['validate', 'a.json', 'b.json'])).rejects.toThrow('unexpected argument “b.json”');
    await expect(inProcess(['validate', tmp.dir])).rejects.toThrow(`${tmp.dir} is a folder; give a .json dataset file`);
    await expect(inProcess(['rank', '--data', DEMO_PATH, '--top', 'abc'])).rejects.toThrow('--top must be a whole number from 1 to 1000, not “abc”');
    await expect(inProcess(['rank', '--data', DEMO_PATH, '--top', '0'])).rejects.toThrow('not “0”');
    await expect(inProcess(['rank', '--data', DEMO_PATH, '--top', '1001'])).rejects.toThrow('not “1001”');
    await expect(inProcess(['rank', '--json'])).rejects.toThrow('rank needs --data FILE');
    await expect(inProcess(['rank', '--data', DEMO_PATH, '--top'])).rejects.toThrow('option --top needs a value, e.g. --top 10');
    const none = await inProcess([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('Usage:');
    for (const args of [['help'], ['--help'], ['-h']]) {
      const help = await inProcess(args);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('validate <file>');
    }
    for (const args of [['import', '--help'], ['import', '-h'], ['help', 'import']]) {
      const help = await inProcess(args);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^npm run cli -- import <file> \[--guild G\] \[--replace\]\n/);
    }
    const zh = await runCli(['--help'], () => undefined, () => undefined, 'zh-CN');
    expect(zh).toBe(0);
    await expect(runCli(['export', '--gild', 'x'], () => undefined, () => undefined, 'zh-CN')).rejects.toThrow('未知选项“--gild”：是否要输入“--guild”？');
  });
});

// The local console end to end: `tsx src/main.ts` with piped stdin, no DISCORD_TOKEN, a fresh store.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatasetText, type Dataset } from '../../src/domain/dataset.ts';
import { SECTORS, sectorById } from '../../src/domain/sectors.ts';
import { translate } from '../../src/i18n/index.ts';
import { formatId } from '../../src/store/directory.ts';
import { MAIN, demoText, run, sqliteUrl, start, tempDir, type RunResult } from '../support.ts';

const en = (key: Parameters<typeof translate>[1], vars?: Parameters<typeof translate>[2]) => translate('en-US', key, vars);
const zh = (key: Parameters<typeof translate>[1], vars?: Parameters<typeof translate>[2]) => translate('zh-CN', key, vars);

/** Typed between commands; the console answers it with its own help line, which splits the transcript. */
const SEP = '!separator';
const SEP_OUT = '(?:Console keys: |控制台按键：)';
const STEP_NAMES = [
  'sectors', 'search', 'show', 'notFound', 'unknownCommand', 'missingOption', 'unknownOption', 'badSector', 'form',
  'list', 'page2', 'noButton', 'add', 'showNew', 'export', 'zh', 'zhError',
] as const;

let tmp: ReturnType<typeof tempDir>;
let demo: Dataset;
beforeAll(() => {
  tmp = tempDir();
  demo = parseDatasetText(demoText());
});
afterAll(() => tmp.cleanup());

describe('console session on the demo data', () => {
  let result: RunResult;
  let startup: string;
  let out: Record<(typeof STEP_NAMES)[number], string>;
  const newId = () => formatId('need', demo.needs.length + 1);

  beforeAll(async () => {
    const steps: [string, string[]][] = [
      ['sectors', ['/sectors']],
      ['search', ['/search query:燃料电池']],
      ['show', ['/need show id:N-0001']],
      ['notFound', ['/need show id:N-9999']],
      ['unknownCommand', ['/bogus']],
      ['missingOption', ['/need show']],
      ['unknownOption', ['/need show foo:bar']],
      ['badSector', ['/need add title:Stack test org:Acme description:Durability sectors:fuel-cell']],
      ['form', ['/need add title:only a title']],
      ['list', ['/need list']],
      ['page2', ['!2']],
      ['noButton', ['!9']],
      ['add', ['/need add title:"燃料电池堆耐久性测试" org:上海氢能测试有限公司 description:需要加速老化测试方法 keywords:耐久性, 加速老化 region:奉贤区']],
      ['showNew', [`/need show id:${newId()}`]],
      ['export', ['/export contacts:include']],
      ['zh', ['!lang zh-CN', '/need show id:N-0001']],
      ['zhError', ['/need show id:N-9999']],
    ];
    const input = steps.map(([, lines]) => [...lines, SEP].join('\n')).join('\n') + '\n';
    result = await run(MAIN, [], { cwd: tmp.dir, env: { STORE_URL: sqliteUrl(tmp.dir, 'console.sqlite') }, input });
    const [first, ...rest] = result.stdout.split('\n');
    startup = first ?? '';
    const parts = rest.join('\n').split(new RegExp(`^${SEP_OUT}.*$`, 'm'));
    out = Object.fromEntries(steps.map(([name], i) => [name, (parts[i] ?? '').trim()])) as typeof out;
    expect(steps.map(([name]) => name)).toEqual(STEP_NAMES);
    expect(parts.length, result.stdout + result.stderr).toBe(steps.length + 1);
  });

  it('exits 0 and names the store file and the counts on startup', () => {
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(startup).toBe(`Liaison console — store: SQLite file ${join(tmp.dir, 'console.sqlite')} · server “local”: ${demo.needs.length} needs, ${demo.capabilities.length} capabilities (demo data loaded)`);
  });

  it('/sectors lists every sector by name with its counts', () => {
    expect(out.sectors).toContain(en('sectors.title'));
    for (const s of SECTORS) expect(out.sectors).toContain(`${s.en} · ${s.zh} (${s.id})`);
    expect(out.sectors.match(/open needs \d+ · capabilities \d+/g)).toHaveLength(SECTORS.length);
  });

  it('/search query:燃料电池 finds the fuel-cell entries', () => {
    expect(out.search).toContain(en('search.title', { query: '燃料电池' }));
    const titled = [...demo.needs, ...demo.capabilities].filter((e) => e.title.includes('燃料电池'));
    expect(titled.length).toBeGreaterThan(0);
    for (const e of titled) expect(out.search).toContain(`${e.id} · ${e.title} — ${e.org}`);
    expect(out.search).toMatch(/^\s*1\. /m);
  });

  it('/need show prints the entry and its fields', () => {
    const n = demo.needs[0]!;
    expect(out.show).toContain(`━━ ${en('label.need')} ${n.id} · ${n.title} ━━`);
    expect(out.show).toContain(`${en('label.org')}: ${n.org}`);
    expect(out.show).toContain(n.description.split('\n')[0]!);
    for (const s of n.sectors ?? []) expect(out.show).toContain(sectorById(s).en);
    if (n.keywords) expect(out.show).toContain(n.keywords.join(', '));
    if (n.region) expect(out.show).toContain(`${en('label.region')}: ${n.region}`);
    expect(out.show).toContain(`[1: ${en('label.findPartners')}]`);
  });

  it('mistakes get a clear message', () => {
    expect(out.notFound).toBe(`(only you can see this)\n⚠️ ${en('error.needNotFound', { id: 'N-9999' })}`);
    expect(out.unknownCommand).toMatch(/^⚠️ Unknown command \/bogus\. Commands: .*\/need .*\/sectors/);
    expect(out.missingOption).toBe('⚠️ /need show: missing required option id:…');
    expect(out.unknownOption).toBe('⚠️ Unknown option “foo”. Options: id');
    expect(out.badSector).toContain(en('error.unknownSectorHint', { value: 'fuel-cell', guess: 'fuel-cells', name: `${sectorById('fuel-cells').zh} / ${sectorById('fuel-cells').en}` }));
    expect(out.form).toContain(`Form: ${en('modal.add.need')}`);
    expect(out.form).toContain(en('console.formPiped'));
    expect(out.noButton).toBe(`⚠️ ${en('console.noButton', { n: 9 })}`);
  });

  it('/need list pages with buttons; !2 shows page 2', () => {
    const pages = Math.ceil(demo.needs.length / 10);
    expect(out.list).toContain(en('list.title.need', { status: en('choice.status.open') }));
    expect(out.list).toContain(en('label.page', { page: 1, pages, count: demo.needs.length }));
    expect(out.list).toContain(`[2: ${en('label.next')}]`);
    expect(out.list).toContain(`${demo.needs[0]!.id} · ${demo.needs[0]!.title}`);
    expect(out.page2).toContain(en('label.page', { page: 2, pages, count: demo.needs.length }));
    for (const n of demo.needs.slice(10, 20)) expect(out.page2).toContain(`${n.id} · ${n.title}`);
    expect(out.page2).not.toContain(`${demo.needs[0]!.id} · `);
  });

  it('/need add stores a new entry that /need show then prints', () => {
    expect(out.add).toContain(`✅ ${en('entry.added', { id: newId(), title: '燃料电池堆耐久性测试' })}`);
    expect(out.showNew).toContain(`━━ ${en('label.need')} ${newId()} · 燃料电池堆耐久性测试 ━━`);
    expect(out.showNew).toContain(`${en('label.org')}: 上海氢能测试有限公司`);
    expect(out.showNew).toContain('需要加速老化测试方法');
    expect(out.showNew).toContain('耐久性, 加速老化');
    expect(out.showNew).toContain(`${en('label.region')}: 奉贤区`);
  });

  it('/export saves the directory as a dataset file under the working directory', () => {
    const m = /📎 (\S+) → saved to (.+)$/m.exec(out.export);
    expect(m, out.export).not.toBeNull();
    expect(m![2]!.startsWith(join(tmp.dir, 'var', 'exports'))).toBe(true);
    const exported = parseDatasetText(readFileSync(m![2]!, 'utf8'));
    expect(exported.needs).toHaveLength(demo.needs.length + 1);
    expect(exported.capabilities).toEqual(demo.capabilities);
  });

  it('!lang zh-CN switches replies to Chinese', () => {
    const n = demo.needs[0]!;
    expect(out.zh).toContain(zh('console.lang', { locale: 'zh-CN' }));
    expect(out.zh).toContain(`━━ ${zh('label.need')} ${n.id} · ${n.title} ━━`);
    expect(out.zh).toContain(`${zh('label.org')}：${n.org}`);
    for (const s of n.sectors ?? []) expect(out.zh).toContain(sectorById(s).zh);
    expect(out.zh).not.toContain(en('label.findPartners'));
    expect(out.zhError).toContain(zh('error.needNotFound', { id: 'N-9999' }));
  });
});

describe('console restart', () => {
  it('an entry added in a console killed with SIGKILL is there in the next console', async () => {
    const env = { STORE_URL: sqliteUrl(tmp.dir, 'restart.sqlite'), DEMO_DATA: 'false' };
    const first = start(MAIN, [], { cwd: tmp.dir, env });
    let id: string | undefined;
    try {
      await first.waitFor(/^Liaison console .*\n/);
      expect(first.stdout()).toContain('0 needs, 0 capabilities');
      first.child.stdin!.write('/need add title:Survives a crash org:Acme description:Written before SIGKILL\n');
      [, id] = await first.waitFor(/Added (N-\d+)/);
    } finally {
      first.child.kill('SIGKILL');
    }
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(id).toBe('N-0001');

    const second = await run(MAIN, [], { cwd: tmp.dir, env: { ...env, DEMO_DATA: 'true' }, input: `/need show id:${id}\n/stats\n` });
    expect(second.code, second.stderr).toBe(0);
    // DEMO_DATA only seeds a guild that never held anything
    expect(second.stdout.split('\n')[0]).toMatch(/· server “local”: 1 needs, 0 capabilities$/);
    expect(second.stdout).toContain(`━━ ${en('label.need')} ${id} · Survives a crash ━━`);
    expect(second.stdout).toContain(`${en('label.org')}: Acme`);
    expect(second.stdout).toMatch(/added Need N-0001 · /);
  });
});

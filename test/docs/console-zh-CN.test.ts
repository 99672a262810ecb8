// A piped console session of every command in Chinese (CONSOLE_LOCALE=zh-CN), run through the real
// `npm start`. The transcript is docs/console-zh-CN.md: it was read line by line for natural Chinese and
// is kept as the fixture, so any change to a reply shows up here. LIAISON_UPDATE_DOCS=1 rewrites it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECTORS } from '../../src/domain/sectors.ts';
import { MAIN, ROOT, demoText, run, sqliteUrl, tempDir } from '../support.ts';

const DOC = join(ROOT, 'docs', 'console-zh-CN.md');
/** Printed between commands so the transcript can be split per command. */
const SEP = '!lang zh-CN';
const SEP_OUT = '语言：zh-CN';

/** Every command, the ways of naming an entry, the mistakes of the issue, and the console keys. */
const STEPS: string[] = [
  '/help',
  '/sectors',
  '/stats',
  '/search query:燃料电池',
  '/search query:燃料电池 qurey:x',
  '/need list',
  '!2',
  '/need show id:9',
  '/need show id:n-0009',
  '/need show id:微藻',
  '/need show id:电池',
  '/need show id:C-0001',
  '/capability show id:1',
  '/capability list status:all',
  '/match need id:N-0009',
  '!2',
  '!pick 7',
  '/match need id:C-0001',
  '/match capability id:C-0001 top:3',
  '/match text query:"MOF adsorbent for VOCs" type:capability',
  '/need add title:测试需求 org:测试公司 description:测试文本 sectorz:fuel-cells',
  '/need add title:测试需求 org:测试公司 description:测试文本 sectors:fuel-cell',
  '/need add title:燃料电池堆耐久性测试 org:上海氢能测试有限公司 description:需要加速老化测试方法 sectors:燃料电池 keywords:耐久性, 加速老化',
  '/need add title:只有标题',
  '/need edit id:N-0037 titel:"x"',
  '/need edit id:N-0037 region:奉贤区',
  '/need close id:N-0037',
  '/need reopen id:N-0037',
  '/need remove id:N-0037',
  '!2',
  '/need remove id:N-0037',
  '!1',
  '/need show id:N-0037',
  '/watch need id:N-0001',
  '/watch list',
  '/watch remove id:N-0001',
  '/import file:data',
  '/import file:BROKEN',
  '/import file:data/demo.json',
  '/export',
  '/audit limit:6',
  '/config curator-role list',
  '/bogus',
  '!9',
  '!help',
];

/** Times, the temp directory and the store path change from run to run. */
function stable(text: string, dir: string): string {
  return text
    .split(dir).join('<tmp>')
    .replace(/\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/g, '2026/01/01 09:00')
    .replace(/liaison-local-\d{4}-\d{2}-\d{2}\.json/g, 'liaison-local-2026-01-01.json')
    .replace(/(审核日期：)\d{4}-\d{2}-\d{2}/g, '$12026-06-30');
}

function toMarkdown(pairs: [string, string][]): string {
  const body = pairs.map(([cmd, out]) => `liaison> ${cmd}\n${out}`).join('\n\n');
  return [
    '# 控制台会话示例（zh-CN）',
    '',
    '以下是 `CONSOLE_LOCALE=zh-CN npm start` 在管道输入下的完整输出（演示数据，每条命令之后是它的回复）。',
    '由 `test/docs/console-zh-CN.test.ts` 生成并逐行核对；`LIAISON_UPDATE_DOCS=1 npx vitest run test/docs` 可重新生成。',
    '',
    '```text',
    body,
    '```',
    '',
  ].join('\n');
}

let tmp: ReturnType<typeof tempDir>;
let pairs: [string, string][];
let code: number | null;
let stderr: string;

beforeAll(async () => {
  tmp = tempDir();
  const broken = JSON.parse(demoText()) as { needs: Record<string, unknown>[]; capabilities: Record<string, unknown>[] };
  broken.needs[3]!.sectors = ['fuel-cell'];
  broken.capabilities[1]!.budget = 100;
  const brokenPath = join(tmp.dir, 'broken.json');
  writeFileSync(brokenPath, JSON.stringify(broken, null, 2));
  mkdirSync(join(tmp.dir, 'data'));
  writeFileSync(join(tmp.dir, 'data', 'demo.json'), demoText());
  const lines = STEPS.map((s) => s.replace('BROKEN', brokenPath));
  const input = lines.map((l) => `${l}\n${SEP}\n`).join('');
  const r = await run(MAIN, [], { cwd: tmp.dir, env: { STORE_URL: sqliteUrl(tmp.dir, 'zh.sqlite'), CONSOLE_LOCALE: 'zh-CN' }, input });
  code = r.code;
  stderr = r.stderr;
  const [banner, ...rest] = stable(r.stdout, tmp.dir).split('\n');
  const parts = rest.join('\n').split(new RegExp(`^${SEP_OUT}$`, 'm')).map((p) => p.trim());
  pairs = [['', banner ?? ''], ...STEPS.map((s, i): [string, string] => [s.replace('BROKEN', '<tmp>/broken.json'), parts[i] ?? ''])];
}, 120_000);
afterAll(() => tmp.cleanup());

describe('a zh-CN console session of every command', () => {
  it('runs clean: exit 0, nothing on stderr, one reply per command', () => {
    expect(code, stderr).toBe(0);
    expect(stderr).toBe('');
    expect(pairs.slice(1).every(([, out]) => out.length > 0)).toBe(true);
  });

  it('matches docs/console-zh-CN.md, the fixture read for natural Chinese', () => {
    const doc = toMarkdown(pairs.map(([c, o]) => [c || '(npm start)', o]));
    if (process.env.LIAISON_UPDATE_DOCS) writeFileSync(DOC, doc);
    expect(readFileSync(DOC, 'utf8')).toBe(doc);
  });

  it('holds no English outside proper names, ids, commands, and the entries\' own text', () => {
    const texts = (v: unknown): string[] => (typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(texts) : []);
    const data = [...texts(JSON.parse(demoText())), ...STEPS, ...SECTORS.map((s) => s.id)].join('\n');
    const known = new Set([...data.matchAll(/[A-Za-z][A-Za-z-]*/g)].map((m) => m[0].toLowerCase()));
    // Proper names and identifiers every language writes the same way.
    for (const w of ['Liaison', 'SQLite', 'Discord', 'GMT', 'json', 'cli', 'npm', 'run', 'validate', 'Ctrl', 'zh-CN', 'en-US', 'docs', 'interchange-format', 'md', 'tmp', 'liaison-local', 'var', 'exports', 'help', 'pick', 'lang', 'root', 'local', 'zh', 'sqlite', 'liaison-local-', 'needs', 'capabilities', 'office-channel', 'broker-role', 'claim', 'confirm', 'act', 'intro', 'pending', 'review', 'submit', 'mine', 'renew', 'review-days', 'target', 'targets', 'digest', 'report', 'PNG', 'CSV', 'feedback', 'contacts']) known.add(w.toLowerCase());
    const foreign = pairs.flatMap(([, out]) => [...out.matchAll(/[A-Za-z][A-Za-z-]*/g)].map((m) => m[0])).filter((w) => !known.has(w.toLowerCase()));
    expect([...new Set(foreign)]).toEqual([]);
  });
});

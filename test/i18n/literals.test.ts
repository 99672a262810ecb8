// Every word a user reads comes from the catalogues: this scans the views, the commands, the transports
// and the command line for English text written in code. Log lines (operators read them, in English)
// and module specifiers are not user-facing; nothing else is exempt except proper names and ids.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support.ts';

/** Proper names and ids that read the same in every language. */
const ALLOWED = ['Liaison', 'Discord', 'SQLite', 'Asia/Shanghai', 'discord.js'];

const SCANNED = [
  ...['src/views', 'commands', 'src/discord'].flatMap((d) => readdirSync(join(ROOT, d)).filter((f) => f.endsWith('.ts')).map((f) => join(d, f))),
  'src/cli.ts', 'src/main.ts', 'src/startup.ts', 'src/interactions/dispatcher.ts', 'src/interactions/reply.ts',
];

/** Two English words in a row, or a capitalised word ending a label ("Form:"), once names and placeholders are gone. */
function isEnglish(text: string): boolean {
  let s = text.replace(/\$\{[^}]*\}/g, ' ');
  for (const name of ALLOWED) s = s.split(name).join(' ');
  return /[A-Za-z]{2,}[ ,;'’]+[A-Za-z]{2,}/.test(s) || /\b[A-Z][a-z]{2,}:/.test(s);
}

const LOG_METHODS = new Set(['debug', 'info', 'warn', 'error']);
/** HTTP protocol bodies and headers, read by Discord and proxies, not by people. */
const PROTOCOL_CALLS = new Set(['sendJson', 'setHeader', 'writeHead']);

/**
 * Not something a user reads: a log line (log.x(…), or text handed to a helper together with the
 * logger), an HTTP protocol body, a plain `new Error` (a programming error: logged, or shown only
 * behind "could not start" — user-reachable failures use UserError, CliError, PlainError or
 * ConsoleInputError, which take catalogue text), an import specifier or a type.
 */
function exempt(node: ts.Node): boolean {
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
    if (ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isLiteralTypeNode(p) || ts.isImportTypeNode(p)) return true;
    if (ts.isNewExpression(p) && p.expression.getText() === 'Error') return true;
    if (ts.isCallExpression(p)) {
      const callee = p.expression;
      if (ts.isPropertyAccessExpression(callee) && LOG_METHODS.has(callee.name.text) && /\b(log|logger|noise)$/i.test(callee.expression.getText())) return true;
      if (PROTOCOL_CALLS.has(ts.isPropertyAccessExpression(callee) ? callee.name.text : callee.getText())) return true;
      if (p.arguments.some((a) => a.getText() === 'log')) return true;
      if (callee.getText() === 'import') return true;
    }
  }
  return false;
}

export function englishLiterals(file: string, source: string): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    let text: string | undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateExpression(node)) text = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ${} ');
    if (text !== undefined && isEnglish(text) && !exempt(node)) {
      found.push(`${file}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${text.slice(0, 80)}`);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('user-facing text lives in the catalogues', () => {
  it('no English literal in views, commands, transports or the command line', () => {
    const found = SCANNED.flatMap((f) => englishLiterals(relative(ROOT, join(ROOT, f)), readFileSync(join(ROOT, f), 'utf8')));
    expect(found).toEqual([]);
  });

  it('the scan catches sentences, labels and template text, and skips logs and imports', () => {
    const src = [
      "import x from 'some module name';",
      "log.info('started the server', {});",
      "this.services.log.error('interaction failed');",
      "const a = 'Nothing was changed';",
      "const b = `Form: ${title}`;",
      "const c = `${n} results found`;",
      "const d = 'need:add';",
      "const e = 'Liaison';",
      "const f = t('error.internal');",
      "sendOrLog(fn, log, 'follow-up failed', i);",
      "sendJson(res, 404, { error: 'not found' });",
      "throw new Error('internal invariant broken');",
      "throw new UserError(`Not translated at all`);",
    ].join('\n');
    expect(englishLiterals('x.ts', src).map((l) => l.split(': ').slice(1).join(': ').replace(/\s+/g, ' ').trim())).toEqual(['Nothing was changed', 'Form: ${}', '${} results found', 'Not translated at all']);
  });
});

import { describe, expect, it } from 'vitest';
import { csvCell, renderReportCsv } from '../../src/report/csv.ts';
import { EXAMPLE_FIGURES } from '../../src/report/example.ts';
import { ReportFigures } from '../../src/report/figures.ts';

/** Splits RFC 4180 text (quoted cells may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  return rows;
}

describe('report CSV', () => {
  it('is UTF-8 with a BOM and CRLF lines, in Chinese for zh-CN', () => {
    const bytes = renderReportCsv(EXAMPLE_FIGURES, 'zh-CN');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(['类别', '项目', '指标', '数值']);
    expect(rows).toContainEqual(['各领域需求与能力', '燃料电池', '需求', '8']);
    expect(rows).toContainEqual(['各领域需求与能力', '输配电', '未满足需求', '5']);
    expect(rows).toContainEqual(['对接进展（按阶段）', '项目已启动', '数量', '4']);
    expect(rows).toContainEqual(['从发布到对接的中位天数', '', '天数', '23.5']);
    expect(rows).toContainEqual(['目标完成情况', '企业技术中心', '目标', '20']);
    expect(rows).toContainEqual(['目标完成情况', '市级重点实验室', '已完成', '5']);
    expect(rows.every((r) => r.length === 4)).toBe(true);
  });

  it('holds the same figures as the chart: every sector, every stage, every target', () => {
    const rows = parseCsv(renderReportCsv(EXAMPLE_FIGURES, 'en-US').toString('utf8').slice(1));
    const sum = (section: string, measure: string) => rows.filter((r) => r[0] === section && r[2] === measure).reduce((n, r) => n + Number(r[3]), 0);
    expect(sum('Needs and capabilities by sector', 'Needs')).toBe(EXAMPLE_FIGURES.sectors.reduce((n, s) => n + s.needs, 0));
    expect(rows.filter((r) => r[0] === 'Introductions by stage')).toHaveLength(7);
    expect(rows.filter((r) => r[0] === 'Targets')).toHaveLength(2 * EXAMPLE_FIGURES.targets.length);
  });

  it('leaves an empty value for a median that does not exist', () => {
    const none = ReportFigures.parse({ ...EXAMPLE_FIGURES, medianDaysToIntroduction: null });
    const rows = parseCsv(renderReportCsv(none, 'en-US').toString('utf8').slice(1));
    expect(rows.find((r) => r[0] === 'Median days from posting to introduction')).toEqual(['Median days from posting to introduction', '', 'Days', '']);
  });

  it('quotes commas, quotes and newlines, and defuses formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell('技术中心')).toBe('技术中心');
  });
});

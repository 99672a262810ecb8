// Example figures (invented, plausible for a district office) for the picture in docs/ (collaboration-guide.md, collaboration-loop.md) and the tests.
// `npx tsx src/report/example.ts docs/report-example.png` writes the PNG and the CSV beside it.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Locale } from '../i18n/index.ts';
import { renderReportChart } from './chart.ts';
import { renderReportCsv } from './csv.ts';
import { ReportFigures } from './figures.ts';

export const EXAMPLE_FIGURES: ReportFigures = ReportFigures.parse({
  period: { from: '2026-06-01', to: '2026-11-30' },
  sectors: [
    { sector: 'new-energy', needs: 14, capabilities: 9, unmetNeeds: 3 },
    { sector: 'fuel-cells', needs: 8, capabilities: 11, unmetNeeds: 1 },
    { sector: 'new-materials', needs: 12, capabilities: 15, unmetNeeds: 2 },
    { sector: 'biomedicine', needs: 6, capabilities: 10, unmetNeeds: 0 },
    { sector: 'power-grid', needs: 10, capabilities: 4, unmetNeeds: 5 },
    { sector: 'opto-mechatronics', needs: 5, capabilities: 7, unmetNeeds: 1 },
    { sector: 'fine-chemicals', needs: 7, capabilities: 3, unmetNeeds: 4 },
    { sector: 'agri-food', needs: 4, capabilities: 2, unmetNeeds: 2 },
  ],
  introductions: { requested: 31, accepted: 19, declined: 7, 'in-talks': 12, agreement: 6, 'project-started': 4, closed: 3 },
  medianDaysToIntroduction: 23.5,
  targets: [
    { kind: 'enterprise-tech-center', target: 20, actual: 13 },
    { kind: 'key-lab', level: 'municipal', target: 5, actual: 5 },
    { kind: 'engineering-center', level: 'district', target: 8, actual: 3 },
    { kind: 'transfer-base', target: 2, actual: 1 },
  ],
});

async function main(out: string, locale: Locale): Promise<void> {
  const chart = await renderReportChart(EXAMPLE_FIGURES, locale);
  writeFileSync(out, chart.png);
  writeFileSync(out.replace(/\.png$/, '.csv'), renderReportCsv(EXAMPLE_FIGURES, locale));
  process.stdout.write(`${out}: ${chart.width}×${chart.height}, ${chart.png.length} bytes\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main(process.argv[2] ?? 'report-example.png', (process.argv[3] as Locale | undefined) ?? 'zh-CN');
}

// docs/dataset.schema.json is generated from the zod schema the code validates with (z.toJSONSchema);
// this keeps the shipped file equal to it, and checks that both accept and refuse the same documents.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Dataset, datasetJsonSchema, parseDataset } from '../../src/domain/dataset.ts';
import { ROOT, demoText } from '../support.ts';

const FILE = join(ROOT, 'docs', 'dataset.schema.json');

describe('docs/dataset.schema.json', () => {
  it('is exactly what z.toJSONSchema makes of the Dataset schema (LIAISON_UPDATE_DOCS=1 rewrites it)', () => {
    const generated = JSON.stringify(datasetJsonSchema(), null, 2) + '\n';
    if (process.env.LIAISON_UPDATE_DOCS) writeFileSync(FILE, generated);
    expect(readFileSync(FILE, 'utf8')).toBe(generated);
  });

  it('accepts and refuses the same documents as the code that validates imports', () => {
    const shipped = z.fromJSONSchema(JSON.parse(readFileSync(FILE, 'utf8')) as never);
    const demo = JSON.parse(demoText()) as { needs: Record<string, unknown>[]; capabilities: Record<string, unknown>[] };
    const variants: [string, unknown][] = [
      ['demo', demo],
      ['empty', { version: 1, needs: [], capabilities: [] }],
      ['unknown sector', { ...demo, needs: [{ ...demo.needs[0], sectors: ['fuel-cell'] }] }],
      ['unknown field', { ...demo, capabilities: [{ ...demo.capabilities[0], budget: 1 }] }],
      ['bad kind', { ...demo, capabilities: [{ ...demo.capabilities[0], kind: 'keylab' }] }],
      ['carrier level', { ...demo, capabilities: [{ ...demo.capabilities[0], kind: 'transfer-base', level: 'national' }] }],
      ['bad level', { ...demo, capabilities: [{ ...demo.capabilities[0], level: 'provincial' }] }],
      ['level on a need', { ...demo, needs: [{ ...demo.needs[0], level: 'national' }] }],
      ['missing title', { ...demo, needs: [{ ...demo.needs[0], title: undefined }] }],
      ['empty org', { ...demo, needs: [{ ...demo.needs[0], org: '' }] }],
      ['long title', { ...demo, needs: [{ ...demo.needs[0], title: 'x'.repeat(201) }] }],
      ['bad id', { ...demo, needs: [{ ...demo.needs[0], id: 'N 1' }] }],
      ['version 2', { ...demo, version: 2 }],
      ['extra top-level field', { ...demo, meta: {} }],
      ['no capabilities', { version: 1, needs: [] }],
    ];
    for (const [name, doc] of variants) {
      const code = (() => { try { parseDataset(JSON.parse(JSON.stringify(doc))); return true; } catch { return false; } })();
      expect(shipped.safeParse(JSON.parse(JSON.stringify(doc))).success, name).toBe(code);
      expect(Dataset.safeParse(JSON.parse(JSON.stringify(doc))).success, name).toBe(code);
    }
  });
});

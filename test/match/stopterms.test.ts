import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/match/engine.ts';
import { defaultStopTerms, StopTerms, StopTermsFile, STOPTERMS_FILE } from '../../src/match/stopterms.ts';
import type { Doc } from '../../src/match/types.ts';

describe('stop terms (data/stopterms.json)', () => {
  it('the file parses: both languages, no duplicates', () => {
    const f = StopTermsFile.parse(JSON.parse(readFileSync(STOPTERMS_FILE, 'utf8')));
    expect(f.zh.length).toBeGreaterThan(50);
    expect(f.en.length).toBeGreaterThan(50);
  });

  it('a bad file is rejected with the word and the reason', () => {
    const r = StopTermsFile.safeParse({ version: 1, zh: ['低于', '低于'], en: ['MPa'] });
    expect(r.success).toBe(false);
    const msgs = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(msgs).toContain('zh.1: "低于" is listed twice');
    expect(msgs.some((m) => m.startsWith('en.0'))).toBe(true);
  });

  it('fillers, quantities and units are fillers; technical words are not', () => {
    const s = defaultStopTerms();
    for (const w of ['低于', '全程', '工艺', '中试', 'mpa', 'MPa', '40%', '10kV', '0.5', 'pilot', 'Tests']) expect(s.isFiller(w), w).toBe(true);
    for (const w of ['局放', '银纹', '燃料电池', 'corrosion', 'partial discharge', 'pilot plant corrosion']) expect(s.isFiller(w), w).toBe(false);
    expect(new StopTerms({ version: 1, zh: ['甲乙'], en: ['widget'] }).isFiller('widgets')).toBe(true);
  });

  it('words shown as shared terms on the demo and the sets that say nothing of a fit are fillers (session 12)', () => {
    const s = defaultStopTerms();
    // "false" of "false alarm" (demo N-0002), a bare standards body, trial and process words, collaboration modes.
    for (const w of ['false', 'free', 'effects', 'machines', 'GB/T', 'IEC', 'EN', '实验', '完成', '整改', '标准', '技术转让', '委托开发', '运行', '原因']) expect(s.isFiller(w), w).toBe(true);
    // Words of the same lists' neighbourhood that do say what is done or worked on.
    for (const w of ['false alarm', 'free radical', '误报', '标准件', '实验室自动化', '加工中心', '电流', '游艇', 'reflow']) expect(s.isFiller(w), w).toBe(false);
  });

  it('explanations never show a filler as a shared term', () => {
    const docs: Doc[] = [
      { type: 'need', record: { id: 'N-1', org: '甲公司', title: '注塑件银纹', description: '全程工艺控制，压力低于5 MPa，中试线上注塑件表面出现银纹。' } },
      { type: 'capability', record: { id: 'C-1', org: '乙大学', title: '注塑件银纹与原料干燥', description: '全程工艺控制，注射压力低于5 MPa，中试验证，注塑件银纹分析。' } },
    ];
    const [s] = new Engine(docs).matchEntry('need', 'N-1', { minScore: 0 });
    expect(s?.id).toBe('C-1');
    const shown = (s?.reasons ?? []).flatMap((r) => (r.kind === 'terms' ? r.terms : r.kind === 'concept' ? [r.query, r.target] : []));
    expect(shown.length).toBeGreaterThan(0);
    for (const w of shown) expect(defaultStopTerms().isFiller(w), w).toBe(false);
    for (const w of ['低于', '全程', '工艺', '中试', 'mpa']) expect(shown.map((x) => x.toLowerCase())).not.toContain(w);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import type { EntryRecord } from '../../src/domain/entry.ts';
import { AutoIndex } from '../../src/match/autocomplete.ts';

const rec = (id: string, title: string, org = 'Some Org'): EntryRecord => ({ id, org, title, description: 'x' });
const SWITCHGEAR = rec('N-9999', 'Online partial discharge monitoring for 40.5 kV switchgear', 'Junhe Switchgear (Shanghai) Co., Ltd.');
const AOI = rec('N-9998', 'SMT产线PCB自动光学检测误报率过高', '上海锐涵电子科技有限公司');
const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];

/** An index of n filler entries plus the two above (over 1,500 entries it no longer scans everything). */
function build(n: number): AutoIndex {
  const ix = new AutoIndex();
  for (let i = 0; i < n; i++) {
    ix.upsert(rec(`N-${String(i).padStart(4, '0')}`, `${WORDS[i % 10]} ${WORDS[(i * 7) % 10]} project ${i}`, `Org ${i % 37}`), 'open');
  }
  ix.upsert(SWITCHGEAR, 'open');
  ix.upsert(AOI, 'open');
  return ix;
}
const ids = (r: EntryRecord[]) => r.map((x) => x.id);

let small: AutoIndex;
let big: AutoIndex;
beforeAll(() => {
  small = build(100);
  big = build(2000);
});

describe('AutoIndex, small (full scan) and big (n-gram candidates)', () => {
  for (const [name, ix] of [['small', () => small], ['big', () => big]] as const) {
    it(`${name}: exact id first in any case, id prefixes, partial Chinese titles, org names`, () => {
      expect(ids(ix().complete('N-9999', 5, 'all'))[0]).toBe('N-9999');
      expect(ids(ix().complete('n-9999', 5, 'all'))[0]).toBe('N-9999');
      const prefix = ix().complete('N-99', 5, 'all');
      expect(ids(prefix).slice(0, 2).sort()).toEqual(['N-9998', 'N-9999']);
      expect(ids(ix().complete('光学检测误报', 5, 'all'))[0]).toBe('N-9998');
      expect(ids(ix().complete('锐涵电子', 5, 'all'))[0]).toBe('N-9998');
      expect(ids(ix().complete('partal discharge', 5, 'all'))[0]).toBe('N-9999');
    });

    it(`${name}: limit and status are respected; nonsense finds nothing`, () => {
      expect(ix().complete('project', 7, 'all')).toHaveLength(7);
      expect(ix().complete('N-9999', 5, 'closed')).toEqual([]);
      expect(ix().complete('zzzzqqq', 5, 'all')).toEqual([]);
    });
  }

  it('small: a single misspelled title word still finds the entry', () => {
    expect(ids(small.complete('swichgear', 5, 'all'))[0]).toBe('N-9999');
  });

  it('big: a single misspelled title word still finds the entry', () => {
    expect(ids(big.complete('swichgear', 5, 'all'))[0]).toBe('N-9999');
  });

  for (const [name, ix] of [['small', () => small], ['big', () => big]] as const) {
    it(`${name}: a whole title (a long query) finds its near copies first, even with a word no other entry holds`, () => {
      expect(ids(ix().complete('Online partial discharge monitoring for 40.5 kV switchgear', 5, 'all'))[0]).toBe('N-9999');
      expect(ids(ix().complete('10kV SMT产线PCB自动光学检测误报率过高（二期）', 5, 'all'))[0]).toBe('N-9998');
      expect(ids(ix().complete('上海锐涵电子科技有限公司', 5, 'all'))[0]).toBe('N-9998');
    });

    it(`${name}: a long query respects status and limit, and finds nothing for a title sharing no key`, () => {
      expect(ix().complete('SMT产线PCB自动光学检测误报率过高', 5, 'closed')).toEqual([]);
      expect(ix().complete('alpha bravo charlie project 1', 3, 'all')).toHaveLength(3);
      expect(ix().complete('锂电池热失控预警与消防联动', 5, 'all')).toEqual([]);
    });
  }

  it('remove and re-upsert keep the n-gram postings right', () => {
    const ix = build(1600);
    ix.remove('N-9998');
    expect(ids(ix.complete('光学检测误报', 5, 'all'))).not.toContain('N-9998');
    ix.upsert({ ...AOI, title: '激光焊接飞溅大' }, 'closed');
    expect(ids(ix.complete('光学检测误报', 5, 'all'))).not.toContain('N-9998');
    expect(ids(ix.complete('激光焊接', 5, 'closed'))).toEqual(['N-9998']);
    expect(ids(ix.complete('激光焊接', 5, 'open'))).toEqual([]);
    expect(ids(ix.complete('', 1, 'all'))).toEqual(['N-9998']);
  });
});

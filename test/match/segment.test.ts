import { beforeAll, describe, expect, it } from 'vitest';
import { defaultGlossary, type Glossary } from '../../src/match/glossary.ts';
import { createSegmenter, type Segment } from '../../src/match/segment.ts';

const SENTENCE = '质子交换膜燃料电池电堆冷启动失败';

let glossary: Glossary;
let jieba: Segment;
let jiebaPlain: Segment;
beforeAll(() => {
  glossary = defaultGlossary();
  jieba = createSegmenter('jieba', glossary);
  jiebaPlain = createSegmenter('jieba');
});

describe('createSegmenter', () => {
  it("'none' returns no words", () => {
    const seg = createSegmenter('none');
    expect(seg(SENTENCE)).toEqual([]);
    expect(seg('')).toEqual([]);
  });

  for (const name of ['intl', 'jieba'] as const) {
    it(`'${name}' splits a Chinese sentence into words of two or more characters`, () => {
      const seg = name === 'jieba' ? jieba : createSegmenter(name);
      const words = seg(SENTENCE);
      expect(words.length).toBeGreaterThan(1);
      for (const w of words) {
        expect(w.length).toBeGreaterThanOrEqual(2);
        expect(SENTENCE).toContain(w);
      }
      // Words, not the whole run and not characters.
      expect(words).not.toContain(SENTENCE);
      expect(words.join('').length).toBeLessThanOrEqual(SENTENCE.length);
    });

    it(`'${name}' drops one-character words and returns [] for a one-character run`, () => {
      const seg = name === 'jieba' ? jieba : createSegmenter(name);
      expect(seg('油')).toEqual([]);
      expect(seg('')).toEqual([]);
    });
  }

  it('jieba keeps glossary terms whole when the glossary is passed', () => {
    expect(jieba(SENTENCE)).toContain('质子交换膜燃料电池');
    expect(jieba('金属有机骨架材料公斤级放大合成')).toContain('金属有机骨架');
    expect(jieba('微藻油脂提取效率低')).toContain('油脂提取');
    // 燃料电池 is never cut apart (it may sit inside a longer glossary form such as 燃料电池电堆).
    for (const text of ['燃料电池密封失效', '燃料电池电堆密封', '车用燃料电池很贵']) {
      expect(jieba(text).some((w) => w.includes('燃料电池')), text).toBe(true);
    }
  });

  it('jieba without the glossary splits those domain terms', () => {
    expect(jiebaPlain('金属有机骨架材料公斤级放大合成')).not.toContain('金属有机骨架');
    expect(jiebaPlain('微藻油脂提取效率低')).not.toContain('油脂提取');
    expect(jiebaPlain(SENTENCE)).not.toContain('质子交换膜燃料电池');
  });
});

// Chinese word segmentation. Both candidates are kept so the eval can compare them on the dev set;
// the engine's default is chosen from those figures (see docs/matching-history.md).
import { createRequire } from 'node:module';
import type { Glossary } from './glossary.ts';

export type SegmenterName = 'none' | 'intl' | 'jieba';
export type Segment = (run: string) => string[];

/** jieba with a glossary's words loads a dictionary (~0.2 s): one per glossary, shared by every guild. */
const jiebaCache = new WeakMap<Glossary, Segment>();

export function createSegmenter(name: SegmenterName, glossary?: Glossary): Segment {
  if (name === 'jieba' && glossary) {
    let s = jiebaCache.get(glossary);
    if (!s) jiebaCache.set(glossary, (s = build(name, glossary)));
    return s;
  }
  return build(name, glossary);
}

function build(name: SegmenterName, glossary?: Glossary): Segment {
  switch (name) {
    case 'none':
      return () => [];
    case 'intl': {
      const seg = new Intl.Segmenter('zh', { granularity: 'word' });
      return (run) => Array.from(seg.segment(run), (s) => s.segment).filter((w) => w.length >= 2);
    }
    case 'jieba': {
      const require = createRequire(import.meta.url);
      const { Jieba } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
      const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
      const jieba = Jieba.withDict(dict);
      // Glossary terms as a user dictionary keep domain words whole (燃料电池, 配电网).
      if (glossary) {
        const lines: string[] = [];
        for (const c of glossary.concepts.values()) for (const f of c.zh) if (!/\s/.test(f)) lines.push(`${f} 50000 n`);
        jieba.loadDict(Buffer.from(lines.join('\n')));
      }
      return (run) => jieba.cut(run, false).filter((w) => w.length >= 2);
    }
  }
}

import { describe, expect, it } from 'vitest';
import { qaWindows } from '../../../engine/data/qa-windows.ts';
import { loadTokenizer } from '../../../engine/data/tokenizer.ts';

const bert = loadTokenizer('resources/tokenizers/bert-base-uncased');

// 40 one-token words: "w0 … w39" would split into pieces, so use plain English words (one token each).
const words = 'one two three four five six seven eight nine ten'.split(' ');
const context = Array.from({ length: 40 }, (_, i) => words[i % 10]).join(' ');

describe('QA sliding windows', () => {
  it('covers the whole context with windows that overlap by the stride', () => {
    // Question "which ?" = 2 tokens, 3 special tokens, maxLength 20 → 15 context tokens per window;
    // stride 5 → windows start at tokens 0, 10, 20, 30 (the last one holds tokens 30..39).
    const windows = qaWindows(bert, 'which ?', context, { maxLength: 20, stride: 5 });
    expect(windows.map((w) => w.contextTokenStart)).toEqual([0, 10, 20, 30]);
    for (const window of windows) {
      expect(window.encoding.ids.length).toBeLessThanOrEqual(20);
      expect(window.encoding.tokens.slice(0, 4)).toEqual(['[CLS]', 'which', '?', '[SEP]']);
    }
    const contextTokens = (i: number) =>
      windows[i]!.encoding.tokens.filter((_, position) => windows[i]!.encoding.sequenceIds[position] === 1);
    expect(contextTokens(0).slice(10)).toEqual(contextTokens(1).slice(0, 5)); // the 5-token overlap
  });

  it('marks the answer tokens in the windows that hold the whole answer, and null elsewhere', () => {
    // Answer "three four" = context tokens 22 and 23 (word 22 is "three"): inside the windows starting at 10
    // (tokens 10..24) and 20 (tokens 20..34), not in 0 (0..14) or 30 (30..39).
    const start = context.split(' ').slice(0, 22).join(' ').length + 1;
    expect(context.slice(start, start + 10)).toBe('three four');
    const windows = qaWindows(bert, 'which ?', context, {
      maxLength: 20,
      stride: 5,
      answer: { start, text: 'three four' },
    });
    const spans = windows.map((w) => w.answerTokens);
    expect(spans[0]).toBeNull();
    expect(spans[3]).toBeNull();
    for (const i of [1, 2]) {
      const [first, last] = spans[i]!;
      const encoding = windows[i]!.encoding;
      expect(encoding.tokens.slice(first, last + 1)).toEqual(['three', 'four']);
      expect(context.slice(encoding.offsets[first]![0], encoding.offsets[last]![1])).toBe('three four');
    }
  });

  it('refuses a maxLength that leaves no room for the context', () => {
    expect(() => qaWindows(bert, 'a long question with many words', context, { maxLength: 10, stride: 2 })).toThrow(
      /leaves .* context tokens/,
    );
  });
});

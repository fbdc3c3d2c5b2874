import { describe, expect, it } from 'vitest';
import { tokenizerFromJson } from '../../../engine/data/tokenizer.ts';
import { llamaTokenizerJson } from '../nn/hf-folder/llama-tokenizer-fixture.ts';

describe('a Llama-style tokenizer.json (BPE, "▁" for spaces, byte fallback)', () => {
  const tokenizer = tokenizerFromJson(llamaTokenizerJson());

  it('loads, pads with </s> when it has no pad token, and decodes back to the text', () => {
    expect(tokenizer.specialTokenIds).toMatchObject({ pad: 2, eos: 2, bos: 1, unk: 0 });
    const text = 'the cat sat on a mat, é!';
    expect(tokenizer.decode(tokenizer.tokenize(text).ids)).toBe(text);
    const encoded = tokenizer.encode('the cat', undefined, { maxLength: 6, padding: 'max_length' } as never);
    expect(encoded.ids.slice(0, 3)).toEqual([1, tokenizer.tokenToId('▁the'), tokenizer.tokenToId('▁cat')]);
    expect(encoded.ids.slice(3)).toEqual([2, 2, 2]);
  });

  it('gives each token the span of the text it spells, without its "▁", and byte tokens their character', () => {
    const text = 'the mat, é!';
    const { tokens, offsets } = tokenizer.tokenize(text);
    const spans = tokens.map((token, i) => [token, text.slice(offsets[i]![0], offsets[i]![1])]);
    expect(spans).toEqual([
      ['▁the', 'the'],
      ['▁mat', 'mat'],
      ['<0x2C>', ','],
      ['▁', ''],
      ['<0xC3>', ''],
      ['<0xA9>', 'é'],
      ['<0x21>', '!'],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { encodeSummarization, summarizationPrompt } from '../../../engine/data/summarization-encoding.ts';
import { loadTokenizer } from '../../../engine/data/tokenizer.ts';

const gpt2 = loadTokenizer('resources/tokenizers/gpt2');
const document = 'Heavy rain closed two roads in the valley overnight. Crews expect to reopen both by Friday.';
const summary = 'Rain closes two valley roads; reopening expected Friday.';

describe('summarization encoding for a decoder-only model', () => {
  it('lays out document, TL;DR separator, summary and end token, with targets on the summary only', () => {
    const encoding = encodeSummarization(gpt2, document, summary, { maxLength: 128 });
    const decodedPrefix = gpt2.decode(encoding.ids.slice(0, encoding.summaryStart));
    expect(decodedPrefix).toBe(`${document}\nTL;DR:`);
    const targets = encoding.ids.filter((_, i) => encoding.targetMask[i] === 1);
    expect(gpt2.decode(targets)).toBe(` ${summary}<|endoftext|>`);
    expect(encoding.targetMask.slice(0, encoding.summaryStart).every((flag) => flag === 0)).toBe(true);
    expect(encoding).toMatchObject({ documentTokensDropped: 0, summaryTokensDropped: 0 });
  });

  it('cuts the document, not the summary, to fit maxLength', () => {
    const summaryTokens = gpt2.tokenize(` ${summary}`).ids.length; // + 1 end token
    const separatorTokens = gpt2.tokenize('\nTL;DR:').ids.length;
    const encoding = encodeSummarization(gpt2, document, summary, { maxLength: 24 });
    expect(encoding.ids).toHaveLength(24);
    expect(encoding.summaryTokensDropped).toBe(0);
    // Document keeps 24 − separator − summary − 1 tokens; the rest are dropped.
    const kept = 24 - separatorTokens - summaryTokens - 1;
    expect(encoding.documentTokensDropped).toBe(gpt2.tokenize(document).ids.length - kept);
  });

  it('builds a prompt that leaves room for the tokens to generate', () => {
    const prompt = summarizationPrompt(gpt2, document, { maxLength: 20, maxNewTokens: 8 });
    expect(prompt).toHaveLength(12);
    expect(gpt2.decode(prompt).endsWith('\nTL;DR:')).toBe(true);
    expect(() => summarizationPrompt(gpt2, document, { maxLength: 8, maxNewTokens: 6 })).toThrow(
      /no room for the document/,
    );
  });
});

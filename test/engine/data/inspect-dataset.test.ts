import { describe, expect, it } from 'vitest';
import { inspectDataset } from '../../../engine/data/inspect-dataset.ts';

describe('accord data inspect', () => {
  it('reports issues, statistics and split sizes of a file read through a column mapping', async () => {
    const result = await inspectDataset([
      'test/fixtures/data/mrpc-sample.csv',
      '--map',
      'text=sentence1',
      '--map',
      'textPair=sentence2',
      '--validation',
      '0.5',
      '--seed',
      '3',
    ]);
    expect(result.report).toMatchObject({ rowsRead: 2, examples: 2, issueCount: 0 });
    expect(result.statistics.labels).toEqual({ '0': 1, '1': 1 });
    expect(Object.keys(result.statistics.lengths)).toEqual(['text', 'textPair']);
    expect(result.split.train + result.split.validation).toBe(2);
  });

  it('refuses an unknown task or a malformed mapping with a message that says what is allowed', async () => {
    await expect(inspectDataset(['x.csv', '--task', 'translation'])).rejects.toThrow(/tasks: classification/);
    await expect(inspectDataset(['x.csv', '--map', 'text'])).rejects.toThrow(/--map takes field=column/);
  });
});

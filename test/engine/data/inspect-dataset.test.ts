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

describe('accord data inspect on GLUE-style TSV', () => {
  it('reads quotes as text with --quoting none and names columns of a header-less file', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'accord-inspect-'));
    const file = join(dir, 'sst.tsv');
    writeFileSync(file, '"a quote that never closes\t1\nplain\t0\n');
    try {
      const result = await inspectDataset([file, '--quoting', 'none', '--columns', 'text,label']);
      expect(result.report).toMatchObject({ examples: 2, issueCount: 0 });
      await expect(inspectDataset([file, '--quoting', 'csv'])).rejects.toThrow(/--quoting takes rfc4180 or none/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

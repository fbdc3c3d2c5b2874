import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { prepareClassificationData } from '../../../engine/train/classification-data.ts';

const resource = (path: string) => fileURLToPath(new URL(`../../../resources/${path}`, import.meta.url));
const tokenizerPath = resource('tokenizers/bert-base-uncased');

describe('classification data', () => {
  it('reads the shipped sentences, splits them reproducibly and maps held-out text through the training vocabulary', async () => {
    const options = {
      files: [resource('datasets/sentiment/amazon.tsv')],
      textColumn: 'text',
      labelColumn: 'label',
      tokenizerPath,
      seqLen: 32,
      validationFraction: 0.2,
      seed: 1,
    };
    const data = await prepareClassificationData(options);
    expect(data.labels).toEqual(['0', '1']);
    const total = data.train.length + data.heldOut.length;
    expect(total).toBe(1000);
    expect(data.heldOut.length).toBeGreaterThan(150);
    expect(data.heldOut.length).toBeLessThan(250);
    expect(data.train.every((example) => example.ids.length <= 32)).toBe(true);
    // Every training token is in the vocabulary; only held-out text can meet unknown tokens (id 1).
    expect(data.train.some((example) => example.ids.includes(1))).toBe(false);
    expect(data.heldOut.some((example) => example.ids.includes(1))).toBe(true);
    expect(await prepareClassificationData(options)).toEqual(data);
  });

  it('names the file and line of a bad row, and refuses a single-label column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-cls-'));
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'review,stars\ngreat,5\n,1\n');
    const base = {
      textColumn: 'review',
      labelColumn: 'stars',
      tokenizerPath,
      seqLen: 8,
      validationFraction: 0.5,
      seed: 1,
    };
    await expect(prepareClassificationData({ ...base, files: [bad] })).rejects.toThrow(
      /bad\.csv:3 field "review": is empty/,
    );
    const single = join(dir, 'single.csv');
    writeFileSync(single, 'review,stars\ngreat,5\nfine,5\n');
    await expect(prepareClassificationData({ ...base, files: [single] })).rejects.toThrow(
      'column "stars" has 1 distinct label(s); need 2 or more',
    );
  });
});

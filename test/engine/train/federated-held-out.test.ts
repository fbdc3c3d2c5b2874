/** The held-out part of a federated dataset: fixed by content, disjoint from what rounds train on. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initializeClassifierParameters } from '../../../engine/nn/classifier.ts';
import { TrainingControl } from '../../../engine/runtime/training-control.ts';
import { runDpRoundJob } from '../../../engine/train/dp-round-job.ts';
import {
  federatedClassifierConfig,
  federatedClassifierSettings,
  readLabelledTexts,
} from '../../../engine/train/federated-classifier.ts';
import type { LabelledText } from '../../../engine/train/federated-classifier.ts';
import {
  federatedHeldOutSplit,
  federatedTrainingTexts,
  splitFederatedTexts,
} from '../../../engine/train/federated-held-out.ts';

const dir = mkdtempSync(join(tmpdir(), 'accord-held-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const texts: LabelledText[] = Array.from({ length: 400 }, (_, i) => ({
  text: `review ${i}: ${i % 3 === 0 ? 'a warm and funny story' : 'dull and far too long'}`,
  label: String(i % 2),
}));
const key = (text: LabelledText) => `${text.label}\t${text.text}`;

describe('splitFederatedTexts', () => {
  it('puts every row on exactly one side, about the configured share held out', () => {
    const { training, heldOut } = splitFederatedTexts(texts);
    expect(training.length + heldOut.length).toBe(texts.length);
    const held = new Set(heldOut.map(key));
    expect(training.some((text) => held.has(key(text)))).toBe(false);
    // 400 draws at p = 0.2: the share stays within 4 standard deviations (±0.08).
    expect(Math.abs(heldOut.length / texts.length - federatedHeldOutSplit.validationFraction)).toBeLessThan(0.08);
  });

  it('keeps each row on its side whatever order the file lists them in', () => {
    const forward = new Set(splitFederatedTexts(texts).heldOut.map(key));
    const reversed = new Set(splitFederatedTexts([...texts].reverse()).heldOut.map(key));
    expect(reversed).toEqual(forward);
  });
});

describe('the DP round job', () => {
  it('trains only on the rows outside the held-out part', async () => {
    const file = join(dir, 'reviews.tsv');
    writeFileSync(file, ['text\tlabel', ...texts.map((text) => `${text.text}\t${text.label}`)].join('\n'));
    const training = { layers: 1, dModel: 8, heads: 2, ff: 16, seqLen: 8, vocabBuckets: 32, physicalBatchSize: 64 };
    const globalModel = initializeClassifierParameters(
      federatedClassifierConfig(federatedClassifierSettings(training)),
      1,
    );
    const columns = { text: 'text', label: 'label' };
    const result = await runDpRoundJob(
      {
        dataFile: file,
        format: 'tsv',
        columns,
        training,
        globalModel,
        dp: { clipNorm: 1, noiseMultiplier: 1, sampleRate: 0.05, localSteps: 1 },
      },
      { control: new TrainingControl(), reportProgress: () => undefined },
    );
    const rows = await readLabelledTexts(file, columns, 'tsv');
    expect(result.numExamples).toBe(federatedTrainingTexts(rows).length);
    expect(result.numExamples).toBeLessThan(rows.length);
  });
});

/** Federated evaluation's job: the received model scored on the held-out part only. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../../engine/data/tokenizer.ts';
import { initializeClassifierParameters } from '../../../engine/nn/classifier.ts';
import {
  encodeLabelledTexts,
  evaluateFederatedClassifier,
  federatedClassifierConfig,
  federatedClassifierSettings,
  federatedTokenizerPath,
} from '../../../engine/train/federated-classifier.ts';
import type { LabelledText } from '../../../engine/train/federated-classifier.ts';
import { splitFederatedTexts } from '../../../engine/train/federated-held-out.ts';
import { runHeldOutEvaluationJob } from '../../../engine/train/held-out-evaluation-job.ts';

const dir = mkdtempSync(join(tmpdir(), 'accord-held-out-evaluation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const training = { layers: 1, dModel: 8, heads: 2, ff: 16, seqLen: 8, vocabBuckets: 32, physicalBatchSize: 16 };
const settings = federatedClassifierSettings(training);
const globalModel = initializeClassifierParameters(federatedClassifierConfig(settings), 2);
const columns = { text: 'text', label: 'label' };

function writeTexts(name: string, texts: readonly LabelledText[]): string {
  const file = join(dir, name);
  writeFileSync(file, ['text\tlabel', ...texts.map((text) => `${text.text}\t${text.label}`)].join('\n'));
  return file;
}

describe('runHeldOutEvaluationJob', () => {
  it("reports the model's figures on the held-out rows and not on the training rows", async () => {
    const texts = Array.from({ length: 120 }, (_, i) => ({ text: `sentence ${i} is ${i % 5}`, label: String(i % 2) }));
    const file = writeTexts('reviews.tsv', texts);
    const result = await runHeldOutEvaluationJob({ dataFile: file, format: 'tsv', columns, training, globalModel });
    const { heldOut, training: trained } = splitFederatedTexts(texts);
    const tokenizer = loadTokenizer(federatedTokenizerPath);
    const onHeldOut = await evaluateFederatedClassifier(
      globalModel,
      settings,
      encodeLabelledTexts(tokenizer, heldOut, settings),
    );
    const onTraining = await evaluateFederatedClassifier(
      globalModel,
      settings,
      encodeLabelledTexts(tokenizer, trained, settings),
    );
    expect(result).toEqual({
      accuracy: onHeldOut.accuracy,
      macroF1: onHeldOut.macroF1,
      loss: onHeldOut.loss,
      examples: heldOut.length,
    });
    expect(result?.loss).not.toBe(onTraining.loss);
  });

  it('reports nothing for a dataset whose rows all fall in the training part', async () => {
    const all = Array.from({ length: 60 }, (_, i) => ({ text: `row ${i}`, label: String(i % 2) }));
    const trainingOnly = splitFederatedTexts(all).training.slice(0, 3);
    const file = writeTexts('tiny.tsv', trainingOnly);
    expect(await runHeldOutEvaluationJob({ dataFile: file, format: 'tsv', columns, training, globalModel })).toBeNull();
  });
});

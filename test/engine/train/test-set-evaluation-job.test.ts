/** The coordinator's test-set job: a model scored on every row of a file, none held back. */
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
import { runTestSetEvaluationJob } from '../../../engine/train/test-set-evaluation-job.ts';

const dir = mkdtempSync(join(tmpdir(), 'accord-test-set-job-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const training = { layers: 1, dModel: 8, heads: 2, ff: 16, seqLen: 8, vocabBuckets: 32, physicalBatchSize: 16 };
const settings = federatedClassifierSettings(training);
const model = initializeClassifierParameters(federatedClassifierConfig(settings), 9);
const columns = { text: 'text', label: 'label' };

describe('runTestSetEvaluationJob', () => {
  it('scores every row of the file', async () => {
    const texts = Array.from({ length: 50 }, (_, i) => ({ text: `line ${i} of ${i % 7}`, label: String(i % 2) }));
    const file = join(dir, 'test.tsv');
    writeFileSync(file, ['text\tlabel', ...texts.map((t) => `${t.text}\t${t.label}`)].join('\n'));
    const expected = await evaluateFederatedClassifier(
      model,
      settings,
      encodeLabelledTexts(loadTokenizer(federatedTokenizerPath), texts, settings),
    );
    expect(await runTestSetEvaluationJob({ dataFile: file, format: 'tsv', columns, training, model })).toEqual({
      accuracy: expected.accuracy,
      macroF1: expected.macroF1,
      loss: expected.loss,
      examples: texts.length,
    });
  });

  it('refuses a test set without rows, naming the file', async () => {
    const file = join(dir, 'empty.tsv');
    writeFileSync(file, 'text\tlabel\n');
    await expect(runTestSetEvaluationJob({ dataFile: file, format: 'tsv', columns, training, model })).rejects.toThrow(
      'empty.tsv',
    );
  });
});

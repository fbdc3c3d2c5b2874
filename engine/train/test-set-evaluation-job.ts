/**
 * The coordinator's own evaluation, as the worker thread runs it: an aggregated global model scored on every
 * row of a labelled test set the coordinator holds (no split: none of it belongs to any participant).
 */
import type { DataFormat } from '../data/readers/read-records.ts';
import { loadTokenizer } from '../data/tokenizer.ts';
import type { JobContext } from '../runtime/worker-protocol.ts';
import type { ParameterSet } from '../tensor/parameter-set.ts';
import {
  encodeLabelledTexts,
  evaluateFederatedClassifier,
  federatedClassifierSettings,
  federatedTokenizerPath,
  readLabelledTexts,
} from './federated-classifier.ts';
import type { TrainingSettings } from './federated-classifier.ts';
import type { HeldOutEvaluation } from './held-out-evaluation-job.ts';

export interface TestSetEvaluationJobSpec {
  readonly dataFile: string;
  readonly format?: DataFormat;
  readonly columns: { readonly text: string; readonly label: string };
  readonly training: TrainingSettings;
  readonly model: ParameterSet;
  readonly tokenizerPath?: string;
}

export async function runTestSetEvaluationJob(
  spec: TestSetEvaluationJobSpec,
  _context?: JobContext,
): Promise<HeldOutEvaluation> {
  const settings = federatedClassifierSettings(spec.training);
  const texts = await readLabelledTexts(spec.dataFile, spec.columns, spec.format);
  if (texts.length === 0) throw new Error(`${spec.dataFile}: the test set holds no examples`);
  const tokenizer = loadTokenizer(spec.tokenizerPath ?? federatedTokenizerPath);
  const examples = encodeLabelledTexts(tokenizer, texts, settings);
  const metrics = await evaluateFederatedClassifier(spec.model, settings, examples);
  return { accuracy: metrics.accuracy, macroF1: metrics.macroF1, loss: metrics.loss, examples: metrics.examples };
}

/** Entry point for the worker thread (engine/runtime/training-worker.ts). */
export const runJob = runTestSetEvaluationJob;

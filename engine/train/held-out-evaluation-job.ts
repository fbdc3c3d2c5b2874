/**
 * Federated evaluation, as the worker thread runs it: the round's global model scored on the participant's
 * held-out part of its dataset (engine/train/federated-held-out.ts), which federated training never sees.
 * The figures are computed without noise, so they are released outside the DP guarantee: the participant
 * shows them on the approval card and sends them only when its person or policy lets it.
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
import { splitFederatedTexts } from './federated-held-out.ts';

export interface HeldOutEvaluationJobSpec {
  readonly dataFile: string;
  readonly format?: DataFormat;
  readonly columns: { readonly text: string; readonly label: string };
  readonly training: TrainingSettings;
  readonly globalModel: ParameterSet;
  readonly tokenizerPath?: string;
}

/** One model's figures on one site's held-out examples. */
export interface HeldOutEvaluation {
  readonly accuracy: number;
  readonly macroF1: number;
  /** Mean cross-entropy per example. */
  readonly loss: number;
  readonly examples: number;
}

/** The global model's figures on the held-out part; null when the dataset holds no held-out rows. */
export async function runHeldOutEvaluationJob(
  spec: HeldOutEvaluationJobSpec,
  _context?: JobContext,
): Promise<HeldOutEvaluation | null> {
  const settings = federatedClassifierSettings(spec.training);
  const { heldOut } = splitFederatedTexts(await readLabelledTexts(spec.dataFile, spec.columns, spec.format));
  if (heldOut.length === 0) return null;
  const tokenizer = loadTokenizer(spec.tokenizerPath ?? federatedTokenizerPath);
  const examples = encodeLabelledTexts(tokenizer, heldOut, settings);
  const metrics = await evaluateFederatedClassifier(spec.globalModel, settings, examples);
  return { accuracy: metrics.accuracy, macroF1: metrics.macroF1, loss: metrics.loss, examples: metrics.examples };
}

/** Entry point for the worker thread (engine/runtime/training-worker.ts). */
export const runJob = runHeldOutEvaluationJob;

/**
 * Held-out evaluation of one task with its forward-only graph: classification by accuracy, macro-F1 and
 * Matthews correlation; extractive QA by SQuAD exact match and F1 (answers decoded over all windows of a
 * context); summarization by ROUGE-1/2/L/Lsum F-measure of generated summaries (greedy or beam search).
 */
import { accuracy, f1Scores, matthewsCorrelation } from '../metrics/classification.ts';
import { meanRougeF } from '../metrics/rouge.ts';
import { squadScores } from '../metrics/squad.ts';
import type { TaskForward } from '../nn/task-step.ts';
import type { ParameterSet } from '../tensor/parameter-set.ts';
import { generate } from './causal-decoding.ts';
import type { NextTokenScorer } from './causal-decoding.ts';
import { decodeAnswer } from './span-decoding.ts';
import type { TaskDataset } from './task-dataset.ts';
import { orderedTaskBatches, taskBatch } from './task-features.ts';
import type { BatchGeometry, TaskFeature } from './task-features.ts';

export interface DecodingSettings {
  beamSize: number;
  lengthPenalty: number;
  maxNewTokens: number;
  maxAnswerTokens: number;
}

export type TaskMetrics = Record<string, number>;

export interface TaskEvaluationResult {
  metrics: TaskMetrics;
  /** One text per held-out example: the class name, the answer, or the summary. */
  predictions: string[];
}

/** Runs the forward graph over every held-out feature; returns each output's rows per feature. */
async function forwardRows(dataset: TaskDataset, forward: TaskForward, params: ParameterSet, g: BatchGeometry) {
  const rows = new Map<string, Float32Array[]>();
  for (const batch of orderedTaskBatches(dataset.head, dataset.heldOut, g)) {
    const out = await forward.run(params, batch.feeds);
    for (const [name, value] of out) {
      const data = value.data as Float32Array;
      const width = data.length / g.batchSize;
      const list = rows.get(name) ?? [];
      for (let r = 0; r < batch.count; r += 1) list.push(data.slice(r * width, (r + 1) * width));
      rows.set(name, list);
    }
  }
  return rows;
}

/** −log softmax(logits)[label], in float64. */
function crossEntropy(logits: Float32Array, label: number): number {
  let max = -Infinity;
  for (const value of logits) max = Math.max(max, value);
  let sum = 0;
  for (const value of logits) sum += Math.exp(value - max);
  return Math.log(sum) + max - logits[label]!;
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i += 1) if (values[i]! > values[best]!) best = i;
  return best;
}

/** Next-token logits read at each sequence's last real position of a fixed-length forward graph. */
export function causalScorer(forward: TaskForward, params: ParameterSet, g: BatchGeometry): NextTokenScorer {
  return {
    batchSize: g.batchSize,
    seqLen: g.seqLen,
    async nextLogits(sequences) {
      const features: TaskFeature[] = sequences.map((ids) => ({ ids: [...ids] }));
      const batch = taskBatch(
        { kind: 'causal-lm' },
        features,
        features.map((_, i) => i),
        g,
      );
      const logits = (await forward.run(params, batch.feeds)).get('logits')?.data as Float32Array;
      const vocab = logits.length / (g.batchSize * g.seqLen);
      return sequences.map((ids, row) => {
        const at = row * g.seqLen + ids.length - 1;
        return logits.slice(at * vocab, (at + 1) * vocab);
      });
    },
  };
}

export interface EvaluationContext {
  forward: TaskForward;
  /** Forward graph with batch = beam size, for generation. */
  generationForward?: TaskForward;
  params: ParameterSet;
  geometry: BatchGeometry;
  decoding: DecodingSettings;
  /** Ids never generated (the compact vocabulary's padding and unknown). */
  bannedIds: readonly number[];
  /** Turns generated (model) ids into text. */
  detokenize(ids: number[]): string;
}

export async function evaluateTask(dataset: TaskDataset, context: EvaluationContext): Promise<TaskEvaluationResult> {
  const { evaluation } = dataset;
  if (evaluation.kind === 'causal-lm') {
    const forward = context.generationForward ?? context.forward;
    const geometry = { ...context.geometry, batchSize: context.decoding.beamSize };
    const scorer = causalScorer(forward, context.params, geometry);
    const predictions: string[] = [];
    for (const prompt of evaluation.prompts) {
      const ids = await generate(scorer, prompt, {
        ...context.decoding,
        endId: evaluation.endId,
        bannedIds: context.bannedIds,
      });
      predictions.push(context.detokenize(ids).trim());
    }
    return { metrics: meanRougeF(evaluation.references, predictions), predictions };
  }
  const rows = await forwardRows(dataset, context.forward, context.params, context.geometry);
  if (evaluation.kind === 'classification') {
    const logits = rows.get('logits') ?? [];
    const predicted = logits.map(argmax);
    const actual = dataset.heldOut.map((feature) => feature.label ?? 0);
    const lossSum = logits.reduce((sum, row, i) => sum + crossEntropy(row, actual[i]!), 0);
    const metrics = {
      accuracy: accuracy(predicted, actual),
      macroF1: f1Scores(predicted, actual).macro,
      matthewsCorrelation: matthewsCorrelation(predicted, actual),
      loss: lossSum / Math.max(1, logits.length),
    };
    return { metrics, predictions: predicted.map((label) => evaluation.labels[label] ?? String(label)) };
  }
  return scoreSpans(evaluation, rows, context.decoding.maxAnswerTokens);
}

/** Decodes every QA example over its windows and scores the answers with SQuAD EM/F1 (and v2's breakdown). */
function scoreSpans(
  evaluation: Extract<TaskDataset['evaluation'], { kind: 'span' }>,
  rows: Map<string, Float32Array[]>,
  maxAnswerTokens: number,
): TaskEvaluationResult {
  const [starts, ends] = [rows.get('start_logits') ?? [], rows.get('end_logits') ?? []];
  const predictions = evaluation.examples.map(
    (example) =>
      decodeAnswer(
        example.context,
        example.windows.map((window) => ({
          encoding: window.encoding,
          start: starts[window.feature]!,
          end: ends[window.feature]!,
        })),
        { maxAnswerTokens: maxAnswerTokens, allowNoAnswer: evaluation.allowNoAnswer },
      ).text,
  );
  const scores = squadScores(
    predictions,
    evaluation.examples.map((example) => example.answers),
  );
  const metrics: TaskMetrics = { exactMatch: scores.exactMatch, f1: scores.f1 };
  if (evaluation.allowNoAnswer) {
    // SQuAD v2's breakdown: questions with an answer, and those whose right answer is "no answer".
    if (scores.hasAnswer)
      Object.assign(metrics, { hasAnswerExactMatch: scores.hasAnswer.exactMatch, hasAnswerF1: scores.hasAnswer.f1 });
    if (scores.noAnswer) metrics.noAnswerExactMatch = scores.noAnswer.exactMatch;
  }
  return { metrics, predictions };
}

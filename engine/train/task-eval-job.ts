/**
 * `accord eval`: evaluates a checkpoint written by `accord train` (its metadata holds the model config, the compact
 * vocabulary, the tokenizer and each task's head and class names) on data files, every example held out, with
 * the same metrics as training reports: accuracy/F1/MCC, SQuAD EM/F1, ROUGE.
 */
import { loadTokenizer } from '../data/tokenizer.ts';
import { createTaskForward } from '../nn/task-step.ts';
import { paddingId } from './compact-vocabulary.ts';
import { loadTaskCheckpoint } from './task-checkpoint.ts';
import type { SavedTask } from './task-checkpoint.ts';
import { compactDataset } from './task-dataset.ts';
import { evaluateTask } from './task-evaluation.ts';
import type { DecodingSettings, TaskEvaluationResult } from './task-evaluation.ts';
import { prepareTaskDatasets } from './task-job-spec.ts';
import type { TaskJobSpec, TaskSpec } from './task-job-spec.ts';
import { defaultTaskJobSpec, headKindOf } from './task-job-spec.ts';

export interface TaskEvaluationOptions {
  checkpoint: string;
  tasks: TaskSpec[];
  tokenizerPath?: string;
  batchSize: number;
  stride: number;
  decoding: DecodingSettings;
}

/** The requested tasks, each checked against the checkpoint's heads and given its saved class names. */
function matchTasks(options: TaskEvaluationOptions, saved: readonly SavedTask[]): TaskSpec[] {
  return options.tasks.map((task) => {
    const match = saved.find((candidate) => candidate.name === task.name);
    if (!match || match.head.kind !== headKindOf(task.kind))
      throw new Error(
        `${options.checkpoint}: no ${task.kind} head named "${task.name}" (heads: ${saved.map((s) => `${s.name} (${s.head.kind})`).join(', ')})`,
      );
    return { ...task, ...(match.labels ? { labels: match.labels } : {}) };
  });
}

export async function runTaskEvaluation(
  options: TaskEvaluationOptions,
): Promise<{ name: string; kind: string; result: TaskEvaluationResult }[]> {
  const checkpoint = loadTaskCheckpoint(options.checkpoint);
  const { config, vocabulary } = checkpoint;
  const tasks = matchTasks(options, checkpoint.tasks);
  const seqLen = config.trunk.maxSequenceLength;
  const spec: TaskJobSpec = {
    ...defaultTaskJobSpec(),
    tasks,
    tokenizerPath: options.tokenizerPath ?? checkpoint.tokenizerPath ?? defaultTaskJobSpec().tokenizerPath,
    seqLen,
    batchSize: options.batchSize,
    stride: options.stride,
    decoding: options.decoding,
    validationFraction: 1,
  };
  const tokenizer = loadTokenizer(spec.tokenizerPath);
  const datasets = (await prepareTaskDatasets(spec, tokenizer)).map((dataset) => compactDataset(dataset, vocabulary));
  const detokenize = (ids: number[]) => tokenizer.decode(vocabulary.toTokenizerIds(ids), { skipSpecialTokens: true });
  const results = [];
  for (const dataset of datasets) {
    const forward = await createTaskForward(config, dataset.name, spec.batchSize, seqLen);
    const generationForward =
      dataset.head.kind === 'causal-lm'
        ? await createTaskForward(config, dataset.name, spec.decoding.beamSize, seqLen)
        : undefined;
    const result = await evaluateTask(dataset, {
      forward,
      ...(generationForward ? { generationForward } : {}),
      params: checkpoint.parameters,
      geometry: { batchSize: spec.batchSize, seqLen, padId: paddingId },
      decoding: spec.decoding,
      bannedIds: vocabulary.reservedIds,
      detokenize,
    });
    results.push({ name: dataset.name, kind: dataset.head.kind, result });
  }
  return results;
}

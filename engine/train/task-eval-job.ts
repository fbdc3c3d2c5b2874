/**
 * `accord eval`: evaluates a checkpoint written by a task run (its metadata holds the model config, the compact
 * vocabulary, the tokenizer and each task's head and class names) on data files, every example held out, with
 * the same metrics as training reports: accuracy/F1/MCC, SQuAD EM/F1, ROUGE.
 */
import { loadTokenizer } from '../data/tokenizer.ts';
import type { TaskHead, TaskModelConfig } from '../nn/task-model.ts';
import { createTaskForward } from '../nn/task-step.ts';
import { loadCheckpoint } from './checkpoint.ts';
import { paddingId } from './compact-vocabulary.ts';
import { taskVocabularyFromMetadata } from './task-vocabulary.ts';
import { compactDataset } from './task-dataset.ts';
import { evaluateTask } from './task-evaluation.ts';
import type { DecodingSettings, TaskEvaluationResult } from './task-evaluation.ts';
import { prepareTaskDatasets } from './task-job-spec.ts';
import type { TaskJobSpec, TaskSpec } from './task-job-spec.ts';
import { defaultTaskJobSpec } from './task-job-spec.ts';

export interface TaskEvaluationOptions {
  checkpoint: string;
  tasks: TaskSpec[];
  tokenizerPath?: string;
  batchSize: number;
  stride: number;
  decoding: DecodingSettings;
}

interface SavedTask {
  name: string;
  head: TaskHead;
  labels?: string[];
}

function metadataJson<T>(metadata: Record<string, string>, key: string, file: string): T {
  const text = metadata[key];
  if (text === undefined)
    throw new Error(`${file}: no "${key}" in the checkpoint's metadata (was it written by a task training run?)`);
  return JSON.parse(text) as T;
}

/** The requested tasks, each checked against the checkpoint's heads and given its saved class names. */
function matchTasks(options: TaskEvaluationOptions, saved: readonly SavedTask[]): TaskSpec[] {
  return options.tasks.map((task) => {
    const match = saved.find((candidate) => candidate.name === task.name);
    const kind = { classification: 'classification', qa: 'span', summarization: 'causal-lm' }[task.kind];
    if (!match || match.head.kind !== kind)
      throw new Error(
        `${options.checkpoint}: no ${task.kind} head named "${task.name}" (heads: ${saved.map((s) => `${s.name} (${s.head.kind})`).join(', ')})`,
      );
    return { ...task, ...(match.labels ? { labels: match.labels } : {}) };
  });
}

export async function runTaskEvaluation(
  options: TaskEvaluationOptions,
): Promise<{ name: string; kind: string; result: TaskEvaluationResult }[]> {
  const checkpoint = loadCheckpoint(options.checkpoint);
  const metadata = checkpoint.metadata ?? {};
  const config = metadataJson<TaskModelConfig>(metadata, 'accord.model', options.checkpoint);
  const saved = metadataJson<SavedTask[]>(metadata, 'accord.tasks', options.checkpoint);
  const savedVocabulary = metadata['accord.vocabulary'];
  if (savedVocabulary === undefined) metadataJson(metadata, 'accord.vocabulary', options.checkpoint);
  const vocabulary = taskVocabularyFromMetadata(savedVocabulary!, config.trunk.vocabSize);
  const tasks = matchTasks(options, saved);
  const seqLen = config.trunk.maxSequenceLength;
  const spec: TaskJobSpec = {
    ...defaultTaskJobSpec(),
    tasks,
    tokenizerPath: options.tokenizerPath ?? metadata['accord.tokenizer'] ?? defaultTaskJobSpec().tokenizerPath,
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

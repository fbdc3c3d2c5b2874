/**
 * Preparation of each task's dataset from files: classification (text or pair + label), extractive QA (SQuAD
 * JSON or the Hugging Face JSONL layout; long contexts in overlapping windows, engine/data/qa-windows) and
 * summarization (document + summary, encoded for a decoder-only model with the loss on the summary only).
 */
import { classificationTask, labelSet } from '../data/tasks/classification.ts';
import type { ColumnMapping } from '../data/tasks/column-mapping.ts';
import { extractiveQaTask } from '../data/tasks/extractive-qa.ts';
import type { QaExample } from '../data/tasks/extractive-qa.ts';
import { summarizationTask } from '../data/tasks/summarization.ts';
import { qaWindows } from '../data/qa-windows.ts';
import { encodeSummarization, summarizationPrompt } from '../data/summarization-encoding.ts';
import type { TextTokenizer } from '../data/tokenizer.ts';
import { readAndSplit } from './task-dataset.ts';
import type { QaHeldOut, SplitSettings, TaskDataset } from './task-dataset.ts';
import type { TaskFeature } from './task-features.ts';

export interface TaskDataOptions extends SplitSettings {
  name: string;
  /** Class names fixed by a checkpoint (evaluation); otherwise taken from the training split. */
  labels?: string[];
  files: readonly string[];
  mapping?: ColumnMapping;
  seqLen: number;
}

export async function prepareClassificationTask(
  tokenizer: TextTokenizer,
  options: TaskDataOptions,
): Promise<TaskDataset> {
  const { train, heldOut } = await readAndSplit(options.files, classificationTask, options.mapping, options);
  const labels = options.labels ?? labelSet(train);
  if (labels.length < 2) throw new Error(`${options.name}: the training split has ${labels.length} label(s); need 2+`);
  const encode = (example: (typeof train)[number]): TaskFeature => ({
    ids: tokenizer.encode(example.text, example.textPair, { maxLength: options.seqLen, truncation: 'longest_first' })
      .ids,
    label: Math.max(0, labels.indexOf(example.label)),
  });
  return {
    name: options.name,
    head: { kind: 'classification', classes: labels.length },
    train: train.map(encode),
    heldOut: heldOut.map(encode),
    evaluation: { kind: 'classification', labels },
  };
}

export interface QaDataOptions extends TaskDataOptions {
  stride: number;
}

function qaFeatures(tokenizer: TextTokenizer, example: QaExample, options: QaDataOptions) {
  const answer =
    example.answers.text.length > 0
      ? { start: example.answers.answerStart[0]!, text: example.answers.text[0]! }
      : undefined;
  return qaWindows(tokenizer, example.question, example.context, {
    maxLength: options.seqLen,
    stride: options.stride,
    ...(answer ? { answer } : {}),
  });
}

export async function prepareQaTask(tokenizer: TextTokenizer, options: QaDataOptions): Promise<TaskDataset> {
  const { train, heldOut } = await readAndSplit(options.files, extractiveQaTask, options.mapping, options);
  const trainFeatures = train.flatMap((example) =>
    qaFeatures(tokenizer, example, options).map((window) => ({
      ids: window.encoding.ids,
      span: window.answerTokens ?? ([0, 0] as [number, number]),
    })),
  );
  const heldOutFeatures: TaskFeature[] = [];
  const examples: QaHeldOut[] = heldOut.map((example) => ({
    context: example.context,
    answers: example.answers.text,
    windows: qaFeatures(tokenizer, example, options).map((window) => {
      heldOutFeatures.push({ ids: window.encoding.ids, span: window.answerTokens ?? [0, 0] });
      return { feature: heldOutFeatures.length - 1, encoding: window.encoding };
    }),
  }));
  const allowNoAnswer = [...train, ...heldOut].some((example) => example.isImpossible);
  return {
    name: options.name,
    head: { kind: 'span' },
    train: trainFeatures,
    heldOut: heldOutFeatures,
    evaluation: { kind: 'span', examples, allowNoAnswer },
  };
}

export interface SummarizationDataOptions extends TaskDataOptions {
  maxNewTokens: number;
}

export async function prepareSummarizationTask(
  tokenizer: TextTokenizer,
  options: SummarizationDataOptions,
): Promise<TaskDataset> {
  const { train, heldOut } = await readAndSplit(options.files, summarizationTask, options.mapping, options);
  const encode = (example: (typeof train)[number]): TaskFeature => {
    const encoded = encodeSummarization(tokenizer, example.document, example.summary, {
      maxLength: options.seqLen,
      maxSummaryTokens: options.maxNewTokens,
    });
    return { ids: encoded.ids, targetMask: encoded.targetMask };
  };
  const endId = tokenizer.specialTokenIds.eos ?? tokenizer.specialTokenIds.sep;
  if (endId === undefined) throw new Error(`${options.name}: the tokenizer has no end-of-text token`);
  const prompts = heldOut.map((example) =>
    summarizationPrompt(tokenizer, example.document, { maxLength: options.seqLen, maxNewTokens: options.maxNewTokens }),
  );
  return {
    name: options.name,
    head: { kind: 'causal-lm' },
    train: train.map(encode),
    heldOut: heldOut.map(encode),
    evaluation: { kind: 'causal-lm', prompts, references: heldOut.map((example) => example.summary), endId },
  };
}

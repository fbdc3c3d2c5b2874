/**
 * The flags of `accord train`, for every kind of run: one task from `--task KIND --data FILE` (classification
 * naming its columns with --text-column and --label-column) or several from `--dataset NAME=KIND:FILE`.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isOptimizerAlgorithm, optimizerAlgorithms } from '../../engine/optim/create-optimizer.ts';
import { parseCommandLine } from '../command-line/parse-command-line.ts';
import { UsageError } from '../command-line/usage-error.ts';
import type { ScheduleKind } from '../../engine/optim/schedule.ts';
import { parseTaskList } from './task-options.ts';
import { defaultTaskJobSpec, modelKinds } from '../../engine/train/task-job-spec.ts';
import type { ModelKind, TaskJobSpec, TaskSpec } from '../../engine/train/task-job-spec.ts';
import { bagDefaults, defaultModelKind, transformerClassificationDefaults } from '../../engine/train/model-defaults.ts';

/** A model folder's own tokenizer.json, which a run from it must use; undefined when `init` is not a folder. */
function folderTokenizer(init: string): string | undefined {
  if (!existsSync(init) || !statSync(init).isDirectory()) return undefined;
  if (!existsSync(join(init, 'tokenizer.json')))
    throw new Error(
      `--init ${init}: the model folder has no tokenizer.json; give the model's tokenizer with --tokenizer`,
    );
  return init;
}

const numeric: Record<string, (spec: TaskJobSpec, value: number) => void> = {
  epochs: (s, v) => (s.epochs = v),
  'batch-size': (s, v) => (s.batchSize = v),
  'seq-len': (s, v) => (s.seqLen = v),
  lr: (s, v) => (s.learningRate = v),
  seed: (s, v) => (s.seed = v),
  'warmup-fraction': (s, v) => (s.warmupFraction = v),
  'weight-decay': (s, v) => (s.weightDecay = v),
  'max-grad-norm': (s, v) => (s.maxGradientNorm = v),
  'validation-fraction': (s, v) => (s.validationFraction = v),
  'min-token-count': (s, v) => (s.minTokenCount = v),
  'bigram-buckets': (s, v) => (s.model.bigramBuckets = v),
  patience: (s, v) => (s.patience = v),
  stride: (s, v) => (s.stride = v),
  layers: (s, v) => (s.model.layers = v),
  'd-model': (s, v) => (s.model.dModel = v),
  heads: (s, v) => (s.model.heads = v),
  ff: (s, v) => (s.model.ff = v),
  dropout: (s, v) => (s.model.dropout = v),
  'beam-size': (s, v) => (s.decoding.beamSize = v),
  'length-penalty': (s, v) => (s.decoding.lengthPenalty = v),
  'max-new-tokens': (s, v) => (s.decoding.maxNewTokens = v),
  'max-answer-tokens': (s, v) => (s.decoding.maxAnswerTokens = v),
};

const stringFlags = [
  'task',
  'model',
  'text-column',
  'label-column',
  'optimizer',
  'schedule',
  'sampling',
  'tokenizer',
  'out',
  'init',
  'init-heads',
  'report',
  'lora-rank',
  'lora-alpha',
  'lora-targets',
];
const listFlags = ['data', 'dataset', 'map', 'weight'];

function number(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${flag} must be a number, got "${text}"`);
  return value;
}

function applyChoices(spec: TaskJobSpec, text: Record<string, string | undefined>): void {
  if (text.optimizer !== undefined) {
    if (!isOptimizerAlgorithm(text.optimizer))
      throw new UsageError(`--optimizer must be one of ${optimizerAlgorithms.join(', ')}, got "${text.optimizer}"`);
    spec.optimizer = text.optimizer;
  }
  if (text.schedule !== undefined) {
    if (!['constant', 'linear', 'cosine'].includes(text.schedule))
      throw new UsageError(`--schedule must be constant, linear or cosine, got "${text.schedule}"`);
    spec.schedule = text.schedule as ScheduleKind;
  }
  if (text.sampling !== undefined) {
    if (text.sampling !== 'proportional' && text.sampling !== 'round-robin')
      throw new UsageError(`--sampling must be proportional or round-robin, got "${text.sampling}"`);
    spec.sampling = text.sampling;
  }
  if (text.tokenizer !== undefined) spec.tokenizerPath = text.tokenizer;
  else if (text.init !== undefined) spec.tokenizerPath = folderTokenizer(text.init) ?? spec.tokenizerPath;
  if (text.out !== undefined) spec.out = text.out;
  if (text.init !== undefined)
    spec.init = {
      file: text.init,
      ...(text['init-heads'] !== undefined ? { heads: number('init-heads', text['init-heads']) } : {}),
    };
  if (text['lora-rank'] !== undefined || text['lora-targets'] !== undefined) {
    const rank = number('lora-rank', text['lora-rank'] ?? '8');
    const targets = (text['lora-targets'] ?? 'query,value').split(',').filter(Boolean);
    spec.lora = { rank, alpha: number('lora-alpha', text['lora-alpha'] ?? String(rank)), targetModules: targets };
  }
}

/** --text-column and --label-column: the column mapping of a `--task classification --data` run, required there. */
function columnMaps(text: Record<string, string | undefined>, maps: readonly string[], single: boolean): string[] {
  const columns = { 'text-column': 'text', 'label-column': 'label' } as const;
  const added: string[] = [];
  for (const [flag, field] of Object.entries(columns)) {
    const mapped = maps.some((entry) => entry.split('=')[0]!.split('.').at(-1) === field);
    if (text[flag] !== undefined) added.push(`${field}=${text[flag]}`);
    else if (single && text.task === 'classification' && !mapped) throw new UsageError(`--${flag} is required`);
  }
  return added;
}

function modelKindOf(flag: string | undefined, tasks: TaskSpec[], init: string | undefined): ModelKind {
  if (flag === undefined) return defaultModelKind(tasks, init);
  if (!(modelKinds as readonly string[]).includes(flag))
    throw new UsageError(`--model must be one of ${modelKinds.join(', ')}, got "${flag}"`);
  return flag as ModelKind;
}

/** The run's starting settings: the engine's defaults, then those of its model kind; flags override both. */
function specDefaults(tasks: TaskSpec[], kind: ModelKind): TaskJobSpec {
  const defaults = defaultTaskJobSpec();
  const classification = tasks.every((task) => task.kind === 'classification');
  const { model, ...settings } = kind === 'bag' ? bagDefaults : classification ? transformerClassificationDefaults : {};
  return {
    ...defaults,
    ...settings,
    model: { ...defaults.model, ...model, kind },
    decoding: { ...defaults.decoding },
    tasks,
  };
}

export function parseTrainArgs(argv: string[]): { spec: TaskJobSpec; report: string | undefined } {
  const { values } = parseCommandLine(argv, {
    ...Object.fromEntries([...Object.keys(numeric), ...stringFlags].map((name) => [name, { type: 'string' as const }])),
    ...Object.fromEntries(listFlags.map((name) => [name, { type: 'string' as const, multiple: true }])),
    'save-optimizer-state': { type: 'boolean' },
  });
  const text = values as Record<string, string | undefined>;
  const lists = values as Record<string, string[] | undefined>;
  const single = (lists.data ?? []).length > 0 && (lists.dataset ?? []).length === 0;
  const maps = lists.map ?? [];
  const tasks = parseTaskList({
    task: text.task === 'multi' ? undefined : text.task,
    data: lists.data ?? [],
    datasets: lists.dataset ?? [],
    maps: [...maps, ...columnMaps(text, maps, single)],
    weights: lists.weight ?? [],
  });
  const spec = specDefaults(tasks, modelKindOf(text.model, tasks, text.init));
  spec.saveOptimizerState = values['save-optimizer-state'] === true;
  for (const [flag, apply] of Object.entries(numeric))
    if (text[flag] !== undefined) apply(spec, number(flag, text[flag]));
  applyChoices(spec, text);
  return { spec, report: text.report };
}

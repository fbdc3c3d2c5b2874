/**
 * `accord train` for QA, summarization and multi-task runs (classification alone keeps its own command in
 * cli.ts, and joins these as a `--dataset NAME=classification:FILE`). Progress on stderr, one JSON line of
 * results on stdout, a checkpoint with --out, and a report (JSON + Markdown) with --report PREFIX.
 */
import { parseArgs } from 'node:util';
import { isOptimizerAlgorithm, optimizerAlgorithms } from '../../engine/optim/create-optimizer.ts';
import type { ScheduleKind } from '../../engine/optim/schedule.ts';
import { parseTaskList } from './task-options.ts';
import { defaultTaskJobSpec } from '../../engine/train/task-job-spec.ts';
import type { TaskJobResult, TaskJobSpec } from '../../engine/train/task-job-spec.ts';
import { runTaskJob } from '../../engine/train/task-job.ts';
import { writeReport } from '../../engine/train/task-report.ts';
import type { TrainingProgress } from '../../engine/runtime/training-progress.ts';

export const taskTrainUsage = `usage: accord train --task qa|summarization --data FILE[,FILE…]
   or: accord train --dataset NAME=KIND:FILE[,FILE…] [--dataset …]   (KIND: classification|qa|summarization)
  [--map [NAME.]FIELD=COLUMN] [--weight NAME=W] [--sampling proportional|round-robin]
  [--epochs N] [--batch-size N] [--seq-len N] [--lr RATE] [--seed N] [--optimizer ${optimizerAlgorithms.join('|')}]
  [--schedule constant|linear|cosine] [--warmup-fraction F] [--weight-decay F] [--max-grad-norm F]
  [--layers N] [--d-model N] [--heads N] [--ff N] [--dropout F] [--validation-fraction F] [--stride N]
  [--beam-size N] [--length-penalty F] [--max-new-tokens N] [--max-answer-tokens N]
  [--lora-rank N --lora-alpha F --lora-targets P[,P…]] [--init GPT2.safetensors [--init-heads N]]
  [--tokenizer PATH] [--out FILE] [--report PREFIX]`;

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
  if (text.trim() === '' || !Number.isFinite(value)) throw new Error(`--${flag} must be a number, got "${text}"`);
  return value;
}

function applyChoices(spec: TaskJobSpec, text: Record<string, string | undefined>): void {
  if (text.optimizer !== undefined) {
    if (!isOptimizerAlgorithm(text.optimizer))
      throw new Error(`--optimizer must be one of ${optimizerAlgorithms.join(', ')}, got "${text.optimizer}"`);
    spec.optimizer = text.optimizer;
  }
  if (text.schedule !== undefined) {
    if (!['constant', 'linear', 'cosine'].includes(text.schedule))
      throw new Error(`--schedule must be constant, linear or cosine, got "${text.schedule}"`);
    spec.schedule = text.schedule as ScheduleKind;
  }
  if (text.sampling !== undefined) {
    if (text.sampling !== 'proportional' && text.sampling !== 'round-robin')
      throw new Error(`--sampling must be proportional or round-robin, got "${text.sampling}"`);
    spec.sampling = text.sampling;
  }
  if (text.tokenizer !== undefined) spec.tokenizerPath = text.tokenizer;
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

export function parseTaskTrainArgs(argv: string[]): { spec: TaskJobSpec; report: string | undefined } {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...Object.fromEntries(
        [...Object.keys(numeric), ...stringFlags].map((name) => [name, { type: 'string' as const }]),
      ),
      ...Object.fromEntries(listFlags.map((name) => [name, { type: 'string' as const, multiple: true }])),
    },
    strict: true,
  });
  const text = values as Record<string, string | undefined>;
  const lists = values as Record<string, string[] | undefined>;
  const tasks = parseTaskList({
    task: text.task === 'multi' ? undefined : text.task,
    data: lists.data ?? [],
    datasets: lists.dataset ?? [],
    maps: lists.map ?? [],
    weights: lists.weight ?? [],
  });
  const defaults = defaultTaskJobSpec();
  const spec: TaskJobSpec = { ...defaults, model: { ...defaults.model }, decoding: { ...defaults.decoding }, tasks };
  for (const [flag, apply] of Object.entries(numeric))
    if (text[flag] !== undefined) apply(spec, number(flag, text[flag]));
  applyChoices(spec, text);
  return { spec, report: text.report };
}

export function trainReport(spec: TaskJobSpec, result: TaskJobResult) {
  return {
    command: 'train' as const,
    tasks: result.tasks.map((task) => ({
      name: task.name,
      kind: task.kind,
      columns: { untrained: task.untrained, trained: task.trained },
      samplePredictions: task.samplePredictions,
    })),
    details: {
      steps: result.steps,
      finalTrainLoss: result.finalTrainLoss,
      seconds: result.seconds,
      parameterCount: result.parameterCount,
      checkpoint: result.checkpoint,
      sampling: spec.sampling,
      seed: spec.seed,
      lora: spec.lora ?? null,
    },
  };
}

export async function runTaskTrainCommand(argv: string[], progress: (p: TrainingProgress) => void): Promise<void> {
  const { spec, report } = parseTaskTrainArgs(argv);
  const result = await runTaskJob(spec, { reportProgress: progress });
  if (report) writeReport(report, trainReport(spec, result));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

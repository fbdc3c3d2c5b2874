/**
 * `accord train --task classification --data FILE --text-column C --label-column L [options]`: trains a
 * transformer classifier on the file(s), shows a progress bar on stderr and prints one JSON line of metrics
 * on stdout. The CLI has no UI thread to keep free, so it trains in-process.
 */
import { parseArgs } from 'node:util';
import { isOptimizerAlgorithm, optimizerAlgorithms } from '../../engine/optim/create-optimizer.ts';
import type { ScheduleKind } from '../../engine/optim/schedule.ts';
import { defaultClassificationSpec, runClassificationJob } from '../../engine/train/classification-job.ts';
import type { ClassificationJobSpec } from '../../engine/train/classification-job.ts';
import { formatProgressBar } from '../progress-bar.ts';
import { runTaskTrainCommand, taskTrainUsage } from './task-train-command.ts';
import type { TrainingProgress } from '../../engine/runtime/training-progress.ts';

const numericFlags = {
  epochs: 'epochs',
  'batch-size': 'batchSize',
  'seq-len': 'seqLen',
  lr: 'learningRate',
  seed: 'seed',
  'warmup-fraction': 'warmupFraction',
  'weight-decay': 'weightDecay',
  'max-grad-norm': 'maxGradientNorm',
  'validation-fraction': 'validationFraction',
  'min-token-count': 'minTokenCount',
} as const;

const modelFlags = { layers: 'layers', 'd-model': 'dModel', heads: 'heads', ff: 'ff', dropout: 'dropout' } as const;

export const trainUsage = `usage: accord train --task classification --data FILE[,FILE…] --text-column NAME --label-column NAME
  [--epochs N] [--batch-size N] [--seq-len N] [--lr RATE] [--seed N] [--out checkpoint.safetensors]
  [--optimizer ${optimizerAlgorithms.join('|')}] [--schedule constant|linear|cosine] [--warmup-fraction F]
  [--weight-decay F] [--max-grad-norm F] [--layers N] [--d-model N] [--heads N] [--ff N] [--dropout F]
  [--validation-fraction F] [--tokenizer PATH] [--min-token-count N] [--save-optimizer-state]`;

function number(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new Error(`--${flag} must be a number, got "${text}"`);
  return value;
}

function parseTrainArgs(argv: string[]): ClassificationJobSpec {
  const strings = [
    ...Object.keys(numericFlags),
    ...Object.keys(modelFlags),
    'task',
    'text-column',
    'label-column',
    'out',
    'optimizer',
    'schedule',
    'tokenizer',
  ];
  const { values } = parseArgs({
    args: argv,
    options: {
      ...Object.fromEntries(strings.map((name) => [name, { type: 'string' as const }])),
      data: { type: 'string', multiple: true },
      'save-optimizer-state': { type: 'boolean' },
    },
    strict: true,
  });
  const text = values as Record<string, string | undefined>;
  if (text.task !== 'classification')
    throw new Error(
      `--task must be classification, qa, summarization or multi, got "${text.task ?? ''}"\n${trainUsage}`,
    );
  const dataFiles = (values.data ?? []).flatMap((entry) => entry.split(',')).filter(Boolean);
  if (dataFiles.length === 0) throw new Error(`--data is required\n${trainUsage}`);
  for (const flag of ['text-column', 'label-column'])
    if (!text[flag]) throw new Error(`--${flag} is required\n${trainUsage}`);
  const spec: ClassificationJobSpec = {
    ...defaultClassificationSpec,
    model: { ...defaultClassificationSpec.model },
    dataFiles,
    textColumn: text['text-column']!,
    labelColumn: text['label-column']!,
    out: text.out,
    saveOptimizerState: values['save-optimizer-state'] === true,
  };
  applyOptions(spec, text);
  return spec;
}

function applyOptions(spec: ClassificationJobSpec, text: Record<string, string | undefined>): void {
  for (const [flag, key] of Object.entries(numericFlags)) {
    if (text[flag] !== undefined) (spec as unknown as Record<string, number>)[key] = number(flag, text[flag]);
  }
  for (const [flag, key] of Object.entries(modelFlags)) {
    if (text[flag] !== undefined) (spec.model as Record<string, number>)[key] = number(flag, text[flag]);
  }
  if (text.optimizer !== undefined) {
    if (!isOptimizerAlgorithm(text.optimizer)) {
      throw new Error(`--optimizer must be one of ${optimizerAlgorithms.join(', ')}, got "${text.optimizer}"`);
    }
    spec.optimizer = text.optimizer;
  }
  if (text.schedule !== undefined) {
    if (!['constant', 'linear', 'cosine'].includes(text.schedule)) {
      throw new Error(`--schedule must be constant, linear or cosine, got "${text.schedule}"`);
    }
    spec.schedule = text.schedule as ScheduleKind;
  }
  if (text.tokenizer !== undefined) spec.tokenizerPath = text.tokenizer;
}

/** On a terminal the bar redraws in place; in a log it prints about twenty lines per run. */
export function progressPrinter(stream: NodeJS.WriteStream): (progress: TrainingProgress) => void {
  let lastShown = 0;
  return (progress) => {
    const line = formatProgressBar(progress);
    if (stream.isTTY) {
      stream.write(`\r${line}`);
      if (progress.step === progress.totalSteps) stream.write('\n');
      return;
    }
    const every = Math.max(1, Math.round(progress.totalSteps / 20));
    if (progress.step - lastShown >= every || progress.step === progress.totalSteps) {
      lastShown = progress.step;
      stream.write(`${line}\n`);
    }
  };
}

/** Classification alone (--task classification --data …) runs the classifier job; any other run is a task run. */
function isTaskRun(argv: readonly string[]): boolean {
  const task = argv[argv.indexOf('--task') + 1];
  return argv.includes('--dataset') || (argv.includes('--task') && task !== 'classification');
}

export async function runTrainCommand(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${trainUsage}\n${taskTrainUsage}\n`);
    return;
  }
  if (isTaskRun(argv)) return runTaskTrainCommand(argv, progressPrinter(process.stderr));
  const spec = parseTrainArgs(argv);
  const result = await runClassificationJob(spec, { reportProgress: progressPrinter(process.stderr) });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/**
 * `accord train`: one training path for every task kind (engine/train/task-job.ts). Progress on stderr, one JSON
 * line of results on stdout, a checkpoint that `accord eval` evaluates and `--init` resumes with --out, and a
 * report (JSON + Markdown) with --report PREFIX. The CLI has no UI thread to keep free, so it trains in-process.
 */
import type { TaskJobResult, TaskJobSpec } from '../../engine/train/task-job-spec.ts';
import { runTaskJob } from '../../engine/train/task-job.ts';
import { writeReport } from '../../engine/train/task-report.ts';
import type { TrainingProgress } from '../../engine/runtime/training-progress.ts';
import type { HeldOutEpoch } from '../../engine/train/early-stopping.ts';
import { formatProgressBar } from '../progress-bar.ts';
import { parseTrainArgs } from './train-args.ts';

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

/** One line of the held-out curve per epoch, so a run shows where it starts to memorise. */
export function epochPrinter(stream: NodeJS.WriteStream): (point: HeldOutEpoch, maxEpochs: number) => void {
  return (point, maxEpochs) => {
    const tasks = Object.entries(point.tasks).map(([name, metrics]) => {
      const accuracy = metrics.accuracy === undefined ? '' : ` accuracy ${metrics.accuracy.toFixed(4)}`;
      return `${name}: held-out loss ${metrics.loss!.toFixed(4)}${accuracy}`;
    });
    const mark = point.improved ? '  (best so far)' : '';
    stream.write(
      `epoch ${point.epoch}/${maxEpochs}  train loss ${point.trainLoss.toFixed(4)}  ${tasks.join('  ')}${mark}\n`,
    );
  };
}

function stoppingNote(result: TaskJobResult): string {
  const stopping = result.earlyStopping;
  if (!stopping) return '';
  return `${stopping.stoppedEarly ? 'stopped early: ' : ''}${stopping.reason}\n`;
}

export function trainReport(spec: TaskJobSpec, result: TaskJobResult) {
  return {
    command: 'train' as const,
    tasks: result.tasks.map((task) => ({
      name: task.name,
      kind: task.kind,
      columns: { untrained: task.untrained, ...(task.trained ? { trained: task.trained } : {}) },
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

/** A run of one classification task also prints its class names and held-out metrics at the top level. */
function classificationSummary(spec: TaskJobSpec, result: TaskJobResult) {
  const [task] = result.tasks;
  if (result.tasks.length !== 1 || task?.kind !== 'classification') return {};
  return {
    task: 'classification' as const,
    // With --init the checkpoint's own config decides the model.
    ...(spec.init ? {} : { model: spec.model.kind ?? 'transformer' }),
    seed: spec.seed,
    epochs: spec.epochs,
    labels: task.labels,
    trainExamples: task.trainFeatures,
    heldOutExamples: task.heldOutFeatures,
    heldOut: task.trained ? { examples: task.heldOutFeatures, ...task.trained } : null,
  };
}

export async function runTrainCommand(argv: string[]): Promise<void> {
  const { spec, report } = parseTrainArgs(argv);
  const result = await runTaskJob(spec, {
    reportProgress: progressPrinter(process.stderr),
    reportEpoch: epochPrinter(process.stderr),
  });
  process.stderr.write(stoppingNote(result));
  if (report) writeReport(report, trainReport(spec, result));
  process.stdout.write(`${JSON.stringify({ ...classificationSummary(spec, result), ...result })}\n`);
}

/**
 * `accord eval --checkpoint FILE --task KIND --data FILE[,FILE…]` (or `--dataset NAME=KIND:FILE` per task, the
 * names those of the checkpoint's heads): metrics per task as one JSON line on stdout, and with --report PREFIX
 * as `<prefix>.json` and `<prefix>.md`.
 */
import { parseCommandLine } from '../command-line/parse-command-line.ts';
import { UsageError } from '../command-line/usage-error.ts';
import { parseTaskList } from './task-options.ts';
import { defaultTaskJobSpec } from '../../engine/train/task-job-spec.ts';
import { runTaskEvaluation } from '../../engine/train/task-eval-job.ts';
import { writeReport } from '../../engine/train/task-report.ts';

function number(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${flag} must be a number, got "${text}"`);
  return value;
}

function decodingOf(text: Record<string, string | undefined>) {
  const defaults = defaultTaskJobSpec();
  return {
    beamSize: number('beam-size', text['beam-size'], defaults.decoding.beamSize),
    lengthPenalty: number('length-penalty', text['length-penalty'], defaults.decoding.lengthPenalty),
    maxNewTokens: number('max-new-tokens', text['max-new-tokens'], defaults.decoding.maxNewTokens),
    maxAnswerTokens: number('max-answer-tokens', text['max-answer-tokens'], defaults.decoding.maxAnswerTokens),
  };
}

export async function runEvalCommand(argv: string[]): Promise<void> {
  const single = ['checkpoint', 'task', 'batch-size', 'stride', 'beam-size', 'length-penalty', 'max-new-tokens'];
  const { values } = parseCommandLine(argv, {
    ...Object.fromEntries(
      [...single, 'max-answer-tokens', 'tokenizer', 'report'].map((name) => [name, { type: 'string' as const }]),
    ),
    ...Object.fromEntries(
      ['data', 'dataset', 'map'].map((name) => [name, { type: 'string' as const, multiple: true }]),
    ),
  });
  const text = values as Record<string, string | undefined>;
  const lists = values as Record<string, string[] | undefined>;
  if (!text.checkpoint) throw new UsageError('--checkpoint is required');
  const defaults = defaultTaskJobSpec();
  const tasks = parseTaskList({
    task: text.task,
    data: lists.data ?? [],
    datasets: lists.dataset ?? [],
    maps: lists.map ?? [],
    weights: [],
  });
  const results = await runTaskEvaluation({
    checkpoint: text.checkpoint,
    tasks,
    ...(text.tokenizer ? { tokenizerPath: text.tokenizer } : {}),
    batchSize: number('batch-size', text['batch-size'], defaults.batchSize),
    stride: number('stride', text.stride, defaults.stride),
    decoding: decodingOf(text),
  });
  const report = {
    command: 'eval' as const,
    tasks: results.map(({ name, kind, result }) => ({
      name,
      kind,
      columns: { checkpoint: result.metrics },
      samplePredictions: result.predictions.slice(0, 3),
    })),
    details: { checkpoint: text.checkpoint },
  };
  if (text.report) writeReport(text.report, report);
  process.stdout.write(`${JSON.stringify({ tasks: report.tasks })}\n`);
}

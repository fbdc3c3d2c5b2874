/**
 * How well `accord train`'s defaults classify small data sets, against a TF-IDF + logistic-regression baseline:
 * the 3,000 UCI sentences and 3,000 IMDb reviews, each split 80/20 with seeds 0, 1 and 2. Every model row is
 * trained by the code `accord train` runs (its argument parser and task job), from the flags shown, and its
 * checkpoint is scored on the 20 % by the code `accord eval` runs. Prints a table of held-out accuracy per split
 * seed and the mean, then one JSON line of the figures. No thresholds: it measures, it does not judge.
 * Usage: npm run bench:defaults [-- --datasets uci,reviews --seeds 0,1,2]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseTrainArgs } from '../cli/train/train-args.ts';
import { defaultTaskJobSpec } from '../engine/train/task-job-spec.ts';
import { runTaskEvaluation } from '../engine/train/task-eval-job.ts';
import { runTaskJob } from '../engine/train/task-job.ts';
import type { LabelledText } from '../engine/train/federated-classifier.ts';
import { imdbReviews, splitRows, uciSentences, writeTsv } from './bench/defaults-data.ts';
import { tfidfLogisticAccuracy } from './bench/tfidf-logistic.ts';

/** The model rows: a name and the `accord train` flags beyond data and columns. */
const modelRows: { name: string; flags: string[] }[] = [
  { name: 'accord train defaults', flags: [] },
  { name: 'transformer (--model transformer)', flags: ['--model', 'transformer'] },
];
const baselineName = 'TF-IDF + logistic regression';

async function trainedAccuracy(flags: string[], train: string, test: string, out: string): Promise<number> {
  const columns = ['--text-column', 'text', '--label-column', 'label'];
  const { spec } = parseTrainArgs(['--task', 'classification', '--data', train, ...columns, ...flags, '--out', out]);
  await runTaskJob(spec);
  const [evaluated] = await runTaskEvaluation({
    checkpoint: out,
    tasks: [
      { name: 'classification', kind: 'classification', files: [test], mapping: { text: 'text', label: 'label' } },
    ],
    batchSize: 32,
    stride: defaultTaskJobSpec().stride,
    decoding: defaultTaskJobSpec().decoding,
  });
  return evaluated!.result.metrics.accuracy!;
}

type Figures = Record<string, Record<string, number[]>>;

async function benchDataset(
  rows: readonly LabelledText[],
  seeds: number[],
  dir: string,
): Promise<Record<string, number[]>> {
  const figures: Record<string, number[]> = Object.fromEntries(
    [...modelRows.map((r) => r.name), baselineName].map((n) => [n, []]),
  );
  for (const seed of seeds) {
    const split = splitRows(rows, seed);
    const train = writeTsv(join(dir, `train-${seed}.tsv`), split.train);
    const test = writeTsv(join(dir, `test-${seed}.tsv`), split.test);
    for (const row of modelRows) {
      const started = performance.now();
      const accuracy = await trainedAccuracy(row.flags, train, test, join(dir, `model-${seed}.safetensors`));
      figures[row.name]!.push(accuracy);
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      process.stderr.write(`split ${seed}  ${row.name}: ${accuracy.toFixed(3)} (${seconds} s)\n`);
    }
    figures[baselineName]!.push(tfidfLogisticAccuracy(split.train, split.test));
    process.stderr.write(`split ${seed}  ${baselineName}: ${figures[baselineName]!.at(-1)!.toFixed(3)}\n`);
  }
  return figures;
}

const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

function table(figures: Figures, seeds: number[]): string {
  const header = `| data set | model | ${seeds.map((s) => `split ${s}`).join(' | ')} | mean |`;
  const lines = [header, `|${' --- |'.repeat(seeds.length + 3)}`];
  for (const [dataset, rows] of Object.entries(figures))
    for (const [model, values] of Object.entries(rows))
      lines.push(
        `| ${dataset} | ${model} | ${values.map((v) => v.toFixed(3)).join(' | ')} | ${mean(values).toFixed(3)} |`,
      );
  return lines.join('\n');
}

const { values } = parseArgs({ options: { datasets: { type: 'string' }, seeds: { type: 'string' } } });
const seeds = (values.seeds ?? '0,1,2').split(',').map(Number);
const wanted = (values.datasets ?? 'uci,reviews').split(',');
const sources: Record<string, () => Promise<LabelledText[]> | LabelledText[]> = {
  uci: uciSentences,
  reviews: () => imdbReviews(),
};
const dir = mkdtempSync(join(tmpdir(), 'accord-bench-defaults-'));
try {
  const figures: Figures = {};
  for (const name of wanted) {
    if (!sources[name]) throw new Error(`unknown data set "${name}" (uci, reviews)`);
    figures[name === 'uci' ? 'UCI sentences' : 'IMDb reviews'] = await benchDataset(await sources[name](), seeds, dir);
  }
  process.stdout.write(`${table(figures, seeds)}\n${JSON.stringify(figures)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

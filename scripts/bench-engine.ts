/**
 * `npm run bench:engine`: times one training step (forward + backward + AdamW) of the transformer classifier
 * (batch 32, seq 128, d_model 256, 4 heads, ff 1024, vocab 8000) with 1 and 4 layers and of a 2-hidden-layer
 * MLP 1024 wide, and, when /usr/bin/python3 has torch, the same models in PyTorch on the same thread count.
 * Time inside onnxruntime is measured around OnnxSession.run; the rest of a step is TypeScript (batching,
 * feeds, embedding scatter, optimizer): host_share. Last line: one JSON object.
 * Threads: all cores (onnxruntime's intra-op threads as the engine sets them; torch.set_num_threads the same).
 * Env: ACCORD_BENCH_STEPS (default 10).
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { AdamW } from '../engine/optim/adam.ts';
import { OnnxSession } from '../engine/runtime/session.ts';
import type { ParameterSet } from '../engine/tensor/parameter-set.ts';
import type { TrainingStep } from '../engine/train/training-loop.ts';
import { createMlpStep, mlpParameters } from './bench/mlp-step.ts';
import type { MlpBatch } from './bench/mlp-step.ts';
import { createTransformerBench } from './bench/transformer-step.ts';
import type { TransformerConfig } from './bench/transformer-step.ts';

const threads = availableParallelism();
const steps = Number(process.env.ACCORD_BENCH_STEPS ?? 10);
const warmup = 2;
const transformer: Omit<TransformerConfig, 'layers'> = {
  vocab: 8000,
  d_model: 256,
  heads: 4,
  ff: 1024,
  seq_len: 128,
  batch: 32,
  classes: 2,
};
const mlp = { inputs: 1024, width: 1024, classes: 2, batch: 256 };

let graphMs = 0;
const originalRun = OnnxSession.prototype.run;
OnnxSession.prototype.run = async function timedRun(this: OnnxSession, ...args: Parameters<OnnxSession['run']>) {
  const start = performance.now();
  try {
    return await originalRun.apply(this, args);
  } finally {
    graphMs += performance.now() - start;
  }
};

interface Timing {
  medianMs: number;
  hostShare: number;
  optimizerMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function timeSteps<B>(step: TrainingStep<B>, parameters: ParameterSet, makeBatch: () => B): Promise<Timing> {
  const optimizer = new AdamW({ weightDecay: 0.01 });
  const totals: number[] = [];
  const graphs: number[] = [];
  const optimizerTimes: number[] = [];
  for (let i = 0; i < warmup + steps; i++) {
    graphMs = 0;
    const start = performance.now();
    const { gradients } = await step.run(parameters, makeBatch());
    const optimizerStart = performance.now();
    optimizer.step(parameters, gradients, 1e-4);
    const end = performance.now();
    if (i < warmup) continue;
    totals.push(end - start);
    graphs.push(graphMs);
    optimizerTimes.push(end - optimizerStart);
  }
  const total = totals.reduce((a, b) => a + b, 0);
  const graph = graphs.reduce((a, b) => a + b, 0);
  return { medianMs: median(totals), hostShare: 1 - graph / total, optimizerMs: median(optimizerTimes) };
}

const torchAvailable = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;

/** The same model in PyTorch, run right after ours so that both see the same machine load. */
function torchMs(model: string): number | undefined {
  if (!torchAvailable) return undefined;
  const script = fileURLToPath(new URL('./bench-engine-torch.py', import.meta.url));
  const config = JSON.stringify({ threads, steps, warmup, transformer, mlp });
  const run = spawnSync('/usr/bin/python3', [script, config, model], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (run.status !== 0) throw new Error(`PyTorch reference for ${model} failed: ${run.stderr}`);
  return (JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { ms: number }).ms;
}

const mlpSource = Float32Array.from({ length: mlp.batch * mlp.inputs }, (_, i) => Math.sin(i));

/** Batching copies the examples' features, as a trainer does; the values are made once. */
function mlpBatch(): MlpBatch {
  return { x: mlpSource.slice(), labels: BigInt64Array.from({ length: mlp.batch }, (_, i) => BigInt(i % mlp.classes)) };
}

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
const ratio = (ours: number, theirs: number | undefined): number | null =>
  theirs === undefined ? null : round(ours / theirs, 3);

interface Measured extends Timing {
  torchMs: number | undefined;
}

function report(name: string, timing: Measured): void {
  const torch = timing.torchMs === undefined ? 'no PyTorch' : `PyTorch ${timing.torchMs.toFixed(1)} ms`;
  process.stderr.write(
    `${name}: ${timing.medianMs.toFixed(1)} ms/step (${torch}), host ${(timing.hostShare * 100).toFixed(1)} %, optimizer ${timing.optimizerMs.toFixed(1)} ms\n`,
  );
}

async function measure(): Promise<Record<string, Measured>> {
  const results: Record<string, Measured> = {};
  for (const layers of [1, 4]) {
    const bench = await createTransformerBench({ ...transformer, layers });
    const timing = await timeSteps(bench.step, bench.parameters, bench.makeBatch);
    results[`transformer${layers}`] = { ...timing, torchMs: torchMs(`transformer${layers}`) };
    report(`transformer${layers}`, results[`transformer${layers}`]!);
  }
  const timing = await timeSteps(await createMlpStep(mlp, threads), mlpParameters(mlp, 1), mlpBatch);
  results.mlp = { ...timing, torchMs: torchMs('mlp') };
  report('mlp', results.mlp);
  return results;
}

async function main(): Promise<void> {
  process.stderr.write(`engine benchmark: ${threads} threads, median of ${steps} steps after ${warmup} warm-up\n`);
  if (!torchAvailable) process.stderr.write('PyTorch not available at /usr/bin/python3: no reference ratios\n');
  const results = await measure();
  const [t1, t4, m] = [results.transformer1!, results.transformer4!, results.mlp!];
  const orNull = (value: number | undefined) => (value === undefined ? null : round(value));
  const summary = {
    transformer1_ms: round(t1.medianMs),
    torch_transformer1_ms: orNull(t1.torchMs),
    transformer4_ms: round(t4.medianMs),
    torch_transformer4_ms: orNull(t4.torchMs),
    ratio_vs_torch: ratio(t4.medianMs, t4.torchMs),
    host_share: round(t4.hostShare, 3),
    mlp_ms: round(m.medianMs),
    torch_mlp_ms: orNull(m.torchMs),
    ratio_mlp_vs_torch: ratio(m.medianMs, m.torchMs),
    mlp_host_share: round(m.hostShare, 3),
    threads,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

await main();

/**
 * `npm run bench:dp`: one DP-SGD step against one non-private step on the engine benchmark's transformer
 * classifier (batch 32, seq 128, d 256, 4 heads, ff 1024, vocab 8000; 1 layer unless LAYERS is set).
 * Plain step: forward + backward in onnxruntime, embedding rows scattered on the host.
 * DP step: forward + one backward + per-example norms, clip factors and clipped sums in the same graph,
 * rows scattered, then CSPRNG Gaussian noise on every parameter and division by q·n on the host.
 * Neither includes the optimizer update, which is the same for both. Prints the median of STEPS runs after
 * WARMUP; the last line is {"dp_step_ms", "plain_step_ms", "dp_ratio"}.
 */
import { buildBackward } from '../engine/autodiff/backward.ts';
import { scatterAddRows } from '../engine/autodiff/scatter-add-rows.ts';
import type { Graph, Value } from '../engine/graph/ir.ts';
import * as op from '../engine/graph/ops/index.ts';
import { serializeGraph } from '../engine/graph/serialize.ts';
import { buildDpGradients } from '../engine/privacy/in-graph/dp-gradients.ts';
import { privatizeGradientSums } from '../engine/privacy/noisy-gradient.ts';
import { OnnxSession } from '../engine/runtime/session.ts';
import type { HostTensor } from '../engine/runtime/session.ts';
import { buildClassifier } from './dp-transformer-classifier.ts';
import type { ClassifierConfig } from './dp-transformer-classifier.ts';

const config: ClassifierConfig = {
  batch: 32,
  seqLen: 128,
  dModel: 256,
  heads: 4,
  ff: 1024,
  vocab: 8000,
  classes: 2,
  layers: Number(process.env.LAYERS ?? 1),
};
const warmup = Number(process.env.WARMUP ?? 2);
const steps = Number(process.env.STEPS ?? 7);
const addNoise = process.env.NOISE !== '0'; // NOISE=0 isolates the in-graph cost

function randomFloats(size: number, scale: number): Float32Array {
  return Float32Array.from({ length: size }, () => (Math.random() * 2 - 1) * scale); // benchmark data only
}

function feedsFor(parameters: readonly Value[]): Record<string, HostTensor> {
  const { batch, seqLen, vocab, classes } = config;
  const feeds: Record<string, HostTensor> = {
    ids: {
      data: BigInt64Array.from({ length: batch * seqLen }, (_, i) => BigInt((i * 7919) % vocab)),
      shape: [batch, seqLen],
    },
    token_mask: { data: new Float32Array(batch * seqLen).fill(1), shape: [batch, seqLen] },
    labels: { data: BigInt64Array.from({ length: batch }, (_, i) => BigInt(i % classes)), shape: [batch] },
    example_mask: { data: new Float32Array(batch).fill(1), shape: [batch] },
  };
  for (const p of parameters) {
    const size = p.shape.reduce((a, b) => a * b, 1);
    feeds[p.name] = {
      data: p.name.endsWith('.scale') ? new Float32Array(size).fill(1) : randomFloats(size, 0.05),
      shape: p.shape,
    };
  }
  return feeds;
}

function outputRows(graph: Graph, indices: Value, rows: Value): void {
  graph.output(indices, 'rows.indices');
  graph.output(rows, 'rows.values');
}

function plainGraph() {
  const model = buildClassifier(config);
  const backward = buildBackward({ loss: op.reduceMean(model.perExampleLoss, [0]), wrt: model.parameters });
  for (const [name, grad] of backward.dense) if (name !== 'tokens') model.graph.output(grad, `grad.${name}`);
  const rows = backward.rows.get('tokens')?.[0];
  if (rows) outputRows(model.graph, rows.indices, rows.rows);
  return model;
}

function dpGraph() {
  const model = buildClassifier(config);
  const mask = model.graph.input('example_mask', 'float32', [config.batch]);
  const dp = buildDpGradients({
    perExampleLoss: model.perExampleLoss,
    parameters: model.parameters,
    clipNorm: 1,
    mask,
  });
  for (const [name, grad] of dp.dense) model.graph.output(grad, `grad.${name}`);
  const rows = dp.rows.get('tokens');
  if (rows) outputRows(model.graph, rows.indices, rows.rows);
  return model;
}

interface Runner {
  readonly step: () => Promise<void>;
  readonly release: () => Promise<void>;
}

async function runner(graph: Graph, parameters: readonly Value[], isPrivate: boolean): Promise<Runner> {
  const session = await OnnxSession.create(serializeGraph(graph));
  const feeds = Object.fromEntries(
    Object.entries(feedsFor(parameters)).filter(([name]) => session.inputNames.includes(name)),
  );
  const step = async () => {
    const out = await session.run(feeds);
    const grads = new Map<string, Float32Array>();
    for (const [name, tensor] of out)
      if (name.startsWith('grad.')) grads.set(name.slice(5), tensor.data as Float32Array);
    const indices = out.get('rows.indices')?.data as BigInt64Array;
    const rows = out.get('rows.values')?.data as Float32Array;
    grads.set('tokens', scatterAddRows(indices, rows, config.vocab, config.dModel));
    if (isPrivate && addNoise) {
      privatizeGradientSums(grads, { noiseMultiplier: 1.0, clipNorm: 1, expectedBatchSize: config.batch });
    }
  };
  return { step, release: () => session.release() };
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** Alternates the two steps so that both see the same machine load. */
async function timeBoth(plain: Runner, dp: Runner): Promise<[number, number]> {
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < warmup + steps; i += 1) {
    for (const [index, r] of [plain, dp].entries()) {
      const start = performance.now();
      await r.step();
      if (i >= warmup) times[index]?.push(performance.now() - start);
    }
  }
  return [median(times[0]), median(times[1])];
}

const plain = plainGraph();
const dp = dpGraph();
console.log(`transformer classifier: ${JSON.stringify(config)}; ${steps} timed steps after ${warmup} warm-up`);
const plainRunner = await runner(plain.graph, plain.parameters, false);
const dpRunner = await runner(dp.graph, dp.parameters, true);
const [plainMs, dpMs] = await timeBoth(plainRunner, dpRunner);
await Promise.all([plainRunner.release(), dpRunner.release()]);
console.log(`plain step: ${plainMs.toFixed(1)} ms`);
console.log(`DP-SGD step (per-example clipping in the graph, noise on the host): ${dpMs.toFixed(1)} ms`);
console.log(
  JSON.stringify({
    dp_step_ms: +dpMs.toFixed(1),
    plain_step_ms: +plainMs.toFixed(1),
    dp_ratio: +(dpMs / plainMs).toFixed(3),
  }),
);

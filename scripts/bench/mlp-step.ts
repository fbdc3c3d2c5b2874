/**
 * The benchmark's MLP: inputs → width (GELU) → width (GELU) → classes, mean softmax cross-entropy, as one
 * training-step graph built with the engine's IR and autodiff (parameters and batch in, loss and gradients out).
 */
import { buildBackward } from '../../engine/autodiff/backward.ts';
import { Graph } from '../../engine/graph/ir.ts';
import type { Value } from '../../engine/graph/ir.ts';
import * as op from '../../engine/graph/ops/index.ts';
import { serializeGraph } from '../../engine/graph/serialize.ts';
import { OnnxSession } from '../../engine/runtime/session.ts';
import { tensor } from '../../engine/tensor/parameter-set.ts';
import type { Float32Tensor, ParameterSet } from '../../engine/tensor/parameter-set.ts';
import { SeededRandom } from '../../engine/random/seeded-random.ts';
import type { StepResult, TrainingStep } from '../../engine/train/training-loop.ts';

export interface MlpConfig {
  batch: number;
  inputs: number;
  width: number;
  classes: number;
}

export interface MlpBatch {
  x: Float32Array;
  labels: BigInt64Array;
}

function shapesOf(config: MlpConfig): Array<[string, number[]]> {
  const { inputs, width, classes } = config;
  return [
    ['layer0.weight', [inputs, width]],
    ['layer0.bias', [width]],
    ['layer1.weight', [width, width]],
    ['layer1.bias', [width]],
    ['head.weight', [width, classes]],
    ['head.bias', [classes]],
  ];
}

export function mlpParameters(config: MlpConfig, seed: number): Map<string, Float32Tensor> {
  const random = new SeededRandom(seed);
  return new Map(
    shapesOf(config).map(([name, shape]) => {
      const scale = shape.length === 2 ? Math.sqrt(6 / (shape[0]! + shape[1]!)) : 0;
      const values = Float32Array.from(
        { length: shape.reduce((a, b) => a * b, 1) },
        () => (random.uniform() * 2 - 1) * scale,
      );
      return [name, tensor(shape, values)];
    }),
  );
}

function buildGraph(config: MlpConfig): Graph {
  const g = new Graph('mlp_step');
  const x = g.input('x', 'float32', [config.batch, config.inputs]);
  const labels = g.input('labels', 'int64', [config.batch]);
  const params = new Map<string, Value>(
    shapesOf(config).map(([name, shape]) => [name, g.input(name, 'float32', shape)]),
  );
  const p = (name: string) => params.get(name)!;
  const h0 = op.gelu(op.gemm(x, p('layer0.weight'), p('layer0.bias')));
  const h1 = op.gelu(op.gemm(h0, p('layer1.weight'), p('layer1.bias')));
  const logits = op.gemm(h1, p('head.weight'), p('head.bias'));
  const { loss } = op.softmaxCrossEntropyLoss(logits, labels);
  const { dense } = buildBackward({ loss, wrt: [...params.values()] });
  g.output(loss, 'loss');
  for (const name of params.keys()) g.output(dense.get(name)!, `grad.${name}`);
  return g;
}

export async function createMlpStep(config: MlpConfig, threads: number): Promise<TrainingStep<MlpBatch>> {
  const session = await OnnxSession.create(serializeGraph(buildGraph(config)), { intraOpThreads: threads });
  return {
    async run(parameters: ParameterSet, batch: MlpBatch): Promise<StepResult> {
      const feeds: Record<string, { data: Float32Array | BigInt64Array; shape: readonly number[] }> = {
        x: { data: batch.x, shape: [config.batch, config.inputs] },
        labels: { data: batch.labels, shape: [config.batch] },
      };
      for (const [name, value] of parameters) feeds[name] = value;
      const out = await session.run(feeds);
      const gradients = new Map<string, Float32Array>();
      for (const name of parameters.keys()) gradients.set(name, out.get(`grad.${name}`)!.data as Float32Array);
      return { loss: (out.get('loss')!.data as Float32Array)[0]!, gradients };
    },
  };
}

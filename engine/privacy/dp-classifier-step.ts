/**
 * The DP-SGD training step of the sequence classifier (engine/nn): one onnxruntime run gives, for a
 * Poisson-sampled batch padded to a fixed size, every example's gradient norm, its clip factor and the
 * clipped gradient sum Σ_i c_i ∇θ_i of every parameter. Padding rows carry the label ignoreIndex (-100):
 * their loss, factor and contribution are 0. The caller then adds noise and divides by q·n
 * (privatizeGradientSums) — on the host, from a CSPRNG, so the noise never passes through the graph.
 *
 *   createDpClassifierStep(config, batchSize, seqLen, { clipNorm }) → Promise<DpClassifierStep>
 *   step.run(params, batch, dropoutSeed = 0) → Promise<{ clippedSums, norms, clipFactors }>
 */
import { scatterAddRows } from '../autodiff/scatter-add-rows.ts';
import * as op from '../graph/ops/index.ts';
import { serializeGraph } from '../graph/serialize.ts';
import { buildClassifierGraph, ignoreIndex } from '../nn/classifier.ts';
import type { TransformerClassifierConfig } from '../nn/classifier.ts';
import type { ClassifierBatch } from '../nn/classifier-step.ts';
import { specsOf } from '../nn/scope.ts';
import { dropoutFeeds } from '../nn/graph-step.ts';
import { sessionCache } from '../runtime/session-cache.ts';
import type { HostTensor } from '../runtime/session.ts';
import { assertMatchesSpec } from '../tensor/parameter-set.ts';
import type { ParameterSet, TensorSpec } from '../tensor/parameter-set.ts';
import { buildDpGradients } from './in-graph/dp-gradients.ts';

export interface DpClassifierStepResult {
  /** Σ_i c_i ∇θ_i by name of each trained parameter, dense (embedding rows already scattered). */
  readonly clippedSums: Map<string, Float32Array>;
  /** ‖∇θ_i‖ per row of the batch, before clipping. */
  readonly norms: Float32Array;
  /** c_i = min(1, C/‖∇θ_i‖), 0 for padding rows. */
  readonly clipFactors: Float32Array;
}

export interface DpClassifierStep {
  readonly parameterSpecs: readonly TensorSpec[];
  run(params: ParameterSet, batch: ClassifierBatch, dropoutSeed?: number): Promise<DpClassifierStepResult>;
}

export function buildDpClassifierGraph(
  config: TransformerClassifierConfig,
  batchSize: number,
  seqLen: number,
  clipNorm: number,
  trains: (name: string) => boolean = () => true,
) {
  const model = buildClassifierGraph(config, batchSize, seqLen, 'dp_classifier_step');
  const { graph, scope } = model;
  const labels = graph.input('labels', 'int64', [batchSize]);
  const perExampleLoss = op.softmaxCrossEntropyLoss(model.logits, labels, { ignoreIndex, reduction: 'none' }).loss;
  const mask = op.cast(op.not(op.equal(labels, ignoreIndex)), perExampleLoss.dtype);
  // A frozen parameter has no gradient: it adds nothing to the per-example norms and receives no noise.
  const parameters = [...scope.parameterValues].filter(([name]) => trains(name)).map(([, value]) => value);
  const dp = buildDpGradients({ perExampleLoss, parameters, clipNorm, mask });
  for (const [name, value] of dp.dense) graph.output(value, `clipped.${name}`);
  for (const [name, rows] of dp.rows) {
    graph.output(rows.indices, `rows_index.${name}`);
    graph.output(rows.rows, `rows.${name}`);
  }
  graph.output(op.sqrt(dp.normSquared), 'norms');
  graph.output(dp.clipFactors, 'clip_factors');
  return { model, rowParameters: [...dp.rows.keys()], trained: [...dp.dense.keys(), ...dp.rows.keys()] };
}

function collect(
  out: Map<string, HostTensor>,
  specs: readonly TensorSpec[],
  rowParameters: readonly string[],
  trained: readonly string[],
) {
  const clippedSums = new Map<string, Float32Array>();
  for (const spec of specs.filter(({ name }) => trained.includes(name))) {
    if (rowParameters.includes(spec.name)) {
      const rowSize = spec.shape.slice(1).reduce((n, d) => n * d, 1);
      const indices = out.get(`rows_index.${spec.name}`)?.data as BigInt64Array;
      const rows = out.get(`rows.${spec.name}`)?.data as Float32Array;
      clippedSums.set(spec.name, scatterAddRows(indices, rows, spec.shape[0] as number, rowSize));
    } else {
      clippedSums.set(spec.name, out.get(`clipped.${spec.name}`)?.data as Float32Array);
    }
  }
  return clippedSums;
}

export async function createDpClassifierStep(
  config: TransformerClassifierConfig,
  batchSize: number,
  seqLen: number,
  { clipNorm, trains }: { readonly clipNorm: number; readonly trains?: (name: string) => boolean },
): Promise<DpClassifierStep> {
  const { model, rowParameters, trained } = buildDpClassifierGraph(config, batchSize, seqLen, clipNorm, trains);
  const session = await sessionCache.get(serializeGraph(model.graph));
  const parameterSpecs = specsOf(model.scope.parameters);
  const rate = config.dropout ?? 0;
  return {
    parameterSpecs,
    async run(params, batch, dropoutSeed = 0) {
      assertMatchesSpec(params, parameterSpecs);
      const feeds: Record<string, HostTensor> = {
        input_ids: { data: batch.inputIds, shape: [batchSize, seqLen] },
        attention_mask: { data: batch.attentionMask, shape: [batchSize, seqLen] },
        labels: { data: batch.labels, shape: [batchSize] },
      };
      for (const [name, value] of params) feeds[name] = { data: value.data, shape: value.shape };
      // The same masks as the plain step for the same seed, so a DP step and its reference agree.
      dropoutFeeds(model.scope.dropoutSites, rate, dropoutSeed, feeds);
      const out = await session.run(feeds);
      return {
        clippedSums: collect(out, parameterSpecs, rowParameters, trained),
        norms: out.get('norms')?.data as Float32Array,
        clipFactors: out.get('clip_factors')?.data as Float32Array,
      };
    },
  };
}

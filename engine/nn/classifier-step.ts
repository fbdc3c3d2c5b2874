/**
 * Training step and evaluation for the sequence classifier, each one cached onnxruntime session per
 * (config, batch size, sequence length). Parameters are graph inputs, so every step reuses the session.
 *
 *   createClassifierStep(config: TransformerClassifierConfig, batchSize: number, seqLen: number)
 *     → Promise<ClassifierStep>
 *   step.run(params: ParameterSet, batch: ClassifierBatch, dropoutSeed = 0)
 *     → Promise<{ loss: number; gradients: Map<string, Float32Array> }>
 *     loss: mean softmax cross-entropy over labels ≠ ignoreIndex (-100), 0 if all are ignored; gradients: one dense Float32Array per
 *     parameter, in the order of step.parameterSpecs (the embedding's row gradients already scattered on the host).
 *     dropoutSeed picks the dropout masks when config.dropout > 0 (use a different seed per step).
 *   createClassifierEval(config, batchSize, seqLen) → Promise<ClassifierEval>
 *   eval.run(params, { inputIds, attentionMask }) → Promise<Float32Array>   logits [batchSize · numClasses]
 *
 * ClassifierBatch: inputIds BigInt64Array [B·T], attentionMask Float32Array [B·T] (1 token, 0 padding),
 * labels BigInt64Array [B].
 */
import { buildBackward } from '../autodiff/backward.ts';
import { dropoutMask } from '../autodiff/dropout-mask.ts';
import { scatterAddRows } from '../autodiff/scatter-add-rows.ts';
import { serializeGraph } from '../graph/serialize.ts';
import { sessionCache } from '../runtime/session-cache.ts';
import type { HostTensor, OnnxSession } from '../runtime/session.ts';
import { assertMatchesSpec } from '../tensor/parameter-set.ts';
import type { ParameterSet, TensorSpec } from '../tensor/parameter-set.ts';
import { buildClassifierGraph, meanCrossEntropy } from './classifier.ts';
import type { TransformerClassifierConfig } from './classifier.ts';
import type { DropoutSite } from './scope.ts';
import { specsOf } from './scope.ts';

export interface ClassifierBatch {
  readonly inputIds: BigInt64Array;
  readonly attentionMask: Float32Array;
  readonly labels: BigInt64Array;
}

export interface ClassifierStepResult {
  readonly loss: number;
  readonly gradients: Map<string, Float32Array>;
}

export interface ClassifierStep {
  readonly parameterSpecs: readonly TensorSpec[];
  run(params: ParameterSet, batch: ClassifierBatch, dropoutSeed?: number): Promise<ClassifierStepResult>;
}

export interface ClassifierEval {
  readonly parameterSpecs: readonly TensorSpec[];
  run(params: ParameterSet, batch: Omit<ClassifierBatch, 'labels'>): Promise<Float32Array>;
}

interface RowOutput {
  readonly parameter: string;
  readonly indices: string;
  readonly rows: string;
}

function parameterFeeds(params: ParameterSet, specs: readonly TensorSpec[], feeds: Record<string, HostTensor>): void {
  assertMatchesSpec(params, specs);
  for (const [name, value] of params) feeds[name] = { data: value.data, shape: value.shape };
}

function dropoutFeeds(
  sites: readonly DropoutSite[],
  rate: number,
  seed: number,
  feeds: Record<string, HostTensor>,
): void {
  sites.forEach((site, index) => {
    const size = site.shape.reduce((n, d) => n * d, 1);
    const siteSeed = (Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca6b)) >>> 0;
    feeds[site.name] = { data: dropoutMask(siteSeed, size, rate), shape: site.shape };
  });
}

/** Builds loss and gradient outputs onto the classifier graph. */
export function buildClassifierStepGraph(
  config: TransformerClassifierConfig,
  batchSize: number,
  seqLen: number,
  dtype: 'float32' | 'float64' = 'float32',
) {
  const model = buildClassifierGraph(config, batchSize, seqLen, 'classifier_step', dtype);
  const { graph, scope } = model;
  const labels = graph.input('labels', 'int64', [batchSize]);
  const loss = meanCrossEntropy(model.logits, labels);
  graph.output(loss, 'loss');
  const parameters = [...scope.parameterValues.values()];
  const result = buildBackward({ loss, wrt: parameters });
  const rowOutputs: RowOutput[] = [];
  for (const parameter of parameters) {
    const dense = result.dense.get(parameter.name);
    if (dense) graph.output(dense, `grad.${parameter.name}`);
    result.rows.get(parameter.name)?.forEach((part, i) => {
      const indices = graph.output(part.indices, `rows_index.${i}.${parameter.name}`).name;
      rowOutputs.push({
        parameter: parameter.name,
        indices,
        rows: graph.output(part.rows, `rows.${i}.${parameter.name}`).name,
      });
    });
  }
  return { model, rowOutputs, denseNames: new Set(result.dense.keys()) };
}

function collectGradients(
  out: Map<string, HostTensor>,
  specs: readonly TensorSpec[],
  rowOutputs: readonly RowOutput[],
  denseNames: ReadonlySet<string>,
): Map<string, Float32Array> {
  const gradients = new Map<string, Float32Array>();
  for (const spec of specs) {
    const size = spec.shape.reduce((n, d) => n * d, 1);
    gradients.set(
      spec.name,
      denseNames.has(spec.name) ? (out.get(`grad.${spec.name}`)?.data as Float32Array) : new Float32Array(size),
    );
  }
  for (const row of rowOutputs) {
    const spec = specs.find((candidate) => candidate.name === row.parameter) as TensorSpec;
    const rowSize = spec.shape.slice(1).reduce((n, d) => n * d, 1);
    const indices = out.get(row.indices)?.data as BigInt64Array;
    const target = gradients.get(row.parameter) as Float32Array;
    scatterAddRows(indices, out.get(row.rows)?.data as Float32Array, spec.shape[0] as number, rowSize, target);
  }
  return gradients;
}

export async function createClassifierStep(
  config: TransformerClassifierConfig,
  batchSize: number,
  seqLen: number,
): Promise<ClassifierStep> {
  const { model, rowOutputs, denseNames } = buildClassifierStepGraph(config, batchSize, seqLen);
  const session: OnnxSession = await sessionCache.get(serializeGraph(model.graph));
  const parameterSpecs = specsOf(model.scope.parameters);
  const rate = config.dropout ?? 0;
  return {
    parameterSpecs,
    async run(params, batch, dropoutSeed = 0) {
      const feeds: Record<string, HostTensor> = {
        input_ids: { data: batch.inputIds, shape: [batchSize, seqLen] },
        attention_mask: { data: batch.attentionMask, shape: [batchSize, seqLen] },
        labels: { data: batch.labels, shape: [batchSize] },
      };
      parameterFeeds(params, parameterSpecs, feeds);
      dropoutFeeds(model.scope.dropoutSites, rate, dropoutSeed, feeds);
      const out = await session.run(feeds);
      const loss = (out.get('loss')?.data as Float32Array)[0] as number;
      return { loss, gradients: collectGradients(out, parameterSpecs, rowOutputs, denseNames) };
    },
  };
}

/** Forward-only graph (no dropout) returning logits. */
export async function createClassifierEval(
  config: TransformerClassifierConfig,
  batchSize: number,
  seqLen: number,
): Promise<ClassifierEval> {
  const model = buildClassifierGraph({ ...config, dropout: 0 }, batchSize, seqLen, 'classifier_eval');
  model.graph.output(model.logits, 'logits');
  const session = await sessionCache.get(serializeGraph(model.graph));
  const parameterSpecs = specsOf(model.scope.parameters);
  return {
    parameterSpecs,
    async run(params, batch) {
      const feeds: Record<string, HostTensor> = {
        input_ids: { data: batch.inputIds, shape: [batchSize, seqLen] },
        attention_mask: { data: batch.attentionMask, shape: [batchSize, seqLen] },
      };
      parameterFeeds(params, parameterSpecs, feeds);
      return (await session.run(feeds, ['logits'])).get('logits')?.data as Float32Array;
    },
  };
}

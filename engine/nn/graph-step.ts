/**
 * The generic half of a training step: given a model graph with a scalar loss, adds the gradient outputs of the
 * trainable parameters (every parameter unless a filter freezes some, as LoRA does), opens one cached
 * onnxruntime session, and turns a run's outputs into one dense Float32Array per trainable parameter (embedding
 * row gradients scattered on the host, ORT bug 18048). Task steps (classifier, span, causal LM, multi-task)
 * build their graph and feed their batch; this module does the rest.
 */
import { buildBackward } from '../autodiff/backward.ts';
import { dropoutMask } from '../autodiff/dropout-mask.ts';
import { scatterAddRows } from '../autodiff/scatter-add-rows.ts';
import type { Value } from '../graph/ir.ts';
import { serializeGraph } from '../graph/serialize.ts';
import { sessionCache } from '../runtime/session-cache.ts';
import type { HostTensor } from '../runtime/session.ts';
import { assertMatchesSpec } from '../tensor/parameter-set.ts';
import type { ParameterSet, TensorSpec } from '../tensor/parameter-set.ts';
import type { DropoutSite, ModelScope } from './scope.ts';
import { specsOf } from './scope.ts';

export interface RowOutput {
  readonly parameter: string;
  readonly indices: string;
  readonly rows: string;
}

export interface GradientOutputs {
  readonly rowOutputs: RowOutput[];
  readonly denseNames: Set<string>;
  /** Specs of the parameters that get gradients, in ParameterSet order. */
  readonly trainableSpecs: TensorSpec[];
}

export interface StepRunResult {
  readonly loss: number;
  readonly gradients: Map<string, Float32Array>;
  readonly outputs: Map<string, HostTensor>;
}

export interface GraphStep {
  readonly parameterSpecs: readonly TensorSpec[];
  readonly trainableSpecs: readonly TensorSpec[];
  run(params: ParameterSet, feeds: Record<string, HostTensor>, dropoutSeed?: number): Promise<StepRunResult>;
}

export function parameterFeeds(
  params: ParameterSet,
  specs: readonly TensorSpec[],
  feeds: Record<string, HostTensor>,
): void {
  assertMatchesSpec(params, specs);
  for (const spec of specs) {
    const value = params.get(spec.name)!;
    feeds[spec.name] = { data: value.data, shape: value.shape };
  }
}

export function dropoutFeeds(
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

/** Adds `loss` and `grad.*` / `rows.*` outputs for the parameters that `trainable` accepts. */
export function addGradientOutputs(
  scope: ModelScope,
  loss: Value,
  trainable: (name: string) => boolean = () => true,
): GradientOutputs {
  const graph = scope.graph;
  graph.output(loss, 'loss');
  const parameters = [...scope.parameterValues.values()].filter((value) => trainable(value.name));
  if (parameters.length === 0) throw new Error('no trainable parameters: the filter froze every parameter');
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
  const trainableSpecs = specsOf(scope.parameters).filter((spec) => trainable(spec.name));
  return { rowOutputs, denseNames: new Set(result.dense.keys()), trainableSpecs };
}

/** Dense gradients (zeros for a parameter the loss does not reach) with row gradients scattered in. */
export function collectGradients(
  out: Map<string, HostTensor>,
  specs: readonly TensorSpec[],
  rowOutputs: readonly RowOutput[],
  denseNames: ReadonlySet<string>,
): Map<string, Float32Array> {
  const gradients = new Map<string, Float32Array>();
  for (const spec of specs) {
    const size = spec.shape.reduce((n, d) => n * d, 1);
    const dense = denseNames.has(spec.name) ? out.get(`grad.${spec.name}`)?.data : undefined;
    gradients.set(spec.name, dense ? Float32Array.from(dense as ArrayLike<number>) : new Float32Array(size));
  }
  for (const row of rowOutputs) {
    const spec = specs.find((candidate) => candidate.name === row.parameter) as TensorSpec;
    const rowSize = spec.shape.slice(1).reduce((n, d) => n * d, 1);
    const indices = out.get(row.indices)?.data as BigInt64Array;
    const rows = Float32Array.from(out.get(row.rows)?.data as ArrayLike<number>);
    scatterAddRows(indices, rows, spec.shape[0] as number, rowSize, gradients.get(row.parameter) as Float32Array);
  }
  return gradients;
}

/** One session for the graph (cached by its bytes); every run feeds new parameters and a new batch. */
export async function createGraphStep(
  scope: ModelScope,
  loss: Value,
  trainable?: (name: string) => boolean,
): Promise<GraphStep> {
  const { rowOutputs, denseNames, trainableSpecs } = addGradientOutputs(scope, loss, trainable);
  const session = await sessionCache.get(serializeGraph(scope.graph));
  const parameterSpecs = specsOf(scope.parameters);
  return {
    parameterSpecs,
    trainableSpecs,
    async run(params, batchFeeds, dropoutSeed = 0) {
      const feeds = { ...batchFeeds };
      parameterFeeds(params, parameterSpecs, feeds);
      dropoutFeeds(scope.dropoutSites, scope.dropoutRate, dropoutSeed, feeds);
      const outputs = await session.run(feeds);
      const loss = (outputs.get('loss')?.data as Float32Array)[0] as number;
      return { loss, gradients: collectGradients(outputs, trainableSpecs, rowOutputs, denseNames), outputs };
    },
  };
}

export interface GraphForward {
  readonly parameterSpecs: readonly TensorSpec[];
  run(params: ParameterSet, batchFeeds: Record<string, HostTensor>): Promise<Map<string, HostTensor>>;
}

/** Forward-only session returning the named outputs (build the graph with dropout 0). */
export async function createGraphForward(
  scope: ModelScope,
  outputs: Readonly<Record<string, Value>>,
): Promise<GraphForward> {
  for (const [name, value] of Object.entries(outputs)) scope.graph.output(value, name);
  const session = await sessionCache.get(serializeGraph(scope.graph));
  const parameterSpecs = specsOf(scope.parameters);
  return {
    parameterSpecs,
    async run(params, batchFeeds) {
      const feeds = { ...batchFeeds };
      parameterFeeds(params, parameterSpecs, feeds);
      return session.run(feeds, Object.keys(outputs));
    },
  };
}

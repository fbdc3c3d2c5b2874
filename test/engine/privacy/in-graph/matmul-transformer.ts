/**
 * A transformer classifier written with 3-D activations, MatMul + Add layers and a fused QKV projection
 * (the layout of scripts/bench-engine-torch.py's Classifier) — unlike engine/nn, which uses 2-D rows and
 * Gemm — so that the per-example clipping is tested on both layouts. Parameters are graph inputs; the graph
 * ends in one cross-entropy loss per example.
 */
import { Graph } from '../../../../engine/graph/ir.ts';
import type { Value } from '../../../../engine/graph/ir.ts';
import * as op from '../../../../engine/graph/ops/index.ts';

export interface ClassifierConfig {
  readonly batch: number;
  readonly seqLen: number;
  readonly dModel: number;
  readonly heads: number;
  readonly ff: number;
  readonly vocab: number;
  readonly classes: number;
  readonly layers: number;
}

export interface ClassifierGraph {
  readonly graph: Graph;
  readonly parameters: Value[];
  readonly ids: Value;
  readonly tokenMask: Value;
  readonly labels: Value;
  /** [batch] */
  readonly perExampleLoss: Value;
}

function layerNorm(g: Graph, params: Value[], name: string, x: Value, d: number): Value {
  const scale = g.input(`${name}.scale`, 'float32', [d]);
  const shift = g.input(`${name}.shift`, 'float32', [d]);
  params.push(scale, shift);
  return op.layerNormalization(x, scale, shift).output;
}

function linear(g: Graph, params: Value[], name: string, x: Value, inputs: number, outputs: number): Value {
  const weight = g.input(`${name}.weight`, 'float32', [inputs, outputs]);
  const bias = g.input(`${name}.bias`, 'float32', [outputs]);
  params.push(weight, bias);
  return op.add(op.matMul(x, weight), bias);
}

function attention(c: ClassifierConfig, qkv: Value, maskBias: Value): Value {
  const { batch: b, seqLen: t, dModel: d, heads: h } = c;
  const split = (index: number) =>
    op.transpose(op.reshape(op.slice(qkv, [index * d], [(index + 1) * d], [2]), [b, t, h, d / h]), [0, 2, 1, 3]);
  const [q, k, v] = [split(0), split(1), split(2)];
  const scores = op.add(op.mul(op.matMul(q, op.transpose(k, [0, 1, 3, 2])), 1 / Math.sqrt(d / h)), maskBias);
  return op.reshape(op.transpose(op.matMul(op.softmax(scores), v), [0, 2, 1, 3]), [b, t, d]);
}

function block(g: Graph, c: ClassifierConfig, params: Value[], i: number, x: Value, maskBias: Value): Value {
  const d = c.dModel;
  const qkv = linear(g, params, `block${i}.qkv`, layerNorm(g, params, `block${i}.ln1`, x, d), d, 3 * d);
  const attended = op.add(x, linear(g, params, `block${i}.out`, attention(c, qkv, maskBias), d, d));
  const up = op.gelu(linear(g, params, `block${i}.up`, layerNorm(g, params, `block${i}.ln2`, attended, d), d, c.ff));
  return op.add(attended, linear(g, params, `block${i}.down`, up, c.ff, d));
}

export function buildClassifier(c: ClassifierConfig): ClassifierGraph {
  const g = new Graph('dp_transformer_classifier');
  const params: Value[] = [];
  const ids = g.input('ids', 'int64', [c.batch, c.seqLen]);
  const tokenMask = g.input('token_mask', 'float32', [c.batch, c.seqLen]);
  const labels = g.input('labels', 'int64', [c.batch]);
  const tokens = g.input('tokens', 'float32', [c.vocab, c.dModel]);
  const positions = g.input('positions', 'float32', [c.seqLen, c.dModel]);
  params.push(tokens, positions);
  let x = op.add(op.gather(tokens, ids), positions);
  const maskBias = op.reshape(op.mul(op.sub(1, tokenMask), -1e9), [c.batch, 1, 1, c.seqLen]);
  for (let i = 0; i < c.layers; i += 1) x = block(g, c, params, i, x, maskBias);
  x = layerNorm(g, params, 'ln', x, c.dModel);
  const summed = op.reduceSum(op.mul(x, op.unsqueeze(tokenMask, [2])), [1]);
  const pooled = op.div(summed, op.reduceSum(tokenMask, [1], true));
  const logits = linear(g, params, 'head', pooled, c.dModel, c.classes);
  const perExampleLoss = op.softmaxCrossEntropyLoss(logits, labels, { reduction: 'none' }).loss;
  return { graph: g, parameters: params, ids, tokenMask, labels, perExampleLoss };
}

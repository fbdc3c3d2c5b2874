/**
 * Reverse-mode differentiation over the IR. buildBackward appends the backward nodes to the same graph and
 * returns the gradient of the loss w.r.t. each requested value — graph inputs, initializers or intermediate
 * values alike — seeded with ones or with a caller-chosen graph value (DP-SGD seeds a per-example loss vector
 * with per-example weights). Gathered tables get sparse row gradients (see RowGradient).
 */
import type { Node, Value } from '../graph/ir.ts';
import * as op from '../graph/ops/index.ts';
import { formatShape, isFloat } from '../graph/ir.ts';
import { sameShape } from '../graph/shape.ts';
import { isRowGradient } from './gradient-rule.ts';
import type { InputGradient, RowGradient } from './gradient-rule.ts';
import { gradientRules } from './rules.ts';

export interface BackwardRequest {
  /** The value to differentiate; any shape. */
  readonly loss: Value;
  /** ∂(objective)/∂loss, same shape as loss; ones when absent. */
  readonly seed?: Value;
  /** Values whose gradients are wanted. */
  readonly wrt: readonly Value[];
}

export interface BackwardResult {
  /** Dense gradients by value name; a value reached only through Gather has none here. */
  readonly dense: ReadonlyMap<string, Value>;
  /** Row gradients by value name, for values used as Gather tables. */
  readonly rows: ReadonlyMap<string, readonly RowGradient[]>;
}

/** Values that depend on a requested value through float ops: only these get gradients. */
function dependents(nodes: readonly Node[], wrt: readonly Value[]): Set<string> {
  const needs = new Set(wrt.map((value) => value.name));
  for (const node of nodes) {
    if (node.inputs.some((input) => input && needs.has(input.name))) {
      for (const output of node.outputs) if (isFloat(output.dtype)) needs.add(output.name);
    }
  }
  return needs;
}

function seedFor(request: BackwardRequest): Value {
  const { loss, seed } = request;
  if (!seed) return op.expand(loss.graph.scalar(1, loss.dtype), loss.shape);
  if (!sameShape(seed.shape, loss.shape) || seed.dtype !== loss.dtype) {
    throw new Error(
      `backward: seed ${seed.dtype}${formatShape(seed.shape)} must match loss "${loss.name}" ${loss.dtype}${formatShape(loss.shape)}`,
    );
  }
  return seed;
}

class GradientAccumulator {
  private readonly dense = new Map<string, Value[]>();
  readonly rows = new Map<string, RowGradient[]>();

  add(value: Value, gradient: InputGradient): void {
    if (!gradient) return;
    const table = isRowGradient(gradient) ? this.rows : this.dense;
    const list = (table as Map<string, unknown[]>).get(value.name) ?? [];
    list.push(gradient);
    (table as Map<string, unknown[]>).set(value.name, list);
  }

  /** The summed dense gradient (undefined when nothing flowed back). */
  total(value: Value): Value | undefined {
    const parts = this.dense.get(value.name);
    if (!parts || parts.length === 0) return undefined;
    const sum = parts.reduce((left, right) => op.add(left, right));
    this.dense.set(value.name, [sum]);
    return sum;
  }
}

function propagate(node: Node, needs: Set<string>, grads: GradientAccumulator, wanted: Set<string>): void {
  const gradOutputs = node.outputs.map((output) => grads.total(output));
  if (gradOutputs.every((gradient) => gradient === undefined)) return;
  for (const output of node.outputs) {
    if (grads.rows.has(output.name) && !wanted.has(output.name)) {
      throw new Error(
        `backward: "${output.name}" (output of ${node.opType}) is used as a Gather table; only requested values may be`,
      );
    }
  }
  const rule = gradientRules[node.opType];
  if (!rule) throw new Error(`backward: no gradient rule for ${node.opType} (node "${node.name}")`);
  const inputNeeds = node.inputs.map((input) => input !== undefined && needs.has(input.name));
  const inputGrads = rule({ node, inputs: node.inputs, outputs: node.outputs, gradOutputs, needs: inputNeeds });
  node.inputs.forEach((input, index) => {
    if (input && inputNeeds[index]) grads.add(input, inputGrads[index]);
  });
}

export function buildBackward(request: BackwardRequest): BackwardResult {
  const graph = request.loss.graph;
  const nodes = [...graph.nodes];
  const needs = dependents(nodes, request.wrt);
  if (!needs.has(request.loss.name)) {
    throw new Error(`backward: loss "${request.loss.name}" does not depend on any requested value`);
  }
  const wanted = new Set(request.wrt.map((value) => value.name));
  const grads = new GradientAccumulator();
  grads.add(request.loss, seedFor(request));
  for (let index = nodes.length - 1; index >= 0; index -= 1) {
    const node = nodes[index] as Node;
    if (node.outputs.some((output) => needs.has(output.name))) propagate(node, needs, grads, wanted);
  }
  const dense = new Map<string, Value>();
  const rows = new Map<string, RowGradient[]>();
  for (const value of request.wrt) {
    const total = grads.total(value);
    const rowParts = grads.rows.get(value.name);
    if (total) dense.set(value.name, total);
    if (rowParts) rows.set(value.name, rowParts);
    if (!total && !rowParts) dense.set(value.name, op.zerosLike(value));
  }
  return { dense, rows };
}

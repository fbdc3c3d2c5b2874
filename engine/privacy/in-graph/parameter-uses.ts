/**
 * How each trainable parameter enters the graph, which decides how its per-example gradient norm and
 * clipped sum are formed without per-example backward passes. Activations are [B, …] or rows [B·T, …]
 * grouped by example (row b·T + t, as a Reshape of [B, T, d] lays them out). Supported uses:
 *   linear     y = α·a·W (MatMul, MatMul by Transpose(W), or Gemm with transB and α)
 *   broadcast  a parameter broadcast over the examples: y = z + p (bias, position table), y = z ⊙ p,
 *              LayerNormalization's scale and shift, Gemm's C (times β); also a row Slice of p first
 *   embedding  rows gathered from a table: y = Gather(E, ids)
 * A parameter used more than once (tied weights) or in another way is refused with an error that names
 * it: its per-example norm would need the cross terms between uses.
 */
import type { Graph, Node, Value } from '../../graph/ir.ts';
import * as op from '../../graph/ops/index.ts';

export type ParameterUse =
  | {
      readonly kind: 'linear';
      readonly parameter: Value;
      readonly activation: Value;
      readonly output: Value;
      readonly transposed: boolean;
      readonly scale: number;
    }
  | {
      readonly kind: 'broadcast';
      readonly parameter: Value;
      /** The value actually broadcast: the parameter, or rows [start, start + used.shape[0]) of it. */
      readonly used: Value;
      readonly start: number;
      readonly output: Value;
      /** The part of ∂y that lands on the parameter (before summing over broadcast axes), from ∂y. */
      readonly contribution: (grad: Value) => Value;
    }
  | { readonly kind: 'embedding'; readonly parameter: Value; readonly ids: Value; readonly output: Value };

function consumers(graph: Graph, value: Value): Node[] {
  return graph.nodes.filter((node) => node.inputs.some((input) => input?.name === value.name));
}

function numberAttribute(node: Node, name: string, fallback: number): number {
  const attribute = node.attributes.get(name);
  return attribute?.type === 'int' || attribute?.type === 'float' ? attribute.value : fallback;
}

function refuse(parameter: Value, node: Node | undefined, why: string): never {
  const where = node ? ` (${node.opType} "${node.name}")` : '';
  throw new Error(`per-example clipping: parameter "${parameter.name}"${where} ${why}`);
}

function linearUse(parameter: Value, node: Node, transposed: boolean): ParameterUse {
  const activation = node.inputs[0];
  const output = node.outputs[0] as Value;
  if (!activation || activation.shape.length < 2) refuse(parameter, node, 'multiplies a value without an example axis');
  if (node.opType === 'Gemm') {
    if (numberAttribute(node, 'transA', 0) !== 0) refuse(parameter, node, 'is used in a Gemm with transA');
    const gemmTransposed = numberAttribute(node, 'transB', 0) === 1;
    return {
      kind: 'linear',
      parameter,
      activation,
      output,
      transposed: gemmTransposed,
      scale: numberAttribute(node, 'alpha', 1),
    };
  }
  return { kind: 'linear', parameter, activation, output, transposed, scale: 1 };
}

function normalizedInput(node: Node): Value {
  const x = node.inputs[0] as Value;
  const [, mean, invStdDev] = node.outputs as [Value, Value, Value];
  return op.mul(op.sub(x, op.cast(mean, x.dtype)), op.cast(invStdDev, x.dtype));
}

function broadcast(
  parameter: Value,
  used: Value,
  start: number,
  node: Node,
  contribution: (g: Value) => Value,
): ParameterUse {
  return { kind: 'broadcast', parameter, used, start, output: node.outputs[0] as Value, contribution };
}

/** The use of `used` (the parameter itself or a row slice of it) by `node`. */
function useThrough(parameter: Value, used: Value, start: number, node: Node): ParameterUse {
  const position = node.inputs.findIndex((input) => input?.name === used.name);
  const other = node.inputs[1 - position];
  const sliced = used !== parameter;
  if (sliced && !['Add', 'Mul'].includes(node.opType))
    refuse(parameter, node, 'is sliced for an op other than Add or Mul');
  switch (node.opType) {
    case 'MatMul':
      if (position !== 1) refuse(parameter, node, 'must be the right-hand factor');
      return linearUse(parameter, node, false);
    case 'Gemm':
      if (position === 2)
        return broadcast(parameter, used, start, node, (g) => op.mul(g, numberAttribute(node, 'beta', 1)));
      if (position !== 1) refuse(parameter, node, 'must be the B operand');
      return linearUse(parameter, node, false);
    case 'Add':
      return broadcast(parameter, used, start, node, (g) => g);
    case 'Mul':
      if (!other) refuse(parameter, node, 'has no other factor');
      return broadcast(parameter, used, start, node, (g) => op.mul(g, other));
    case 'LayerNormalization':
      if (position === 2) return broadcast(parameter, used, start, node, (g) => g);
      if (position !== 1) refuse(parameter, node, 'must be the scale or the shift');
      return broadcast(parameter, used, start, node, (g) => op.mul(g, normalizedInput(node)));
    case 'Gather':
      if (position !== 0 || numberAttribute(node, 'axis', 0) !== 0) refuse(parameter, node, 'must be gathered by rows');
      return { kind: 'embedding', parameter, ids: node.inputs[1] as Value, output: node.outputs[0] as Value };
    default:
      return refuse(parameter, node, 'is used by an op without a per-example rule');
  }
}

function onlyConsumer(parameter: Value, value: Value): Node {
  const uses = consumers(parameter.graph, value);
  if (uses.length !== 1) {
    const ops = uses.map((n) => n.opType).join(', ');
    refuse(parameter, undefined, `is used ${uses.length} times (${ops}); exactly one use is supported`);
  }
  return uses[0] as Node;
}

/** Rows [start, end) of a Slice along axis 0 with constant bounds, or undefined. */
function rowSliceStart(node: Node): number | undefined {
  const [, starts, , axes] = node.inputs;
  const graph = node.outputs[0]?.graph;
  const startData = starts && graph?.initializers.get(starts.name)?.data;
  const axesData = axes && graph?.initializers.get(axes.name)?.data;
  if (!(startData instanceof BigInt64Array) || !(axesData instanceof BigInt64Array)) return undefined;
  if (axesData.length !== 1 || axesData[0] !== 0n) return undefined;
  return Number(startData[0]);
}

export function parameterUse(parameter: Value): ParameterUse {
  const node = onlyConsumer(parameter, parameter);
  if (node.opType === 'Slice') {
    const start = rowSliceStart(node);
    if (start === undefined || start < 0) refuse(parameter, node, 'is sliced other than by rows with constant bounds');
    const sliced = node.outputs[0] as Value;
    return useThrough(parameter, sliced, start, onlyConsumer(parameter, sliced));
  }
  if (node.opType === 'Transpose') {
    const transposed = node.outputs[0] as Value;
    const matMul = onlyConsumer(parameter, transposed);
    const perm = node.attributes.get('perm');
    const swap = perm?.type === 'ints' && perm.value.length === 2 && perm.value[0] === 1;
    const isWeight = matMul.opType === 'MatMul' && matMul.inputs[1]?.name === transposed.name;
    if (!isWeight || !swap) refuse(parameter, node, 'is transposed for a use other than one MatMul');
    return linearUse(parameter, matMul, true);
  }
  return useThrough(parameter, parameter, 0, node);
}

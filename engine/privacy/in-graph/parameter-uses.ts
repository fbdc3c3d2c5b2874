/**
 * How each trainable parameter enters the graph, which decides how its per-example gradient norm and
 * clipped sum are formed without per-example backward passes. Supported uses (axis 0 of every activation
 * is the example):
 *   linear     y = a·W (MatMul, or MatMul by Transpose(W), or Gemm(a, W) with 2-D a)
 *   broadcast  a parameter broadcast over the examples: y = z + p (bias, positional table), y = z ⊙ p
 *              (a scale), LayerNormalization's scale and shift, Gemm's C
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
    }
  | {
      readonly kind: 'broadcast';
      readonly parameter: Value;
      readonly output: Value;
      readonly contribution: (grad: Value) => Value;
    }
  | { readonly kind: 'embedding'; readonly parameter: Value; readonly ids: Value; readonly output: Value };

function consumers(graph: Graph, value: Value): Node[] {
  return graph.nodes.filter((node) => node.inputs.some((input) => input?.name === value.name));
}

function intAttribute(node: Node, name: string, fallback: number): number {
  const attribute = node.attributes.get(name);
  return attribute?.type === 'int' || attribute?.type === 'float' ? attribute.value : fallback;
}

function refuse(parameter: Value, node: Node | undefined, why: string): never {
  const where = node ? ` (${node.opType} "${node.name}")` : '';
  throw new Error(`per-example clipping: parameter "${parameter.name}"${where} ${why}`);
}

function linearUse(parameter: Value, node: Node, transposed: boolean): ParameterUse {
  const [activation, weight] = node.inputs;
  const output = node.outputs[0] as Value;
  if (!activation || weight?.name === activation.name) refuse(parameter, node, 'must be the right-hand factor');
  if (node.opType === 'Gemm') {
    const plain = intAttribute(node, 'transA', 0) === 0 && intAttribute(node, 'alpha', 1) === 1;
    if (!plain || activation.shape.length !== 2) refuse(parameter, node, 'is used in a Gemm with transA or alpha ≠ 1');
    return { kind: 'linear', parameter, activation, output, transposed: intAttribute(node, 'transB', 0) === 1 };
  }
  if (activation.shape.length < 2) refuse(parameter, node, 'multiplies an activation without an example axis');
  return { kind: 'linear', parameter, activation, output, transposed };
}

function normalizedInput(node: Node): Value {
  const x = node.inputs[0] as Value;
  const [, mean, invStdDev] = node.outputs as [Value, Value, Value];
  return op.mul(op.sub(x, op.cast(mean, x.dtype)), op.cast(invStdDev, x.dtype));
}

function useThrough(parameter: Value, node: Node): ParameterUse {
  const output = node.outputs[0] as Value;
  const position = node.inputs.findIndex((input) => input?.name === parameter.name);
  const other = node.inputs[1 - position];
  switch (node.opType) {
    case 'MatMul':
      if (position !== 1) refuse(parameter, node, 'must be the right-hand factor');
      return linearUse(parameter, node, false);
    case 'Gemm':
      if (position === 2) return { kind: 'broadcast', parameter, output, contribution: (g) => g };
      if (position !== 1) refuse(parameter, node, 'must be the B operand');
      return linearUse(parameter, node, false);
    case 'Add':
      return { kind: 'broadcast', parameter, output, contribution: (g) => g };
    case 'Mul':
      if (!other) refuse(parameter, node, 'has no other factor');
      return { kind: 'broadcast', parameter, output, contribution: (g) => op.mul(g, other) };
    case 'LayerNormalization':
      if (position === 2) return { kind: 'broadcast', parameter, output, contribution: (g) => g };
      if (position !== 1) refuse(parameter, node, 'must be the scale or the shift');
      return { kind: 'broadcast', parameter, output, contribution: (g) => op.mul(g, normalizedInput(node)) };
    case 'Gather':
      if (position !== 0 || intAttribute(node, 'axis', 0) !== 0) refuse(parameter, node, 'must be gathered by rows');
      return { kind: 'embedding', parameter, ids: node.inputs[1] as Value, output };
    default:
      return refuse(parameter, node, 'is used by an op without a per-example rule');
  }
}

export function parameterUse(parameter: Value): ParameterUse {
  const uses = consumers(parameter.graph, parameter);
  if (uses.length !== 1) {
    refuse(
      parameter,
      undefined,
      `is used ${uses.length} times (${uses.map((n) => n.opType).join(', ')}); exactly one use is supported`,
    );
  }
  const node = uses[0] as Node;
  if (node.opType === 'Transpose') {
    const next = consumers(parameter.graph, node.outputs[0] as Value);
    const perm = node.attributes.get('perm');
    const swap = perm?.type === 'ints' && perm.value.length === 2 && perm.value[0] === 1;
    const matMul = next[0];
    const isWeight = matMul?.opType === 'MatMul' && matMul.inputs[1]?.name === node.outputs[0]?.name;
    if (next.length !== 1 || !isWeight || !swap)
      refuse(parameter, node, 'is transposed for a use other than one MatMul');
    return linearUse(parameter, matMul as Node, true);
  }
  return useThrough(parameter, node);
}

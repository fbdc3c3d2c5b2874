/** Gradient rules of data-movement and reduction ops. */
import type { Graph, Value } from '../../graph/ir.ts';
import * as op from '../../graph/ops/index.ts';
import { gradOutput, inputAt, when } from '../gradient-rule.ts';
import type { GradientContext, GradientRule } from '../gradient-rule.ts';

/** The integer values of a constant input (axes, starts, shapes), which the builders always store as initializers. */
function constantInts(c: GradientContext, index: number): number[] {
  const input = inputAt(c, index);
  const initializer = (input.graph as Graph).initializers.get(input.name);
  if (!initializer) throw new Error(`${c.node.opType} "${c.node.name}": input ${index} must be a constant`);
  return Array.from(initializer.data as ArrayLike<number | bigint>, Number);
}

function intAttribute(c: GradientContext, name: string, fallback: number): number {
  const attribute = c.node.attributes.get(name);
  return attribute?.type === 'int' ? attribute.value : fallback;
}

export const reshapeRule: GradientRule = (c) => [
  when(c, 0, () => op.reshape(gradOutput(c), inputAt(c, 0).shape)),
  undefined,
];

export const transposeRule: GradientRule = (c) => {
  const perm = c.node.attributes.get('perm');
  const forward = perm?.type === 'ints' ? perm.value : [];
  const inverse = forward.map((_, axis) => forward.indexOf(axis));
  return [op.transpose(gradOutput(c), inverse)];
};

export const concatRule: GradientRule = (c) => {
  const axis = intAttribute(c, 'axis', 0);
  const g = gradOutput(c);
  let offset = 0;
  return c.inputs.map((input, index) => {
    const size = (input as Value).shape[axis] as number;
    const start = offset;
    offset += size;
    return when(c, index, () => op.slice(g, [start], [start + size], [axis]));
  });
};

/** A step-1 slice's gradient is the output gradient padded with zeros back to the input's extent. */
export const sliceRule: GradientRule = (c) => {
  const x = inputAt(c, 0);
  const [starts, axes] = [constantInts(c, 1), constantInts(c, 3)];
  const g = gradOutput(c);
  const rank = x.shape.length;
  const pads = new Array<number>(2 * rank).fill(0);
  axes.forEach((axis, i) => {
    const dim = x.shape[axis] as number;
    const start = starts[i] as number;
    const begin = Math.min(Math.max(start < 0 ? start + dim : start, 0), dim);
    pads[axis] = begin;
    pads[axis + rank] = dim - begin - (g.shape[axis] as number);
  });
  return [when(c, 0, () => op.pad(g, pads)), undefined, undefined, undefined];
};

export const padRule: GradientRule = (c) => {
  const x = inputAt(c, 0);
  const pads = constantInts(c, 1);
  const rank = x.shape.length;
  const axes = x.shape.map((_, axis) => axis);
  const starts = axes.map((axis) => pads[axis] as number);
  const ends = axes.map((axis) => (pads[axis] as number) + (x.shape[axis] as number));
  return [when(c, 0, () => op.slice(gradOutput(c), starts, ends, axes.slice(0, rank)))];
};

function expandReduced(c: GradientContext, scale: number): Value {
  const x = inputAt(c, 0);
  const axes = constantInts(c, 1).map((axis) => (axis < 0 ? axis + x.shape.length : axis));
  const keptShape = x.shape.map((dim, axis) => (axes.includes(axis) ? 1 : dim));
  const g = op.reshape(gradOutput(c), keptShape);
  return op.expand(scale === 1 ? g : op.mul(g, scale), x.shape);
}

export const reduceSumRule: GradientRule = (c) => [when(c, 0, () => expandReduced(c, 1)), undefined];

export const reduceMeanRule: GradientRule = (c) => {
  const x = inputAt(c, 0);
  const axes = constantInts(c, 1);
  const count = axes.reduce((n, axis) => n * (x.shape[axis < 0 ? axis + x.shape.length : axis] as number), 1);
  return [when(c, 0, () => expandReduced(c, 1 / count)), undefined];
};

/**
 * Gather along axis 0 (embeddings): the gradient w.r.t. the table stays as rows — one per gathered index —
 * and is scattered into the table in TypeScript. The indices get no gradient.
 */
export const gatherRule: GradientRule = (c) => {
  const [data, indices] = [inputAt(c, 0), inputAt(c, 1)];
  if (intAttribute(c, 'axis', 0) !== 0) {
    throw new Error(`Gather "${c.node.name}": gradients are only defined for axis 0 (embedding lookups)`);
  }
  const rowShape = data.shape.slice(1);
  return [
    when(c, 0, () => ({
      kind: 'rows' as const,
      indices: op.reshape(indices, [-1]),
      rows: op.reshape(gradOutput(c), [-1, ...rowShape]),
    })),
    undefined,
  ];
};

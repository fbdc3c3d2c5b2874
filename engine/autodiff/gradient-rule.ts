/** What a gradient rule sees and returns, and helpers every rule shares. */
import type { Node, Value } from '../graph/ir.ts';
import * as op from '../graph/ops/index.ts';
import { sameShape } from '../graph/shape.ts';

/**
 * A gradient that stays sparse: rows[i] is the gradient of row indices[i] of a gathered tensor.
 * Summing these into a dense tensor happens in TypeScript (scatterAddRows), never with ScatterND
 * reduction=add, which gives wrong results with more than one thread (onnxruntime issue 18048).
 */
export interface RowGradient {
  readonly kind: 'rows';
  /** int64 [N] */
  readonly indices: Value;
  /** [N, ...row shape] */
  readonly rows: Value;
}

export type InputGradient = Value | RowGradient | undefined;

export interface GradientContext {
  readonly node: Node;
  /** The node's inputs (undefined for an absent optional input). */
  readonly inputs: readonly (Value | undefined)[];
  readonly outputs: readonly Value[];
  /** The gradient of the loss w.r.t. each output; undefined where nothing downstream needs it (zero). */
  readonly gradOutputs: readonly (Value | undefined)[];
  /** Which inputs need a gradient; a rule may skip work for the others. */
  readonly needs: readonly boolean[];
}

/** Returns one gradient per input of the node (undefined for inputs that need none). */
export type GradientRule = (context: GradientContext) => InputGradient[];

export function isRowGradient(gradient: InputGradient): gradient is RowGradient {
  return gradient !== undefined && (gradient as RowGradient).kind === 'rows';
}

export function inputAt(context: GradientContext, index: number): Value {
  const input = context.inputs[index];
  if (!input) throw new Error(`${context.node.opType} "${context.node.name}": input ${index} is absent`);
  return input;
}

export function outputAt(context: GradientContext, index: number): Value {
  return context.outputs[index] as Value;
}

/** The output gradient, or zeros when no consumer needs it. */
export function gradOutput(context: GradientContext, index = 0): Value {
  return context.gradOutputs[index] ?? op.zerosLike(outputAt(context, index));
}

/** Sums a broadcast gradient back to the shape of the input it came from. */
export function unbroadcast(gradient: Value, shape: readonly number[]): Value {
  if (sameShape(gradient.shape, shape)) return gradient;
  const extra = gradient.shape.length - shape.length;
  const aligned = [...new Array<number>(extra).fill(1), ...shape];
  const reduced = gradient.shape.flatMap((dim, axis) => (aligned[axis] === 1 && dim !== 1 ? [axis] : []));
  const prefix = reduced.length > 0 && reduced.every((axis, i) => axis === i);
  const untouched = gradient.shape.slice(reduced.length).every((dim, i) => dim === aligned[reduced.length + i]);
  if (prefix && untouched) return op.reshape(op.sumLeadingAxes(gradient, reduced.length), shape);
  const leading = Array.from({ length: extra }, (_, axis) => axis);
  let summed = op.reduceSum(gradient, leading, false);
  const kept = shape.flatMap((dim, axis) => (dim === 1 && summed.shape[axis] !== 1 ? [axis] : []));
  summed = op.reduceSum(summed, kept, true);
  return op.reshape(summed, shape);
}

/** Only compute a gradient for inputs that need one. */
export function when(context: GradientContext, index: number, compute: () => InputGradient): InputGradient {
  return context.needs[index] ? compute() : undefined;
}

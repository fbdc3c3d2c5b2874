/** Element-wise op builders (broadcasting binary ops, unary ops, Where, comparisons, Cast). */
import { attr } from '../ir.ts';
import type { DataType, Value } from '../ir.ts';
import { broadcastShapes, requireFloat, requireSameDtype, shapeError } from '../shape.ts';

export type Operand = Value | number;

/** A number operand becomes a scalar constant of the other operand's type. */
function operands(op: string, a: Operand, b: Operand): [Value, Value] {
  if (typeof a === 'number' && typeof b === 'number') throw new Error(`${op}: at least one operand must be a Value`);
  const left = typeof a === 'number' ? (b as Value).graph.scalar(a, (b as Value).dtype) : a;
  const right = typeof b === 'number' ? left.graph.scalar(b, left.dtype) : b;
  return [left, right];
}

function binary(op: string, a: Operand, b: Operand): Value {
  const [left, right] = operands(op, a, b);
  requireSameDtype(op, [left, right]);
  const shape = broadcastShapes(op, [left, right]);
  return left.graph.addNode(op, [left, right], [{ dtype: left.dtype, shape }])[0] as Value;
}

export const add = (a: Operand, b: Operand): Value => binary('Add', a, b);
export const sub = (a: Operand, b: Operand): Value => binary('Sub', a, b);
export const mul = (a: Operand, b: Operand): Value => binary('Mul', a, b);
export const div = (a: Operand, b: Operand): Value => binary('Div', a, b);

export function pow(base: Value, exponent: Operand): Value {
  const [left, right] = operands('Pow', base, exponent);
  requireFloat('Pow', [left, right]);
  const shape = broadcastShapes('Pow', [left, right]);
  return left.graph.addNode('Pow', [left, right], [{ dtype: left.dtype, shape }])[0] as Value;
}

function unary(op: string, x: Value, attributes = {}): Value {
  requireFloat(op, [x]);
  return x.graph.addNode(op, [x], [{ dtype: x.dtype, shape: x.shape }], attributes)[0] as Value;
}

export const neg = (x: Value): Value => unary('Neg', x);
export const exp = (x: Value): Value => unary('Exp', x);
export const log = (x: Value): Value => unary('Log', x);
export const sqrt = (x: Value): Value => unary('Sqrt', x);
export const tanh = (x: Value): Value => unary('Tanh', x);
export const sigmoid = (x: Value): Value => unary('Sigmoid', x);
export const relu = (x: Value): Value => unary('Relu', x);
export const erf = (x: Value): Value => unary('Erf', x);
export const reciprocal = (x: Value): Value => unary('Reciprocal', x);
export const identity = (x: Value): Value =>
  x.graph.addNode('Identity', [x], [{ dtype: x.dtype, shape: x.shape }])[0] as Value;

/** GELU (opset 20): approximate 'none' is x·Φ(x) with erf, 'tanh' is the tanh approximation. */
export function gelu(x: Value, approximate: 'none' | 'tanh' = 'none'): Value {
  return unary('Gelu', x, { approximate: attr.string(approximate) });
}

export function where(condition: Value, whenTrue: Operand, whenFalse: Operand): Value {
  const [a, b] = operands('Where', whenTrue, whenFalse);
  if (condition.dtype !== 'bool') throw shapeError('Where', [condition, a, b], 'condition must be bool');
  requireSameDtype('Where', [a, b]);
  const shape = broadcastShapes('Where', [condition, a, b]);
  return a.graph.addNode('Where', [condition, a, b], [{ dtype: a.dtype, shape }])[0] as Value;
}

function comparison(op: string, a: Operand, b: Operand): Value {
  const [left, right] = operands(op, a, b);
  requireSameDtype(op, [left, right]);
  const shape = broadcastShapes(op, [left, right]);
  return left.graph.addNode(op, [left, right], [{ dtype: 'bool', shape }])[0] as Value;
}

export const equal = (a: Operand, b: Operand): Value => comparison('Equal', a, b);
export const greater = (a: Operand, b: Operand): Value => comparison('Greater', a, b);

export function not(x: Value): Value {
  if (x.dtype !== 'bool') throw shapeError('Not', [x], 'input must be bool');
  return x.graph.addNode('Not', [x], [{ dtype: 'bool', shape: x.shape }])[0] as Value;
}

const onnxTypeCode: Record<DataType, number> = { float32: 1, int64: 7, bool: 9, float64: 11 };

export function cast(x: Value, to: DataType): Value {
  if (x.dtype === to) return x;
  return x.graph.addNode('Cast', [x], [{ dtype: to, shape: x.shape }], { to: attr.int(onnxTypeCode[to]) })[0] as Value;
}

export function max(a: Operand, b: Operand): Value {
  return binary('Max', a, b);
}

/**
 * Shape inference helpers shared by the op builders. Every error names the op, its inputs and their shapes,
 * so a wrong model definition fails at build time with a message that points at the cause.
 */
import { formatShape } from './ir.ts';
import type { Value } from './ir.ts';

export class ShapeError extends Error {
  override readonly name = 'ShapeError';
}

export function describeInputs(inputs: readonly Value[]): string {
  return inputs.map((input) => `"${input.name}" ${input.dtype}${formatShape(input.shape)}`).join(', ');
}

export function shapeError(op: string, inputs: readonly Value[], problem: string): ShapeError {
  return new ShapeError(`${op}: ${problem} (inputs: ${describeInputs(inputs)})`);
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((count, dim) => count * dim, 1);
}

/** Numpy-style multidirectional broadcasting, as ONNX defines it. */
export function broadcastShapes(op: string, inputs: readonly Value[]): number[] {
  const rank = Math.max(...inputs.map((input) => input.shape.length));
  const result: number[] = [];
  for (let axis = 0; axis < rank; axis += 1) {
    let dim = 1;
    for (const input of inputs) {
      const offset = axis - (rank - input.shape.length);
      const size = offset >= 0 ? (input.shape[offset] as number) : 1;
      if (size === 1) continue;
      if (dim !== 1 && dim !== size) {
        throw shapeError(op, inputs, `shapes cannot be broadcast at axis ${axis} (${dim} vs ${size})`);
      }
      dim = size;
    }
    result.push(dim);
  }
  return result;
}

export function normalizeAxis(op: string, inputs: readonly Value[], axis: number, rank: number): number {
  const normalized = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(axis) || normalized < 0 || normalized >= rank) {
    throw shapeError(op, inputs, `axis ${axis} is out of range for rank ${rank}`);
  }
  return normalized;
}

export function requireSameDtype(op: string, inputs: readonly Value[]): void {
  const first = inputs[0];
  if (first && inputs.some((input) => input.dtype !== first.dtype)) {
    throw shapeError(op, inputs, 'inputs must have the same element type');
  }
}

export function requireFloat(op: string, inputs: readonly Value[]): void {
  if (inputs.some((input) => input.dtype !== 'float32' && input.dtype !== 'float64')) {
    throw shapeError(op, inputs, 'inputs must be float32 or float64');
  }
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((dim, index) => dim === b[index]);
}

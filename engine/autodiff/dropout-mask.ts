/**
 * Dropout with a mask made in TypeScript from a seed, fed to the graph as an input and applied with Mul, so a
 * run is reproducible for a seed (ONNX Dropout draws its own randomness). Kept values are scaled by 1/(1 − rate).
 */
import type { Value } from '../graph/ir.ts';
import * as op from '../graph/ops/index.ts';
import { SeededRandom } from '../random/seeded-random.ts';

/** A keep/drop mask for `size` values, the same for a seed on every platform. */
export function dropoutMask(seed: number, size: number, rate: number): Float32Array {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout rate must be in [0, 1), got ${rate}`);
  const mask = new Float32Array(size);
  const keep = 1 / (1 - rate);
  const random = new SeededRandom(seed);
  for (let i = 0; i < size; i += 1) mask[i] = random.uniform() < rate ? 0 : keep;
  return mask;
}

/** x ⊙ mask, where mask (a graph input shaped like x) comes from dropoutMask. The Mul rule differentiates it. */
export function dropout(x: Value, mask: Value): Value {
  return op.mul(x, mask);
}

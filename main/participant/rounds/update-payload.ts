/** Facts a person approves about an update: the hash of the exact bytes and the update's L2 norm. */
import { createHash } from 'node:crypto';
import type { ParameterSet } from '../../../engine/tensor/parameter-set.ts';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function l2Norm(update: ParameterSet): number {
  let sum = 0;
  for (const { data } of update.values()) for (const value of data) sum += value * value;
  return Math.sqrt(sum);
}

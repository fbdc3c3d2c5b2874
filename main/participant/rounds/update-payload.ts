/**
 * The update as it leaves: the exact bytes (in the encoding the round's task names, from engine/codec's
 * one registry), and the facts a person approves about them: their hash and the update's L2 norm.
 */
import { createHash } from 'node:crypto';
import { updateCodec } from '../../../engine/codec/update-codec-registry.ts';
import type { ParameterSet } from '../../../engine/tensor/parameter-set.ts';
import type { RoundTask } from '../coordinator-client/federation-link.ts';

/** The exact bytes to approve and send. */
export function encodeRoundUpdate(task: RoundTask, update: ParameterSet): Uint8Array {
  return updateCodec(task.updateEncoding).encode(update);
}

/** The update that approved bytes hold, read by the same registry entry that wrote them. */
export function decodeApprovedPayload(task: RoundTask, bytes: Uint8Array): ParameterSet {
  return updateCodec(task.updateEncoding).decode(bytes, task.modelSpec);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function l2Norm(update: ParameterSet): number {
  let sum = 0;
  for (const { data } of update.values()) for (const value of data) sum += value * value;
  return Math.sqrt(sum);
}

/**
 * The update as it leaves: the exact bytes (in the encoding and compression the round's task names, from
 * engine/codec's one registry), and the facts a person approves about them: their hash and the update's L2 norm.
 */
import { createHash } from 'node:crypto';
import { encodedUpdateSize } from '../../../engine/codec/encoded-size.ts';
import { float32UpdateBytes } from '../../../engine/codec/float32-update.ts';
import { denseFloat32 } from '../../../engine/codec/update-codec.ts';
import type { ErrorFeedback } from '../../../engine/codec/update-codec.ts';
import { updateCodec } from '../../../engine/codec/update-codec-registry.ts';
import { compressUpdate } from '../../../engine/codec/update-compression.ts';
import type { ParameterSet } from '../../../engine/tensor/parameter-set.ts';
import type { RoundTask } from '../coordinator-client/federation-link.ts';

export interface RoundPayload {
  /** The exact bytes to approve and send. */
  readonly bytes: Uint8Array;
  /** With compression: what these bytes leave out, for the next round (error feedback). */
  readonly residual?: ErrorFeedback;
}

/**
 * The exact bytes to approve and send. A compressed round adds `residual` (what the federation's last
 * sent round left out) to the update before compressing, and returns the new residual.
 */
export function encodeRoundUpdate(task: RoundTask, update: ParameterSet, residual?: ErrorFeedback): RoundPayload {
  if (!task.compression) return { bytes: updateCodec(task.updateEncoding).encode(update) };
  updateCodec(task.updateEncoding, task.compression); // refuses an encoding that cannot carry it
  return compressUpdate(update, task.compression, residual);
}

/** The size the round's update would have uncompressed, in its encoding: what the card compares against. */
export function denseRoundBytes(task: RoundTask): number {
  return task.updateEncoding === 'float32-le'
    ? float32UpdateBytes(task.modelSpec)
    : encodedUpdateSize(task.modelSpec, denseFloat32);
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

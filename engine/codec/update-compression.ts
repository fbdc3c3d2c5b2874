/**
 * The lossy compression a federation can ask for (communication optimization): int8 quantization of every
 * value, or top-k sparsification keeping a fraction of each tensor's entries. Both are written in the
 * codec's own format (update-format.ts) and both return an error-feedback residual — what this round did
 * not deliver — which the sender adds to its next update (Seide et al. 2014, "1-bit SGD"; Stich,
 * Cordonnier, Jaggi 2018, "Sparsified SGD with Memory"; Karimireddy et al. 2019, "Error Feedback Fixes
 * SignSGD"), so that compression delays parts of an update but loses none of them.
 */
import type { ParameterSet, TensorSpec } from '../tensor/parameter-set.ts';
import { encodedUpdateSize } from './encoded-size.ts';
import { encodeUpdate } from './encode-update.ts';
import type { ErrorFeedback, UpdateEncoding } from './update-codec.ts';

export type UpdateCompression = { readonly method: 'int8' } | { readonly method: 'topk'; readonly fraction: number };

export const compressionMethods = ['int8', 'topk'] as const;

/** The format options a compression writes: int8 is dense int8; top-k keeps float32 values. */
export function compressionEncoding(compression: UpdateCompression): UpdateEncoding {
  assertValidCompression(compression);
  if (compression.method === 'int8') return { quantization: 'int8', topKFraction: 1 };
  return { quantization: 'none', topKFraction: compression.fraction };
}

/** Refuses, naming the field, a compression the encoder could not honour. */
export function assertValidCompression(compression: UpdateCompression): void {
  const method: string = compression.method;
  if (method === 'int8') return;
  if (method !== 'topk') {
    throw new Error(`unknown compression method "${method}" (known methods: ${compressionMethods.join(', ')})`);
  }
  const { fraction } = compression as { fraction: unknown };
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1)) {
    throw new Error(`compression.fraction must be a number in (0, 1) for method "topk", got ${String(fraction)}`);
  }
}

/** "int8" or "topk 0.01": how the approval card, the audit log and errors name a compression. */
export function describeCompression(compression: UpdateCompression | undefined): string {
  if (!compression) return 'none';
  return compression.method === 'topk' ? `topk ${compression.fraction}` : compression.method;
}

/** The exact size of any update compressed this way for the spec (this build's int8 chunk size). */
export function compressedUpdateSize(spec: readonly TensorSpec[], compression: UpdateCompression): number {
  return encodedUpdateSize(spec, compressionEncoding(compression));
}

export interface CompressedUpdate {
  /** The exact bytes to approve and send. */
  readonly bytes: Uint8Array;
  /** (update + previous residual) − what the bytes decode to: carried into the next round. */
  readonly residual: ErrorFeedback;
}

/**
 * Compresses update + residual. The residual's tensors must be the update's (same names and sizes): a
 * caller holding one for another model drops it before calling (a new job starts with no residual).
 */
export function compressUpdate(
  update: ParameterSet,
  compression: UpdateCompression,
  residual?: ErrorFeedback,
): CompressedUpdate {
  const { bytes, feedback } = encodeUpdate(update, compressionEncoding(compression), residual);
  // A tensor sent whole (dense float32) leaves nothing behind: its residual is zero, not missing.
  for (const [name, value] of update) if (!feedback.has(name)) feedback.set(name, new Float32Array(value.data.length));
  return { bytes, residual: feedback };
}

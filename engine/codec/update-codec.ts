/**
 * The types of the codec's own format (update-format.ts; communication optimization, docs/architecture.md):
 * its lossy options and its encoder and decoder. Federations name an encoding, and participant and
 * coordinator look it up in update-codec-registry.ts, which writes this format dense.
 */
import type { Float32Tensor, ParameterSet, TensorSpec } from '../tensor/parameter-set.ts';

export interface UpdateEncoding {
  /** 'none' = raw float32; 'int8' = per-tensor scale with stochastic rounding. */
  readonly quantization: 'none' | 'int8';
  /** Keep only this fraction of entries by magnitude (error feedback keeps the rest for later); 1 = dense. */
  readonly topKFraction: number;
}

export const denseFloat32: UpdateEncoding = { quantization: 'none', topKFraction: 1 };

export type DecodedUpdate = Map<string, Float32Tensor>;

/** Residuals that top-k left out, carried into the next round's update (error feedback). */
export type ErrorFeedback = Map<string, Float32Array>;

export interface EncodeUpdate {
  (
    update: ParameterSet,
    encoding: UpdateEncoding,
    feedback?: ErrorFeedback,
  ): { bytes: Uint8Array; feedback: ErrorFeedback };
}

export interface DecodeUpdate {
  /** Validates against the spec: names, shapes, NaN/Inf and sizes, each with a precise error. */
  (bytes: Uint8Array, spec: readonly TensorSpec[]): DecodedUpdate;
}

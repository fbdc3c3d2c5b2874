/**
 * Encodes an update (local − global) in the format of update-format.ts. Lossy encodings return the
 * error-feedback residual: what the receiver will not reconstruct this round (entries top-k left out
 * and int8 rounding error). Adding it to the next round's update (Stich, Cordonnier, Jaggi 2018,
 * "Sparsified SGD with Memory") means nothing is lost, only delayed:
 *   Σ_t decoded_t + residual_T = Σ_t update_t.
 * Top-k keeps k = ⌈f·n⌉ entries of each tensor (at least one), so small tensors such as biases and
 * task heads are never starved by large ones; a tensor whose sparse form would not be smaller is sent dense.
 */
import { elementCount } from '../tensor/parameter-set.ts';
import type { ParameterSet } from '../tensor/parameter-set.ts';
import { keptEntryCount, sendsSparse } from './encoded-size.ts';
import { defaultInt8ChunkSize, dequantizeInt8, quantizeInt8 } from './int8-quantization.ts';
import { topKIndices } from './top-k.ts';
import { ByteWriter, bytesOf, updateFormatVersion, updateMagic } from './update-format.ts';
import type { EncodeUpdate, ErrorFeedback, UpdateEncoding } from './update-codec.ts';

export interface UpdateEncoderOptions {
  /** Uniform [0, 1) source for stochastic rounding; inject a seeded one for reproducible tests. */
  readonly random?: () => number;
  readonly int8ChunkSize?: number;
}

function assertValidEncoding(encoding: UpdateEncoding): void {
  if (encoding.quantization !== 'none' && encoding.quantization !== 'int8') {
    throw new Error(`unknown quantization "${String(encoding.quantization)}" (expected "none" or "int8")`);
  }
  if (!(encoding.topKFraction > 0 && encoding.topKFraction <= 1)) {
    throw new Error(`topKFraction must be in (0, 1], got ${encoding.topKFraction}`);
  }
}

/** The update plus last round's residual, refusing NaN/Inf so that nothing invalid is ever sent. */
function accumulate(name: string, data: Float32Array, residual: Float32Array | undefined): Float32Array {
  if (residual && residual.length !== data.length) {
    throw new Error(`error feedback for tensor "${name}" has ${residual.length} values, the tensor ${data.length}`);
  }
  const sum = residual ? new Float32Array(data.length) : data;
  for (let i = 0; i < data.length; i++) {
    if (residual) sum[i] = (data[i] as number) + (residual[i] as number);
    if (!Number.isFinite(sum[i])) throw new Error(`tensor "${name}" has a non-finite value (${sum[i]}) at index ${i}`);
  }
  return sum;
}

function writeHeader(out: ByteWriter, name: string, shape: readonly number[]): void {
  const nameBytes = new TextEncoder().encode(name);
  if (nameBytes.length > 0xffff) throw new Error(`tensor name "${name.slice(0, 40)}…" is over 65535 bytes`);
  if (elementCount(shape) > 0xffffffff) throw new Error(`tensor "${name}" has over 2^32 − 1 elements`);
  out.u16(nameBytes.length);
  out.bytes(nameBytes);
  out.u8(shape.length);
  for (const dim of shape) out.u32(dim);
}

/** Writes values (dense or the kept ones) as float32 or int8; returns what the decoder will see. */
function writeValues(out: ByteWriter, values: Float32Array, int8: boolean, options: Required<UpdateEncoderOptions>) {
  if (!int8) {
    out.bytes(bytesOf(values));
    return values;
  }
  const block = quantizeInt8(values, options.random, options.int8ChunkSize);
  out.u32(block.chunkSize);
  out.bytes(bytesOf(block.scales));
  out.bytes(bytesOf(block.values));
  return dequantizeInt8(block);
}

function encodeTensor(
  out: ByteWriter,
  accumulated: Float32Array,
  encoding: UpdateEncoding,
  options: Required<UpdateEncoderOptions>,
): Float32Array | undefined {
  const int8 = encoding.quantization === 'int8';
  if (!sendsSparse(accumulated.length, encoding, options.int8ChunkSize)) {
    out.u8(int8 ? 1 : 0);
    const sent = writeValues(out, accumulated, int8, options);
    if (!int8) return undefined;
    const residual = new Float32Array(accumulated.length);
    for (let i = 0; i < residual.length; i++) residual[i] = (accumulated[i] as number) - (sent[i] as number);
    return residual;
  }
  const indices = topKIndices(accumulated, keptEntryCount(accumulated.length, encoding.topKFraction));
  out.u8(int8 ? 3 : 2);
  out.u32(indices.length);
  out.bytes(bytesOf(indices));
  const kept = new Float32Array(indices.length);
  for (let j = 0; j < indices.length; j++) kept[j] = accumulated[indices[j] as number] as number;
  const sent = writeValues(out, kept, int8, options);
  const residual = accumulated.slice();
  for (let j = 0; j < indices.length; j++) {
    const index = indices[j] as number;
    residual[index] = (residual[index] as number) - (sent[j] as number);
  }
  return residual;
}

/** A residual for a tensor the update lacks means the model changed under the participant: say so. */
function assertFeedbackMatches(update: ParameterSet, feedback: ErrorFeedback | undefined): void {
  for (const name of feedback?.keys() ?? []) {
    if (!update.has(name)) throw new Error(`error feedback holds tensor "${name}", which the update does not have`);
  }
}

export function createUpdateEncoder(options: UpdateEncoderOptions = {}): EncodeUpdate {
  const chunkSize = options.int8ChunkSize ?? defaultInt8ChunkSize;
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 0xffffffff) {
    throw new Error(`int8ChunkSize must be a positive 32-bit integer, got ${chunkSize}`);
  }
  const resolved = {
    random: options.random ?? Math.random,
    int8ChunkSize: chunkSize,
  };
  return (update: ParameterSet, encoding: UpdateEncoding, feedback?: ErrorFeedback) => {
    assertValidEncoding(encoding);
    assertFeedbackMatches(update, feedback);
    const out = new ByteWriter();
    out.bytes(new TextEncoder().encode(updateMagic));
    out.u16(updateFormatVersion);
    out.u16(0);
    out.u32(update.size);
    const residuals: ErrorFeedback = new Map();
    for (const [name, value] of update) {
      writeHeader(out, name, value.shape);
      const residual = encodeTensor(out, accumulate(name, value.data, feedback?.get(name)), encoding, resolved);
      if (residual) residuals.set(name, residual);
    }
    return { bytes: out.finish(), feedback: residuals };
  };
}

/** Stochastic rounding from Math.random: unbiasedness needs uniformity, not secrecy. */
export const encodeUpdate: EncodeUpdate = createUpdateEncoder();

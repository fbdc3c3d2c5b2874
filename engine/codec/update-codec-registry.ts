/**
 * The update encodings a federation can name (the coordinator's `updateEncoding`, carried in every
 * round task), one entry each: how a participant writes an update and how a coordinator or a
 * participant reads it back. Participant and coordinator look encodings up here and nowhere else.
 * Both entries are lossless for float32 values (decode(encode(u)) = u exactly), so the bytes a person
 * approves and the float update masked under secure aggregation hold the same numbers. A federation that
 * asks for compression (update-compression.ts, never with secure aggregation) gets the codec's format
 * written lossy, with the exact size of such an update as its bound.
 */
import { createUpdateDecoder } from './decode-update.ts';
import { encodeUpdate } from './encode-update.ts';
import { decodeFloat32Update, encodeFloat32Update, float32UpdateBytes } from './float32-update.ts';
import { elementCount, specOf } from '../tensor/parameter-set.ts';
import type { Float32Tensor, ParameterSet, TensorSpec } from '../tensor/parameter-set.ts';
import { denseFloat32 } from './update-codec.ts';
import { compressedUpdateSize, compressUpdate, describeCompression } from './update-compression.ts';
import type { UpdateCompression } from './update-compression.ts';

export const updateEncodingNames = ['accord-update-v1', 'float32-le'] as const;
export type UpdateEncodingName = (typeof updateEncodingNames)[number];

export interface UpdateDecodeLimits {
  /** Bytes refused before parsing (the coordinator's limit); the codec's default otherwise. */
  readonly maxBytes?: number;
}

/** How large an encoded update of a model spec can be: `exact` when the format leaves no freedom. */
export interface EncodedSizeBound {
  readonly bytes: number;
  readonly exact: boolean;
}

export interface UpdateCodec {
  readonly name: UpdateEncodingName;
  /** The size of any update this codec decodes for the spec, known before a byte of it is read. */
  encodedSize(spec: readonly TensorSpec[]): EncodedSizeBound;
  /** The exact bytes to approve and send, tensors in the update's order. */
  encode(update: ParameterSet): Uint8Array;
  /** Validates names, shapes, sizes and finiteness against the spec; every refusal says what is wrong. */
  decode(bytes: Uint8Array, spec: readonly TensorSpec[], limits?: UpdateDecodeLimits): Map<string, Float32Tensor>;
}

/**
 * The largest update-format-v1 file the decoder accepts for a spec: the 12-byte header, then per tensor
 * its name, rank, shape and encoding byte, and the largest payload of n values, sparse-int8 keeping all
 * n with one scale each (u32 k, k indices, u32 chunk size, k scales, k bytes: 8 + 9n).
 */
function largestAccordUpdate(spec: readonly TensorSpec[]): number {
  let bytes = 12;
  for (const { name, shape } of spec) {
    bytes += 2 + new TextEncoder().encode(name).length + 1 + 4 * shape.length + 1;
    bytes += 8 + 9 * elementCount(shape);
  }
  return bytes;
}

const codecs: Record<UpdateEncodingName, UpdateCodec> = {
  /** The codec's own format (update-format.ts), written dense: self-describing, names and shapes inside. */
  'accord-update-v1': {
    name: 'accord-update-v1',
    encodedSize: (spec) => ({ bytes: largestAccordUpdate(spec), exact: false }),
    encode: (update) => encodeUpdate(update, denseFloat32).bytes,
    decode: (bytes, spec, limits = {}) => createUpdateDecoder(limits)(bytes, spec),
  },
  /** Raw little-endian float32 in spec order: nothing but values, so it can be checked as a stream. */
  'float32-le': {
    name: 'float32-le',
    encodedSize: (spec) => ({ bytes: float32UpdateBytes(spec), exact: true }),
    encode: (update) => encodeFloat32Update(update, specOf(update)),
    decode: (bytes, spec) => decodeFloat32Update(bytes, spec),
  },
};

export function isUpdateEncodingName(name: string): name is UpdateEncodingName {
  return (updateEncodingNames as readonly string[]).includes(name);
}

/** The codec's format written lossy: decoding is the same, the size is exact for the compression. */
function compressedCodec(compression: UpdateCompression): UpdateCodec {
  const dense = codecs['accord-update-v1'];
  return {
    ...dense,
    encodedSize: (spec) => ({ bytes: compressedUpdateSize(spec, compression), exact: true }),
    encode: (update) => compressUpdate(update, compression).bytes,
  };
}

/**
 * The codec a federation names, with the compression it asks for; an unknown name is refused with the
 * names this build knows, and compression with an encoding that cannot carry it is refused too.
 */
export function updateCodec(name: string, compression?: UpdateCompression): UpdateCodec {
  if (!isUpdateEncodingName(name)) {
    throw new Error(`unknown update encoding "${name}" (known encodings: ${updateEncodingNames.join(', ')})`);
  }
  if (!compression) return codecs[name];
  if (name !== 'accord-update-v1') {
    throw new Error(
      `compression "${describeCompression(compression)}" needs update encoding "accord-update-v1"; "${name}" carries raw float32 only`,
    );
  }
  return compressedCodec(compression);
}

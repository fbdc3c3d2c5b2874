/**
 * The update encodings a federation can name (the coordinator's `updateEncoding`, carried in every
 * round task), one entry each: how a participant writes an update and how a coordinator or a
 * participant reads it back. Participant and coordinator look encodings up here and nowhere else.
 * Both entries are lossless for float32 values (decode(encode(u)) = u exactly), so the bytes a person
 * approves and the float update masked under secure aggregation hold the same numbers.
 */
import { createUpdateDecoder } from './decode-update.ts';
import { encodeUpdate } from './encode-update.ts';
import { decodeFloat32Update, encodeFloat32Update } from './float32-update.ts';
import { specOf } from '../tensor/parameter-set.ts';
import type { Float32Tensor, ParameterSet, TensorSpec } from '../tensor/parameter-set.ts';
import { denseFloat32 } from './update-codec.ts';

export const updateEncodingNames = ['accord-update-v1', 'float32-le'] as const;
export type UpdateEncodingName = (typeof updateEncodingNames)[number];

export interface UpdateDecodeLimits {
  /** Bytes refused before parsing (the coordinator's limit); the codec's default otherwise. */
  readonly maxBytes?: number;
}

export interface UpdateCodec {
  readonly name: UpdateEncodingName;
  /** The exact bytes to approve and send, tensors in the update's order. */
  encode(update: ParameterSet): Uint8Array;
  /** Validates names, shapes, sizes and finiteness against the spec; every refusal says what is wrong. */
  decode(bytes: Uint8Array, spec: readonly TensorSpec[], limits?: UpdateDecodeLimits): Map<string, Float32Tensor>;
}

const codecs: Record<UpdateEncodingName, UpdateCodec> = {
  /** The codec's own format (update-format.ts), written dense: self-describing, names and shapes inside. */
  'accord-update-v1': {
    name: 'accord-update-v1',
    encode: (update) => encodeUpdate(update, denseFloat32).bytes,
    decode: (bytes, spec, limits = {}) => createUpdateDecoder(limits)(bytes, spec),
  },
  /** Raw little-endian float32 in spec order: nothing but values, so it can be checked as a stream. */
  'float32-le': {
    name: 'float32-le',
    encode: (update) => encodeFloat32Update(update, specOf(update)),
    decode: (bytes, spec) => decodeFloat32Update(bytes, spec),
  },
};

export function isUpdateEncodingName(name: string): name is UpdateEncodingName {
  return (updateEncodingNames as readonly string[]).includes(name);
}

/** The codec a federation names; an unknown name is refused with the names this build knows. */
export function updateCodec(name: string): UpdateCodec {
  if (!isUpdateEncodingName(name)) {
    throw new Error(`unknown update encoding "${name}" (known encodings: ${updateEncodingNames.join(', ')})`);
  }
  return codecs[name];
}

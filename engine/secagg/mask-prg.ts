/**
 * The mask generator: AES-256-CTR keyed with a 32-byte seed, encrypting zeros from a zero counter,
 * read as little-endian 32-bit words — a cryptographic PRG (Bonawitz et al. 2017 §4 "PRG"). Masks add
 * and subtract in Z_2^32: a Uint32Array store reduces modulo 2^32 (ECMAScript ToUint32).
 */
import { createCipheriv } from 'node:crypto';
import { endianness } from 'node:os';
import { SecAggProtocolError } from './errors.ts';

const littleEndian = endianness() === 'LE';
/** Words expanded per cipher call (1 MiB): bounds the temporary memory for million-parameter vectors. */
const chunkWords = 1 << 18;

/** The first `length` words of the stream keyed by `seed`. */
export function expandMask(seed: Uint8Array, length: number): Uint32Array {
  if (seed.byteLength !== 32) throw new SecAggProtocolError(`mask seed must be 32 bytes, got ${seed.byteLength}`);
  const out = new Uint32Array(length);
  forEachMaskChunk(seed, length, (offset, words) => out.set(words, offset));
  return out;
}

/** target += sign · PRG(seed), modulo 2^32, without holding the whole mask in memory. */
export function applyMask(target: Uint32Array, seed: Uint8Array, sign: 1 | -1): void {
  forEachMaskChunk(seed, target.length, (offset, words) => {
    if (sign === 1) {
      for (let i = 0; i < words.length; i++) target[offset + i] = target[offset + i]! + words[i]!;
    } else {
      for (let i = 0; i < words.length; i++) target[offset + i] = target[offset + i]! - words[i]!;
    }
  });
}

function forEachMaskChunk(seed: Uint8Array, length: number, use: (offset: number, words: Uint32Array) => void): void {
  const cipher = createCipheriv('aes-256-ctr', seed, new Uint8Array(16));
  const zeros = new Uint8Array(Math.min(length, chunkWords) * 4);
  for (let offset = 0; offset < length; offset += chunkWords) {
    const count = Math.min(chunkWords, length - offset);
    const bytes = cipher.update(count === chunkWords ? zeros : zeros.subarray(0, count * 4));
    use(offset, wordsOf(bytes));
  }
}

/** Little-endian 32-bit words of a byte string (a view where the platform is little-endian). */
export function wordsOf(bytes: Uint8Array): Uint32Array {
  if (bytes.byteLength % 4 !== 0) throw new SecAggProtocolError(`${bytes.byteLength} bytes is not whole 32-bit words`);
  if (littleEndian && bytes.byteOffset % 4 === 0) {
    return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Uint32Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getUint32(i * 4, true));
}

/** The little-endian bytes of 32-bit words (a copy). */
export function bytesOf(words: Uint32Array): Uint8Array {
  if (littleEndian) return new Uint8Array(words.buffer.slice(words.byteOffset, words.byteOffset + words.byteLength));
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  words.forEach((word, i) => view.setUint32(i * 4, word, true));
  return out;
}

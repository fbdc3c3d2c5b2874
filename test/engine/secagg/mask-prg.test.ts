import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { applyMask, bytesOf, expandMask, wordsOf } from '../../../engine/secagg/mask-prg.ts';

/** AES-256-CTR built by hand from single-block AES-256-ECB on big-endian counters (NIST SP 800-38A §6.5). */
function referenceCtr(key: Uint8Array, blocks: number): Uint8Array {
  const out = new Uint8Array(blocks * 16);
  for (let i = 0; i < blocks; i++) {
    const counter = new Uint8Array(16);
    new DataView(counter.buffer).setUint32(12, i);
    const ecb = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
    out.set(ecb.update(counter), i * 16);
  }
  return out;
}

describe('the AES-256-CTR mask generator', () => {
  it('is AES-256-CTR from a zero counter, read as little-endian words (across chunk boundaries)', () => {
    const seed = randomBytes(32);
    const words = (1 << 16) + 12; // more than one internal chunk
    const mask = expandMask(seed, words);
    const reference = referenceCtr(seed, words / 4);
    const view = new DataView(reference.buffer);
    for (const i of [0, 1, 2, 3, 65535, 65536, 65537, words - 1]) expect(mask[i]).toBe(view.getUint32(i * 4, true));
  });

  it('is deterministic per seed and differs between seeds', () => {
    const seed = randomBytes(32);
    expect(expandMask(seed, 64)).toEqual(expandMask(seed, 64));
    expect(expandMask(randomBytes(32), 64)).not.toEqual(expandMask(seed, 64));
  });

  it('adds and subtracts modulo 2^32, so +mask then −mask is the identity', () => {
    const seed = randomBytes(32);
    const value = Uint32Array.of(0, 1, 0xffffffff, 123456789);
    const masked = value.slice();
    applyMask(masked, seed, 1);
    const mask = expandMask(seed, 4);
    masked.forEach((word, i) => expect(word).toBe(Number((BigInt(value[i]!) + BigInt(mask[i]!)) % 2n ** 32n)));
    applyMask(masked, seed, -1);
    expect(masked).toEqual(value);
  });

  it('converts words to little-endian bytes and back', () => {
    const words = Uint32Array.of(0x01020304, 0xa0b0c0d0);
    expect([...bytesOf(words)]).toEqual([4, 3, 2, 1, 0xd0, 0xc0, 0xb0, 0xa0]);
    expect(wordsOf(bytesOf(words))).toEqual(words);
    expect(() => wordsOf(new Uint8Array(5))).toThrow(/not whole 32-bit words/);
  });

  it('refuses a seed that is not 32 bytes', () => {
    expect(() => expandMask(new Uint8Array(16), 4)).toThrow(/32 bytes, got 16/);
  });
});

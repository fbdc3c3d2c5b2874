import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { applyMask, bytesOf, expandMask, wordsOf } from '../../../engine/secagg/mask-prg.ts';

/**
 * Word `index` of AES-256-CTR built by hand: encrypt the big-endian counter block ⌊index/4⌋ with
 * single-block AES-256-ECB (NIST SP 800-38A §6.5) and read the word little-endian.
 */
function referenceWord(key: Uint8Array, index: number): number {
  const counter = new Uint8Array(16);
  new DataView(counter.buffer).setUint32(12, Math.floor(index / 4));
  const block = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false).update(counter);
  return block.readUInt32LE((index % 4) * 4);
}

describe('the AES-256-CTR mask generator', () => {
  it('is AES-256-CTR from a zero counter, read as little-endian words (across chunk boundaries)', () => {
    const seed = randomBytes(32);
    const chunk = 1 << 18; // the generator's internal chunk, in words
    const words = chunk + 12;
    const mask = expandMask(seed, words);
    for (const i of [0, 1, 2, 3, 4, 1001, chunk - 1, chunk, chunk + 1, words - 1]) {
      expect(mask[i]).toBe(referenceWord(seed, i));
    }
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

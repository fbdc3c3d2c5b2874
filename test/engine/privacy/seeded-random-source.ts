/**
 * A deterministic RandomSource for tests only: xoshiro128** (Blackman & Vigna 2018), seeded through
 * splitmix32. Fast and statistically sound, but predictable — never for production noise.
 */
import type { RandomSource } from '../../../engine/privacy/random-source.ts';

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function seededRandomSource(seed: number): RandomSource {
  const init = splitmix32(seed);
  const s = Uint32Array.of(init(), init(), init(), init());
  const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;
  const next = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1] ?? 0, 5) >>> 0, 7), 9) >>> 0;
    const t = ((s[1] ?? 0) << 9) >>> 0;
    s[2] = (s[2] ?? 0) ^ (s[0] ?? 0);
    s[3] = (s[3] ?? 0) ^ (s[1] ?? 0);
    s[1] = (s[1] ?? 0) ^ (s[2] ?? 0);
    s[0] = (s[0] ?? 0) ^ (s[3] ?? 0);
    s[2] = (s[2] ?? 0) ^ t;
    s[3] = rotl(s[3] ?? 0, 11);
    return result;
  };
  return {
    fillBytes(target: Uint8Array): void {
      for (let i = 0; i < target.length; i += 4) {
        const word = next();
        for (let b = 0; b < 4 && i + b < target.length; b += 1) target[i + b] = (word >>> (8 * b)) & 0xff;
      }
    },
  };
}

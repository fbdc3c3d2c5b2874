/**
 * Seeded parameter initialization. The generator is our own (sfc32 seeded through splitmix32), used for
 * initialization only, so that one seed gives bit-identical parameters on every platform and version.
 */

export type Initializer =
  { readonly kind: 'normal'; readonly std: number } | { readonly kind: 'constant'; readonly value: number };

export const init = {
  normal: (std: number): Initializer => ({ kind: 'normal', std }),
  zeros: (): Initializer => ({ kind: 'constant', value: 0 }),
  ones: (): Initializer => ({ kind: 'constant', value: 1 }),
};

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = Math.imul(state ^ (state >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class InitRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | undefined;

  constructor(seed: number) {
    const mix = splitmix32(seed);
    [this.a, this.b, this.c, this.d] = [mix(), mix(), mix(), mix()];
  }

  /** sfc32: uniform in [0, 1). */
  uniform(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t / 4294967296;
  }

  /** Standard normal by Box–Muller (both values used). */
  normal(): number {
    if (this.spare !== undefined) {
      const value = this.spare;
      this.spare = undefined;
      return value;
    }
    const u = 1 - this.uniform();
    const v = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }
}

export function fillInitial(initializer: Initializer, size: number, random: InitRandom): Float32Array {
  const data = new Float32Array(size);
  if (initializer.kind === 'constant') return data.fill(initializer.value);
  for (let i = 0; i < size; i += 1) data[i] = random.normal() * initializer.std;
  return data;
}

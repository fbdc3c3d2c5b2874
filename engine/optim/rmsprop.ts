/**
 * RMSProp: Tieleman & Hinton 2012, "Lecture 6.5 — rmsprop: divide the gradient by a running average of its
 * recent magnitude" (COURSERA: Neural Networks for Machine Learning):
 *   v ← ρ v + (1 − ρ) g²;  θ ← θ − η g / (√v + ε).
 */
import { SlotOptimizer } from './optimizer.ts';
import type { Hyperparameters } from './optimizer.ts';

export interface RmsPropOptions {
  decay?: number;
  epsilon?: number;
}

export class RmsProp extends SlotOptimizer {
  readonly algorithm = 'rmsprop';
  protected readonly slotNames = ['square'] as const;
  readonly decay: number;
  readonly epsilon: number;

  constructor(options: RmsPropOptions = {}) {
    super();
    this.decay = options.decay ?? 0.99;
    this.epsilon = options.epsilon ?? 1e-8;
    if (this.decay <= 0 || this.decay >= 1) throw new Error(`RMSProp decay must be in (0, 1), got ${this.decay}`);
  }

  hyperparameters(): Hyperparameters {
    return { decay: this.decay, epsilon: this.epsilon };
  }

  protected update(p: Float32Array, g: Float32Array, slots: Float32Array[], lr: number): void {
    const v = slots[0]!;
    const rho = this.decay;
    const oneMinusRho = 1 - rho;
    const eps = this.epsilon;
    const n = p.length;
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      const vi = rho * v[i]! + oneMinusRho * gi * gi;
      v[i] = vi;
      p[i] = p[i]! - (lr * gi) / (Math.sqrt(vi) + eps);
    }
  }
}

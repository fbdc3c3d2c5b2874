/**
 * AdaGrad: Duchi, Hazan, Singer 2011, "Adaptive Subgradient Methods for Online Learning and Stochastic
 * Optimization" (diagonal form):  G ← G + g²;  θ ← θ − η g / (√G + ε).
 */
import { SlotOptimizer } from './optimizer.ts';
import type { Hyperparameters } from './optimizer.ts';

export interface AdaGradOptions {
  epsilon?: number;
  initialAccumulator?: number;
}

export class AdaGrad extends SlotOptimizer {
  readonly algorithm = 'adagrad';
  protected readonly slotNames = ['sum'] as const;
  readonly epsilon: number;
  readonly initialAccumulator: number;

  constructor(options: AdaGradOptions = {}) {
    super();
    this.epsilon = options.epsilon ?? 1e-10;
    this.initialAccumulator = options.initialAccumulator ?? 0;
  }

  hyperparameters(): Hyperparameters {
    return { epsilon: this.epsilon, initialAccumulator: this.initialAccumulator };
  }

  protected update(p: Float32Array, g: Float32Array, slots: Float32Array[], lr: number, t: number): void {
    const sum = slots[0]!;
    if (t === 1 && this.initialAccumulator !== 0) sum.fill(this.initialAccumulator);
    const eps = this.epsilon;
    const n = p.length;
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      const s = sum[i]! + gi * gi;
      sum[i] = s;
      p[i] = p[i]! - (lr * gi) / (Math.sqrt(s) + eps);
    }
  }
}

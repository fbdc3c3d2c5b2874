/**
 * AdaBelief: Zhuang, Tang, Ding, Tatikonda, Dvornek, Papademetris, Duncan 2020, "AdaBelief Optimizer:
 * Adapting Stepsizes by the Belief in Observed Gradients" (NeurIPS 2020), Algorithm 2. It replaces Adam's
 * second moment of g with the variance of g around its prediction m (the "belief"):
 *   m ← β₁ m + (1 − β₁) g;  s ← β₂ s + (1 − β₂)(g − m)² + ε;
 *   m̂ = m / (1 − β₁ᵗ);  ŝ = s / (1 − β₂ᵗ);  θ ← θ − η m̂ / (√ŝ + ε).
 * Weight decay, when set, is decoupled as in AdamW (the paper's released code does the same).
 */
import { checkBetas } from './adam.ts';
import { SlotOptimizer } from './optimizer.ts';
import type { Hyperparameters } from './optimizer.ts';

export interface AdaBeliefOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weightDecay?: number;
}

export class AdaBelief extends SlotOptimizer {
  readonly algorithm = 'adabelief';
  protected readonly slotNames = ['m', 's'] as const;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;

  constructor(options: AdaBeliefOptions = {}) {
    super();
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-16;
    this.weightDecay = options.weightDecay ?? 0;
    checkBetas('AdaBelief', this.beta1, this.beta2);
  }

  hyperparameters(): Hyperparameters {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, weightDecay: this.weightDecay };
  }

  protected update(p: Float32Array, g: Float32Array, slots: Float32Array[], lr: number, t: number): void {
    const m = slots[0]!;
    const s = slots[1]!;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const c1 = 1 - b1;
    const c2 = 1 - b2;
    const eps = this.epsilon;
    const stepSize = lr / (1 - Math.pow(b1, t));
    const inverseRootBc2 = 1 / Math.sqrt(1 - Math.pow(b2, t));
    const shrink = 1 - lr * this.weightDecay;
    const n = p.length;
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      const mi = b1 * m[i]! + c1 * gi;
      const d = gi - mi;
      const si = b2 * s[i]! + c2 * d * d + eps;
      m[i] = mi;
      s[i] = si;
      p[i] = p[i]! * shrink - (stepSize * mi) / (Math.sqrt(si) * inverseRootBc2 + eps);
    }
  }
}

/**
 * Adam: Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization", Algorithm 1:
 *   m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²;  m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ);
 *   θ ← θ − η m̂ / (√v̂ + ε).
 * Adam's weightDecay is the L2 term added to the gradient (g ← g + λθ). AdamW (Loshchilov & Hutter 2019,
 * "Decoupled Weight Decay Regularization", Algorithm 2) instead shrinks the weights directly:
 *   θ ← θ − η λ θ, before the Adam step, with the schedule's η (the convention PyTorch follows).
 */
import { SlotOptimizer } from './optimizer.ts';
import type { Hyperparameters } from './optimizer.ts';

export interface AdamOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weightDecay?: number;
}

export function checkBetas(algorithm: string, beta1: number, beta2: number): void {
  for (const [name, beta] of [
    ['beta1', beta1],
    ['beta2', beta2],
  ] as const) {
    if (!(beta >= 0 && beta < 1)) throw new Error(`${algorithm} ${name} must be in [0, 1), got ${beta}`);
  }
}

export class Adam extends SlotOptimizer {
  readonly algorithm: string = 'adam';
  protected readonly slotNames = ['m', 'v'] as const;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  protected readonly decoupled: boolean = false;

  constructor(options: AdamOptions = {}) {
    super();
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    checkBetas('Adam', this.beta1, this.beta2);
  }

  hyperparameters(): Hyperparameters {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, weightDecay: this.weightDecay };
  }

  protected update(p: Float32Array, g: Float32Array, slots: Float32Array[], lr: number, t: number): void {
    const m = slots[0]!;
    const v = slots[1]!;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const c1 = 1 - b1;
    const c2 = 1 - b2;
    const eps = this.epsilon;
    // m̂ / (√v̂ + ε) = (m / bc1) / (√v / √bc2 + ε): fold the corrections into two scalars.
    const stepSize = lr / (1 - Math.pow(b1, t));
    const inverseRootBc2 = 1 / Math.sqrt(1 - Math.pow(b2, t));
    const l2 = this.decoupled ? 0 : this.weightDecay;
    const shrink = this.decoupled ? 1 - lr * this.weightDecay : 1;
    const n = p.length;
    for (let i = 0; i < n; i++) {
      const pi = p[i]!;
      const gi = g[i]! + l2 * pi;
      const mi = b1 * m[i]! + c1 * gi;
      const vi = b2 * v[i]! + c2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] = pi * shrink - (stepSize * mi) / (Math.sqrt(vi) * inverseRootBc2 + eps);
    }
  }
}

export class AdamW extends Adam {
  override readonly algorithm: string = 'adamw';
  protected override readonly decoupled: boolean = true;

  constructor(options: AdamOptions = {}) {
    super({ ...options, weightDecay: options.weightDecay ?? 0.01 });
  }
}

/**
 * Stochastic gradient descent, optionally with heavy-ball momentum (Polyak 1964) or Nesterov momentum in
 * the form of Sutskever et al. 2013, "On the importance of initialization and momentum in deep learning"
 * (the form PyTorch uses):  b ← μ b + g;  step direction = g + μ b (Nesterov) or b (heavy ball).
 * Weight decay here is the classic L2 term added to the gradient: g ← g + λ θ.
 */
import { SlotOptimizer } from './optimizer.ts';
import type { Hyperparameters } from './optimizer.ts';

export interface SgdOptions {
  momentum?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

export class Sgd extends SlotOptimizer {
  readonly algorithm: string;
  protected readonly slotNames: readonly string[];
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;

  constructor(options: SgdOptions = {}) {
    super();
    this.momentum = options.momentum ?? 0;
    this.nesterov = options.nesterov ?? false;
    this.weightDecay = options.weightDecay ?? 0;
    if (this.momentum < 0 || this.momentum >= 1)
      throw new Error(`SGD momentum must be in [0, 1), got ${this.momentum}`);
    if (this.nesterov && this.momentum === 0) throw new Error('Nesterov SGD needs a momentum above 0');
    this.algorithm = this.nesterov ? 'sgd-nesterov' : this.momentum > 0 ? 'sgd-momentum' : 'sgd';
    this.slotNames = this.momentum > 0 ? ['momentum'] : [];
  }

  hyperparameters(): Hyperparameters {
    return { momentum: this.momentum, nesterov: this.nesterov, weightDecay: this.weightDecay };
  }

  protected update(p: Float32Array, g: Float32Array, slots: Float32Array[], lr: number): void {
    const n = p.length;
    const wd = this.weightDecay;
    const mu = this.momentum;
    const b = slots[0];
    if (!b) {
      for (let i = 0; i < n; i++) p[i] = p[i]! - lr * (g[i]! + wd * p[i]!);
      return;
    }
    if (this.nesterov) {
      for (let i = 0; i < n; i++) {
        const gi = g[i]! + wd * p[i]!;
        const bi = mu * b[i]! + gi;
        b[i] = bi;
        p[i] = p[i]! - lr * (gi + mu * bi);
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      const bi = mu * b[i]! + g[i]! + wd * p[i]!;
      b[i] = bi;
      p[i] = p[i]! - lr * bi;
    }
  }
}

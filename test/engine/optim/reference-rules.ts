/**
 * Naive float64 implementations written straight from each paper's equations, one scalar at a time, as
 * the independent reference for the optimizers under test. They share no code with engine/optim.
 */
import { tensor } from '../../../engine/tensor/parameter-set.ts';
import type { Optimizer } from '../../../engine/optim/optimizer.ts';

export type Trajectory = number[][];

/** Fixed inputs: six parameters with mixed signs and scales, gradients that vary per step (one is zero). */
export const theta0 = [0.5, -1.25, 2, 0.1, -0.003, 3];
export const gradientSteps: number[][] = Array.from({ length: 6 }, (_, k) =>
  theta0.map((_, i) =>
    i === 4 && k === 2 ? 0 : Math.round(1000 * Math.sin(1.7 * i + 0.9 * k + 0.3) * (1 + i)) / 1000,
  ),
);
export const rates = [0.1, 0.05, 0.05, 0.02, 0.02, 0.01];

function zeros(): number[] {
  return theta0.map(() => 0);
}

/** Runs the optimizer under test on a two-tensor set holding theta0 and returns θ after every step. */
export function runUnderTest(optimizer: Optimizer): Trajectory {
  const first = tensor([2, 2], theta0.slice(0, 4));
  const second = tensor([2], theta0.slice(4));
  const parameters = new Map([
    ['layer.weight', first],
    ['layer.bias', second],
  ]);
  return gradientSteps.map((g, k) => {
    const gradients = new Map([
      ['layer.weight', Float32Array.from(g.slice(0, 4))],
      ['layer.bias', Float32Array.from(g.slice(4))],
    ]);
    optimizer.step(parameters, gradients, rates[k]!);
    return [...first.data, ...second.data];
  });
}

export function sgdReference(options: { mu?: number; nesterov?: boolean; lambda?: number }): Trajectory {
  const { mu = 0, nesterov = false, lambda = 0 } = options;
  const theta = [...theta0];
  const b = zeros();
  return gradientSteps.map((grad, k) => {
    for (let i = 0; i < theta.length; i++) {
      const g = grad[i]! + lambda * theta[i]!;
      b[i] = mu * b[i]! + g;
      const direction = mu === 0 ? g : nesterov ? g + mu * b[i]! : b[i]!;
      theta[i] = theta[i]! - rates[k]! * direction;
    }
    return [...theta];
  });
}

export function adagradReference(epsilon: number): Trajectory {
  const theta = [...theta0];
  const G = zeros();
  return gradientSteps.map((grad, k) => {
    for (let i = 0; i < theta.length; i++) {
      G[i] = G[i]! + grad[i]! ** 2;
      theta[i] = theta[i]! - (rates[k]! * grad[i]!) / (Math.sqrt(G[i]!) + epsilon);
    }
    return [...theta];
  });
}

export function rmspropReference(rho: number, epsilon: number): Trajectory {
  const theta = [...theta0];
  const v = zeros();
  return gradientSteps.map((grad, k) => {
    for (let i = 0; i < theta.length; i++) {
      v[i] = rho * v[i]! + (1 - rho) * grad[i]! ** 2;
      theta[i] = theta[i]! - (rates[k]! * grad[i]!) / (Math.sqrt(v[i]!) + epsilon);
    }
    return [...theta];
  });
}

interface AdamFamily {
  beta1: number;
  beta2: number;
  epsilon: number;
  l2?: number;
  decoupled?: number;
  belief?: boolean;
}

/** Adam (Kingma & Ba Alg. 1), AdamW (Loshchilov & Hutter Alg. 2) and AdaBelief (Zhuang et al. Alg. 2). */
export function adamFamilyReference(options: AdamFamily): Trajectory {
  const { beta1, beta2, epsilon, l2 = 0, decoupled = 0, belief = false } = options;
  const theta = [...theta0];
  const m = zeros();
  const v = zeros();
  return gradientSteps.map((grad, k) => {
    const t = k + 1;
    const eta = rates[k]!;
    for (let i = 0; i < theta.length; i++) {
      const g = grad[i]! + l2 * theta[i]!;
      m[i] = beta1 * m[i]! + (1 - beta1) * g;
      v[i] = belief ? beta2 * v[i]! + (1 - beta2) * (g - m[i]!) ** 2 + epsilon : beta2 * v[i]! + (1 - beta2) * g * g;
      const mHat = m[i]! / (1 - beta1 ** t);
      const vHat = v[i]! / (1 - beta2 ** t);
      theta[i] = theta[i]! - eta * decoupled * theta[i]! - (eta * mHat) / (Math.sqrt(vHat) + epsilon);
    }
    return [...theta];
  });
}

/** Float32 parameters against the float64 reference: 2e-6 relative, 1e-6 absolute. */
export function expectTrajectoriesClose(actual: Trajectory, expected: Trajectory): void {
  if (actual.length !== expected.length) throw new Error(`${actual.length} steps, expected ${expected.length}`);
  actual.forEach((row, k) =>
    row.forEach((value, i) => {
      const want = expected[k]![i]!;
      if (Math.abs(value - want) > 1e-6 + 2e-6 * Math.abs(want)) {
        throw new Error(`step ${k + 1}, parameter ${i}: got ${value}, reference ${want}`);
      }
    }),
  );
}

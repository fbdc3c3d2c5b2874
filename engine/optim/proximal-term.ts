/**
 * FedProx's proximal term (Li et al. 2020, "Federated Optimization in Heterogeneous Networks", eq. 2):
 * each participant minimizes F_k(w) + (μ/2)·‖w − w_global‖², whose gradient adds μ·(w − w_global) to
 * the loss gradient. The participant's engine applies it after every backward pass, before the
 * optimizer step; the coordinator only sends μ and aggregates as FedAvg does.
 */
import type { ParameterSet } from '../tensor/parameter-set.ts';

/** gradient += mu · (weights − globalWeights), in place. */
export function addProximalGradient(
  gradient: Float32Array,
  weights: Float32Array,
  globalWeights: Float32Array,
  mu: number,
): void {
  if (weights.length !== gradient.length || globalWeights.length !== gradient.length) {
    throw new Error(
      `proximal term needs equal lengths: gradient ${gradient.length}, weights ${weights.length}, global ${globalWeights.length}`,
    );
  }
  if (mu === 0) return;
  for (let i = 0; i < gradient.length; i++) {
    gradient[i] = (gradient[i] as number) + mu * ((weights[i] as number) - (globalWeights[i] as number));
  }
}

/** The same over named gradients (as a training step returns them): each needs its weight and global weight. */
export function addProximalGradients(
  gradients: ReadonlyMap<string, Float32Array>,
  weights: ParameterSet,
  globalWeights: ParameterSet,
  mu: number,
): void {
  for (const [name, gradient] of gradients) {
    const weight = weights.get(name);
    const globalWeight = globalWeights.get(name);
    if (!weight || !globalWeight) throw new Error(`proximal term: no weights for gradient tensor "${name}"`);
    addProximalGradient(gradient, weight.data, globalWeight.data, mu);
  }
}

/** (μ/2)·‖w − w_global‖², the value the gradient above differentiates (for logging the local loss). */
export function proximalTerm(weights: Float32Array, globalWeights: Float32Array, mu: number): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    const difference = (weights[i] as number) - (globalWeights[i] as number);
    sum += difference * difference;
  }
  return (mu / 2) * sum;
}

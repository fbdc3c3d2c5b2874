/**
 * Global-norm gradient clipping (Pascanu, Mikolov, Bengio 2013, "On the difficulty of training recurrent
 * neural networks"): when ‖g‖₂ over all tensors exceeds maxNorm, every tensor is scaled by maxNorm/‖g‖₂.
 */
import type { Gradients } from './optimizer.ts';

/** The L2 norm of all gradients together, summed in float64 so large models do not lose precision. */
export function globalNorm(gradients: Gradients): number {
  let sum = 0;
  for (const gradient of gradients.values()) {
    const n = gradient.length;
    let partial = 0;
    for (let i = 0; i < n; i++) {
      const value = gradient[i]!;
      partial += value * value;
    }
    sum += partial;
  }
  return Math.sqrt(sum);
}

/** Scales the gradients in place; returns the norm before clipping. A non-finite norm is an error. */
export function clipGlobalNorm(gradients: Gradients, maxNorm: number): number {
  if (!(maxNorm > 0)) throw new Error(`maxNorm must be above 0, got ${maxNorm}`);
  const norm = globalNorm(gradients);
  if (!Number.isFinite(norm)) throw new Error(`gradient norm is ${norm}: the loss diverged`);
  if (norm <= maxNorm) return norm;
  const scale = maxNorm / norm;
  for (const gradient of gradients.values()) {
    const n = gradient.length;
    for (let i = 0; i < n; i++) gradient[i] = gradient[i]! * scale;
  }
  return norm;
}

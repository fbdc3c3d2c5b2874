/**
 * Noise calibration: the noise multiplier σ that spends at most a target ε over `steps` steps at
 * `sampleRate`. ε(σ) falls as σ grows, so σ is found by doubling an upper bracket until it meets the
 * target, then bisecting. The returned σ is always the upper end of the bracket, whose ε has been
 * evaluated and is ≤ the target: the answer never overshoots the budget. The search stops once that ε
 * is within `epsilonTolerance` of the target; the default 0.01 is Opacus's (`get_noise_multiplier`),
 * so the results agree with it.
 */
import { epsilonFor } from './accountant.ts';
import { DEFAULT_ORDERS } from './analysis/rdp.ts';
import { validateDelta, validateOrders, validateSampleRate, validateSteps } from './validation.ts';

export interface NoiseCalibrationRequest {
  readonly targetEpsilon: number;
  readonly delta: number;
  readonly sampleRate: number;
  readonly steps: number;
  readonly orders?: readonly number[];
  /** Stop when target − ε(σ) ≤ this (and ε(σ) ≤ target always). Default 0.01. */
  readonly epsilonTolerance?: number;
}

export interface NoiseCalibration {
  readonly noiseMultiplier: number;
  /** ε actually spent at that σ: never above the target. */
  readonly epsilon: number;
}

/** Beyond this σ the target is treated as unreachable (Opacus uses the same bound). */
const MAX_NOISE_MULTIPLIER = 2000;

function validate(request: NoiseCalibrationRequest): void {
  const { targetEpsilon, epsilonTolerance = 0.01 } = request;
  if (typeof targetEpsilon !== 'number' || !Number.isFinite(targetEpsilon) || targetEpsilon <= 0) {
    throw new RangeError(`targetEpsilon must be a finite number > 0 (got ${String(targetEpsilon)})`);
  }
  if (!(epsilonTolerance > 0)) throw new RangeError(`epsilonTolerance must be > 0 (got ${epsilonTolerance})`);
  validateDelta(request.delta);
  validateSampleRate(request.sampleRate);
  validateSteps(request.steps);
  if (request.steps === 0) throw new RangeError('steps must be at least 1 to calibrate noise');
  validateOrders(request.orders ?? DEFAULT_ORDERS);
}

export function noiseMultiplierFor(request: NoiseCalibrationRequest): NoiseCalibration {
  validate(request);
  const { targetEpsilon, delta, sampleRate, steps, orders = DEFAULT_ORDERS, epsilonTolerance = 0.01 } = request;
  const epsilonAt = (noiseMultiplier: number): number =>
    epsilonFor([{ noiseMultiplier, sampleRate, steps }], delta, orders).epsilon;
  let low = 0;
  let high = 10;
  let epsilonHigh = Infinity;
  while (epsilonHigh > targetEpsilon) {
    high *= 2;
    if (high > MAX_NOISE_MULTIPLIER) {
      throw new RangeError(
        `target ε = ${targetEpsilon} at δ = ${delta} is out of reach for ${steps} steps at sample rate ${sampleRate}` +
          ` (even σ = ${MAX_NOISE_MULTIPLIER} spends more)`,
      );
    }
    epsilonHigh = epsilonAt(high);
  }
  while (targetEpsilon - epsilonHigh > epsilonTolerance) {
    const middle = (low + high) / 2;
    if (middle === low || middle === high) break; // the bracket cannot shrink further in float64
    const epsilon = epsilonAt(middle);
    if (epsilon < targetEpsilon) {
      high = middle;
      epsilonHigh = epsilon;
    } else {
      low = middle;
    }
  }
  return { noiseMultiplier: high, epsilon: epsilonHigh };
}

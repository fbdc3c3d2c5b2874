/** Input checks shared by the accountant, the calibration and the CLI: each error names the field and the rule. */
import type { DpStepRecord } from './step-record.ts';

function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : `${typeof value} ${JSON.stringify(value)}`;
}

export function validateNoiseMultiplier(value: unknown, label = 'noiseMultiplier'): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${label} must be a finite number > 0 (got ${describe(value)})`);
  }
}

export function validateSampleRate(value: unknown, label = 'sampleRate'): void {
  if (typeof value !== 'number' || !(value > 0 && value <= 1)) {
    throw new RangeError(`${label} must be in (0, 1] (got ${describe(value)})`);
  }
}

export function validateSteps(value: unknown, label = 'steps'): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${label} must be a non-negative integer (got ${describe(value)})`);
  }
}

export function validateDelta(value: unknown, label = 'delta'): void {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    throw new RangeError(`${label} must be in (0, 1) (got ${describe(value)})`);
  }
}

export function validateOrders(orders: readonly unknown[], label = 'orders'): void {
  if (!Array.isArray(orders) || orders.length === 0) throw new RangeError(`${label} must be a non-empty list`);
  orders.forEach((order, index) => {
    if (typeof order !== 'number' || !(order > 1)) {
      throw new RangeError(`${label}[${index}] must be a number > 1 (got ${describe(order)})`);
    }
  });
}

export function validateStepRecord(step: DpStepRecord, label: string): void {
  if (typeof step !== 'object' || step === null) throw new TypeError(`${label} must be an object`);
  validateNoiseMultiplier(step.noiseMultiplier, `${label}.noiseMultiplier`);
  validateSampleRate(step.sampleRate, `${label}.sampleRate`);
  validateSteps(step.steps, `${label}.steps`);
}

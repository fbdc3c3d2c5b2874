/**
 * The RDP accountant: records the DP-SGD steps taken on one dataset and reports the (ε, δ) they have
 * spent. It only keeps the record; the mathematics is in analysis/ (rdp.ts, rdp-to-dp.ts).
 * Steps with different noise multipliers and sample rates compose by adding their RDP curves
 * (Mironov 2017, Proposition 1), so rounds of different shapes can share one budget.
 */
import { computeRdp, DEFAULT_ORDERS } from './analysis/rdp.ts';
import { epsilonFromRdp } from './analysis/rdp-to-dp.ts';
import type { DpGuarantee } from './analysis/rdp-to-dp.ts';
import type { DpStepRecord } from './step-record.ts';
import { validateDelta, validateOrders, validateStepRecord } from './validation.ts';

export type { DpStepRecord } from './step-record.ts';

export type EpsilonReport = { epsilon: number; order: number; warning?: string };

export class RdpAccountant {
  readonly #history: DpStepRecord[] = [];

  constructor(history: readonly DpStepRecord[] = []) {
    history.forEach((step, index) => this.#append(step, `history[${index}]`));
  }

  /** Adds `steps` steps at this noise multiplier and sample rate (merged with an identical last record). */
  record(step: DpStepRecord): void {
    this.#append(step, 'step');
  }

  /** A copy of the records, in order: JSON-serializable, and enough to rebuild the accountant. */
  history(): DpStepRecord[] {
    return this.#history.map((step) => ({ ...step }));
  }

  getEpsilon(delta: number, orders?: readonly number[]): EpsilonReport {
    return epsilonFor(this.#history, delta, orders);
  }

  #append(step: DpStepRecord, label: string): void {
    validateStepRecord(step, label);
    const { noiseMultiplier, sampleRate, steps } = step;
    if (steps === 0) return;
    const last = this.#history.at(-1);
    if (last && last.noiseMultiplier === noiseMultiplier && last.sampleRate === sampleRate) {
      last.steps += steps;
    } else {
      this.#history.push({ noiseMultiplier, sampleRate, steps });
    }
  }
}

/**
 * ε spent at `delta` by the composition of every record in `history`, minimised over `orders`
 * (Opacus's default orders unless given). An empty history has spent nothing: ε = 0 at order +∞.
 */
export function epsilonFor(
  history: readonly DpStepRecord[],
  delta: number,
  orders: readonly number[] = DEFAULT_ORDERS,
): EpsilonReport {
  validateDelta(delta);
  validateOrders(orders);
  history.forEach((step, index) => validateStepRecord(step, `history[${index}]`));
  if (history.every((step) => step.steps === 0)) return { epsilon: 0, order: Infinity };
  const total = new Array<number>(orders.length).fill(0);
  for (const { noiseMultiplier, sampleRate, steps } of history) {
    computeRdp({ sampleRate, noiseMultiplier, steps, orders }).forEach((rdp, index) => {
      total[index] = (total[index] ?? 0) + rdp;
    });
  }
  return toReport(epsilonFromRdp(orders, total, delta));
}

function toReport({ epsilon, order, warning }: DpGuarantee): EpsilonReport {
  return warning === undefined ? { epsilon, order } : { epsilon, order, warning };
}

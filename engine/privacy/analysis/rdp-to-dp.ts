/**
 * Conversion from RDP to (ε, δ)-DP.
 *
 * B. Balle, G. Barthe, M. Gaboardi, J. Hsu, T. Sato, "Hypothesis Testing Interpretations and Rényi
 * Differential Privacy", AISTATS 2020, arXiv:1905.09982, Theorem 21: a mechanism that is (α, ρ)-RDP
 * is (ε, δ)-DP for
 *     ε = ρ + log((α − 1)/α) − (log δ + log α)/(α − 1).
 * It is tighter than Mironov 2017's ε = ρ + log(1/δ)/(α − 1) at every order. The best order is the
 * one giving the least ε; this is the form Opacus's `get_privacy_spent` uses, so values agree with it.
 * A negative ε (possible only for δ near 1) is reported as 0, which is still a valid bound.
 */

export interface DpGuarantee {
  /** The least ε over the orders. */
  readonly epsilon: number;
  /** The order that attains it. */
  readonly order: number;
  /** Set when the best order is the first or the last one: a wider list could give a smaller ε. */
  readonly warning?: string;
}

/** ε at one order by Balle et al. 2020, Theorem 21 (+∞ when the RDP is infinite). */
export function epsilonAtOrder(rdp: number, order: number, delta: number): number {
  if (rdp === Infinity) return Infinity;
  return rdp + Math.log((order - 1) / order) - (Math.log(delta) + Math.log(order)) / (order - 1);
}

export function epsilonFromRdp(orders: readonly number[], rdp: readonly number[], delta: number): DpGuarantee {
  if (orders.length !== rdp.length) {
    throw new Error(`orders and rdp must have the same length (got ${orders.length} and ${rdp.length})`);
  }
  if (orders.length === 0) throw new Error('at least one order is needed');
  let best = -1;
  let bestEpsilon = Infinity;
  orders.forEach((order, index) => {
    const epsilon = epsilonAtOrder(rdp[index] ?? Number.NaN, order, delta);
    if (!Number.isNaN(epsilon) && (best < 0 || epsilon < bestEpsilon)) {
      best = index;
      bestEpsilon = epsilon;
    }
  });
  if (best < 0) return { epsilon: Infinity, order: Number.NaN, warning: 'no order gives a finite bound' };
  const order = orders[best] ?? Number.NaN;
  if (bestEpsilon === Infinity) return { epsilon: Infinity, order, warning: 'no order gives a finite bound' };
  if (best === 0 || best === orders.length - 1) {
    const end = best === 0 ? 'smallest' : 'largest';
    return {
      epsilon: Math.max(0, bestEpsilon),
      order,
      warning: `the best order (${order}) is the ${end} one: widen the list of orders for a tighter ε`,
    };
  }
  return { epsilon: Math.max(0, bestEpsilon), order };
}

/**
 * A federation's consent policy: always ask a person, or approve automatically when every limit holds.
 * Evaluation returns the reasons a contribution falls outside the limits, so a person sees why they were asked.
 */
export interface ConsentLimits {
  /** Largest ε this round may spend. */
  readonly maxEpsilonRound?: number;
  /** Largest L2 norm of the update. */
  readonly maxUpdateNorm?: number;
  /** Dataset ids this federation may be sent updates from; absent = any registered dataset. */
  readonly allowedDatasets?: string[];
  /** Local hours [from, to) in which automatic approval is allowed; from > to wraps past midnight. */
  readonly hours?: { readonly from: number; readonly to: number };
}

/** Evaluation metrics are computed without noise, outside the DP guarantee: a site may keep them. */
export type MetricsSharing = 'share' | 'withhold';

export interface ConsentPolicy {
  readonly mode: 'ask' | 'auto';
  readonly limits: ConsentLimits;
  /** Whether each round's held-out evaluation is sent to the coordinator; absent = share. */
  readonly metrics?: MetricsSharing;
}

export const askEveryTime: ConsentPolicy = { mode: 'ask', limits: {} };

export function sharesMetrics(policy: ConsentPolicy): boolean {
  return (policy.metrics ?? 'share') === 'share';
}

export interface PolicySubject {
  readonly epsilonRound: number;
  readonly l2Norm: number;
  readonly datasetId: string;
}

function inHours(hour: number, hours: { from: number; to: number }): boolean {
  return hours.from <= hours.to ? hour >= hours.from && hour < hours.to : hour >= hours.from || hour < hours.to;
}

/** Reasons the policy does not approve automatically; empty means it does. */
export function policyObjections(policy: ConsentPolicy, subject: PolicySubject, now: Date): string[] {
  if (policy.mode === 'ask') return ['the policy asks a person every time'];
  const { maxEpsilonRound, maxUpdateNorm, allowedDatasets, hours } = policy.limits;
  const objections: string[] = [];
  if (maxEpsilonRound !== undefined && subject.epsilonRound > maxEpsilonRound)
    objections.push(`ε this round ${subject.epsilonRound.toFixed(4)} exceeds the automatic limit ${maxEpsilonRound}`);
  if (maxUpdateNorm !== undefined && subject.l2Norm > maxUpdateNorm)
    objections.push(`update L2 norm ${subject.l2Norm.toFixed(4)} exceeds the automatic limit ${maxUpdateNorm}`);
  if (allowedDatasets && !allowedDatasets.includes(subject.datasetId))
    objections.push(`dataset ${subject.datasetId} is not among the datasets allowed automatically`);
  if (hours && !inHours(now.getHours(), hours))
    objections.push(
      `automatic approval is allowed only from ${hours.from}:00 to ${hours.to}:00 (now ${now.getHours()}:00)`,
    );
  return objections;
}

export function validatePolicy(policy: ConsentPolicy): ConsentPolicy {
  const { hours, maxEpsilonRound, maxUpdateNorm } = policy.limits;
  if (policy.metrics !== undefined && policy.metrics !== 'share' && policy.metrics !== 'withhold')
    throw new Error(`metrics must be "share" or "withhold", got ${JSON.stringify(policy.metrics)}`);
  if (hours && [hours.from, hours.to].some((h) => !Number.isInteger(h) || h < 0 || h > 24))
    throw new Error(`hours must be whole hours 0..24, got ${hours.from}..${hours.to}`);
  if (maxEpsilonRound !== undefined && !(maxEpsilonRound > 0)) throw new Error('maxEpsilonRound must be positive');
  if (maxUpdateNorm !== undefined && !(maxUpdateNorm > 0)) throw new Error('maxUpdateNorm must be positive');
  return policy;
}

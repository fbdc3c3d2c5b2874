/**
 * The checks a managed policy makes on a person's requests. Each refusal names the policy file, so that the
 * person knows the rule is the institution's, and where IT keeps it.
 */
import type { ConsentPolicy } from '../consent/consent-policy.ts';
import type { ManagedConsent, ManagedPolicy } from './managed-policy-schema.ts';

export class ManagedPolicyError extends Error {
  readonly policyFile: string;
  constructor(policyFile: string, refusal: string) {
    super(`${refusal}: refused by the managed policy ${policyFile}`);
    this.name = 'ManagedPolicyError';
    this.policyFile = policyFile;
  }
}

export function refuseBudgetAbovePolicy(policy: ManagedPolicy | undefined, epsilon: number): void {
  const max = policy?.maxEpsilonBudget;
  if (policy && max !== undefined && epsilon > max)
    throw new ManagedPolicyError(policy.file, `an ε budget of ${epsilon} is above the largest allowed, ${max}`);
}

/** The budget that counts: the stored one, or the policy's largest when that is smaller. */
export function effectiveBudget(policy: ManagedPolicy | undefined, epsilon: number): number {
  const max = policy?.maxEpsilonBudget;
  return max === undefined ? epsilon : Math.min(epsilon, max);
}

function looserLimits(managed: ManagedConsent, limits: ConsentPolicy['limits']): string[] {
  const looser: string[] = [];
  for (const key of ['maxEpsilonRound', 'maxUpdateNorm'] as const) {
    const cap = managed[key];
    const asked = limits[key];
    if (cap !== undefined && (asked === undefined || asked > cap))
      looser.push(`${key} ${asked ?? '(no limit)'} is looser than the managed limit ${cap}`);
  }
  return looser;
}

/** With onlyPresetFederations, enrolment is refused for a coordinator that no preset federation names. */
export function refuseUnlistedCoordinator(policy: ManagedPolicy | undefined, address: string): void {
  if (!policy?.onlyPresetFederations) return;
  if (policy.federations.some((federation) => federation.coordinator === address)) return;
  const listed = policy.federations.map((federation) => federation.coordinator).join(', ') || 'none';
  throw new ManagedPolicyError(
    policy.file,
    `enrolment is allowed only with a preset federation (${listed}), not ${address}`,
  );
}

/** Refuses a federation's consent policy that would approve automatically where the managed one does not. */
export function refuseLooserConsentPolicy(policy: ManagedPolicy | undefined, consent: ConsentPolicy): void {
  const managed = policy?.consent;
  if (!policy || !managed || consent.mode === 'ask') return;
  if (!managed.automaticApproval)
    throw new ManagedPolicyError(policy.file, 'automatic approval is not allowed on this workstation');
  const looser = looserLimits(managed, consent.limits);
  if (looser.length > 0) throw new ManagedPolicyError(policy.file, looser.join('; '));
}

/**
 * The managed consent limits as a policy of their own: a contribution is approved automatically only when the
 * federation's policy AND this one both allow it (a looser policy stored before the file was deployed included).
 */
export function managedConsentPolicy(policy: ManagedPolicy | undefined): ConsentPolicy | undefined {
  const managed = policy?.consent;
  if (!managed) return undefined;
  if (!managed.automaticApproval) return { mode: 'ask', limits: {} };
  const { maxEpsilonRound, maxUpdateNorm, hours } = managed;
  return { mode: 'auto', limits: { maxEpsilonRound, maxUpdateNorm, hours } };
}

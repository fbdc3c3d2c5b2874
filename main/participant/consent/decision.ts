/**
 * The outcome of a consent decision, as a value the round runner acts on without parsing text: approved by
 * someone, declined for a reason the coordinator understands, or expired at the round deadline.
 */
import type { Contribution } from './contribution.ts';

export type Decision =
  | { readonly kind: 'approved'; readonly by: string }
  | {
      readonly kind: 'declined';
      readonly reason: 'consent_refused' | 'budget_exhausted';
      readonly by: string;
      readonly detail: string;
    }
  | { readonly kind: 'expired'; readonly detail: string };

/** The decider of a decline forced by the privacy budget (the approval would have overrun it). */
export const budgetDecider = 'budget';

/** Where a decision lands on its round: `record` runs inside the decision's transaction (throwing aborts it). */
export interface DecisionRecorder {
  record(contribution: Contribution, decision: Decision): void;
  /** After the decision committed: the round runner of this process, if any, continues the round. */
  committed(contribution: Contribution, decision: Decision): void;
}

export function declined(
  reason: 'consent_refused' | 'budget_exhausted',
  by: string,
  comment?: string | null,
): Decision {
  return { kind: 'declined', reason, by, detail: `declined by ${by}${comment ? `: ${comment}` : ''}` };
}

export function expired(deadline: string): Decision {
  return { kind: 'expired', detail: `not approved before the round deadline ${deadline}` };
}

/** The decision a decided contribution stands for (undefined while it is pending). */
export function decisionOf(contribution: Contribution): Decision | undefined {
  const by = contribution.decidedBy ?? 'unknown';
  switch (contribution.status) {
    case 'approved':
      return { kind: 'approved', by };
    case 'declined':
      return declined(by === budgetDecider ? 'budget_exhausted' : 'consent_refused', by, contribution.comment);
    case 'expired':
      return expired(contribution.summary.deadline);
    default:
      return undefined;
  }
}

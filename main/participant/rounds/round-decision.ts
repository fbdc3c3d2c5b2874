/**
 * Records a consent decision on its round, inside the decision's transaction: the round becomes approved
 * (with its stable upload id), declined or expired together with the approval record and the ε debit.
 * Registered by every participant node, so a decision taken in any process (the CLI, the UI) moves the round.
 */
import { randomUUID } from 'node:crypto';
import type { Contribution } from '../consent/contribution.ts';
import type { RoundStore } from './round-store.ts';

export function recordDecision(store: RoundStore, contribution: Contribution): void {
  const round = store.get(contribution.roundKey);
  if (round?.state !== 'awaiting_approval') return;
  const who = contribution.decidedBy ?? 'unknown';
  if (contribution.status === 'approved') {
    store.setState(round.roundKey, 'approved', { upload_id: randomUUID(), reason: null });
  } else if (contribution.status === 'declined') {
    const comment = contribution.comment ? `: ${contribution.comment}` : '';
    store.setState(round.roundKey, 'declined', { reason: `declined by ${who}${comment}` });
  } else if (contribution.status === 'expired') {
    store.setState(round.roundKey, 'expired', {
      reason: `not approved before the round deadline ${contribution.summary.deadline}`,
    });
  }
}

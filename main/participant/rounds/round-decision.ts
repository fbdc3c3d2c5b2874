/**
 * Where consent decisions land on rounds. Inside the decision's transaction the round becomes approved
 * (with its stable upload id), declined or expired together with the approval record and the ε debit; every
 * participant node records this, so a decision taken in any process (the CLI, the UI) moves the round. After
 * the commit, the round runner of this process (if one is attached) is told directly and continues the round.
 */
import { randomUUID } from 'node:crypto';
import type { Contribution } from '../consent/contribution.ts';
import type { Decision, DecisionRecorder } from '../consent/decision.ts';
import type { RoundRecord, RoundStore } from './round-store.ts';

/** The round runner, as the decision path sees it. */
export interface DecidedRounds {
  decided(round: RoundRecord, decision: Decision): void;
}

export function recordDecision(store: RoundStore, contribution: Contribution, decision: Decision): void {
  const round = store.get(contribution.roundKey);
  if (round?.state !== 'awaiting_approval') return;
  if (decision.kind === 'approved') {
    store.setState(round.roundKey, 'approved', { upload_id: randomUUID(), reason: null, decline_reason: null });
  } else if (decision.kind === 'declined') {
    store.setState(round.roundKey, 'declined', { reason: decision.detail, decline_reason: decision.reason });
  } else {
    store.setState(round.roundKey, 'expired', { reason: decision.detail, decline_reason: 'expired' });
  }
}

export class RoundDecisions implements DecisionRecorder {
  readonly store: RoundStore;
  #runner: DecidedRounds | undefined;

  constructor(store: RoundStore) {
    this.store = store;
  }

  get hasRunner(): boolean {
    return this.#runner !== undefined;
  }

  /** One runner per node: two would both act on the same decisions. */
  attach(runner: DecidedRounds): void {
    if (this.#runner) throw new Error('this participant node already has a round runner');
    this.#runner = runner;
  }

  record(contribution: Contribution, decision: Decision): void {
    recordDecision(this.store, contribution, decision);
  }

  committed(contribution: Contribution, decision: Decision): void {
    const round = this.store.get(contribution.roundKey);
    if (round) this.#runner?.decided(round, decision);
  }
}

/**
 * The participant's round state machine (docs/architecture.md "A round and its four invariants"). Each transition
 * is persisted with its audit entry in one transaction, so after a crash `resume()` continues every round
 * from its last committed state: nothing is uploaded twice (stable upload id), no audit entry is lost or
 * repeated, and the ledger is never debited twice nor refunded.
 */
import { decisionOf, type Decision } from '../consent/decision.ts';
import { DatasetUnavailableError } from '../datasets/dataset-registry.ts';
import type { DeclineReason, RoundTask } from '../coordinator-client/federation-link.ts';
import { createRoundContext, type RoundContext, type RoundRunnerDependencies } from './round-context.ts';
import { maskUpdate, PermanentRoundFailure, recordUploadIntent, upload } from './round-delivery.ts';
import { closeReceiptedAndReport } from './evaluation-report.ts';
import { acceptRound, openApproval, prepareUpdate, RoundRefusal } from './round-preparation.ts';
import { approvedStates, roundKeyOf, terminalStates } from './round-state.ts';
import { RoundStore, type RoundRecord } from './round-store.ts';
import { recordDecision, type DecidedRounds } from './round-decision.ts';
import { WaitingRounds } from './waiting-rounds.ts';

/** How a round that ends without a receipt closes, in the protocol's terms. */
type RoundClosure =
  | {
      readonly state: 'declined';
      // 'failed': the task itself cannot be taken (an update encoding this participant does not write).
      readonly reason: 'consent_refused' | 'budget_exhausted' | 'dataset_unavailable' | 'failed';
    }
  | { readonly state: 'expired'; readonly reason: 'expired' }
  | { readonly state: 'failed'; readonly reason: 'failed' };

export class RoundRunner implements DecidedRounds {
  readonly context: RoundContext;
  readonly inFlight = new Map<string, Promise<RoundRecord>>();
  readonly waiting: WaitingRounds;

  constructor(deps: RoundRunnerDependencies) {
    this.context = createRoundContext(deps, new RoundStore(deps.db));
    this.waiting = new WaitingRounds({
      db: deps.db,
      log: deps.log,
      onDeadline: (roundKey) => this.#continue(roundKey, 'the round deadline passed'),
      onForeignCommit: (roundKey) => this.#catchUp(roundKey),
    });
  }

  rounds(): RoundRecord[] {
    return this.context.store.list();
  }

  round(roundKey: string): RoundRecord | undefined {
    return this.context.store.get(roundKey);
  }

  /** Records the invitation (once) and runs the round as far as it can go. */
  async handle(task: RoundTask): Promise<RoundRecord> {
    const roundKey = roundKeyOf(task.federationId, task.roundId);
    if (!this.context.store.get(roundKey)) {
      this.context.db.transaction(() => {
        this.context.store.insert(roundKey, task);
        this.context.audit.append('invitation', {
          roundKey,
          federationId: task.federationId,
          coordinator: task.coordinator,
          roundId: task.roundId,
          roundNumber: task.roundNumber,
          modelSha256: task.modelSha256,
          dp: task.dp,
          deadline: task.deadline,
        });
      })();
      this.context.log.info('round invited', { federationId: task.federationId, roundKey });
      this.emitState(this.context.store.require(roundKey));
    }
    return this.advance(roundKey);
  }

  /** After a restart: continues every round that is not finished. */
  async resume(): Promise<RoundRecord[]> {
    const open = this.rounds().filter((round) => !terminalStates.has(round.state));
    const results: RoundRecord[] = [];
    for (const round of open) results.push(await this.advance(round.roundKey));
    return results;
  }

  /** After a restart, unattended: continues each unfinished round in turn; a failure is logged with its round. */
  async resumeEach(): Promise<void> {
    for (const round of this.rounds().filter((candidate) => !terminalStates.has(candidate.state)))
      await this.advance(round.roundKey).catch((error: unknown) => this.#logFailure('resuming', round.roundKey, error));
  }

  /** Runs a round until it finishes or waits for a person; one run per round at a time. */
  advance(roundKey: string): Promise<RoundRecord> {
    const running = this.inFlight.get(roundKey);
    if (running) return running;
    // Registered before the run starts: a decision made inside it re-enters here and must find it.
    const run = Promise.resolve()
      .then(() => this.run(roundKey))
      .finally(() => this.inFlight.delete(roundKey));
    this.inFlight.set(roundKey, run);
    return run;
  }

  /** Told by the consent desk (through the round's decision recorder) once a decision committed. */
  decided(round: RoundRecord, decision: Decision): void {
    this.waiting.done(round.roundKey);
    this.emitState(round);
    // A run in flight logs the transition itself (a policy approval is decided inside the run).
    if (!this.inFlight.has(round.roundKey)) this.#logState(round);
    if (decision.kind === 'approved') this.#continue(round.roundKey, 'continuing an approved round');
    else {
      const reason = decision.kind === 'expired' ? 'expired' : decision.reason;
      void this.tellCoordinator(round, reason, decision.detail);
    }
  }

  /** Stops waiting for decisions and deadlines (the node is closing). */
  stop(): void {
    this.waiting.stop();
  }

  private async run(roundKey: string): Promise<RoundRecord> {
    this.#startSecAgg(this.context.store.require(roundKey));
    for (;;) {
      const round = this.context.store.require(roundKey);
      if (terminalStates.has(round.state)) return round;
      try {
        const moved = await this.step(round);
        this.#logState(this.context.store.require(roundKey), round.state);
        if (!moved) return this.context.store.require(roundKey);
      } catch (error) {
        await this.fail(round, error);
        const after = this.context.store.require(roundKey);
        this.#logState(after, round.state);
        if (!terminalStates.has(after.state)) throw error;
      }
    }
  }

  /** Performs one transition; false when the round must wait (for a person). */
  private async step(round: RoundRecord): Promise<boolean> {
    const context = this.context;
    const decidedByConsent = round.state === 'awaiting_approval';
    if (
      !approvedStates.has(round.state) &&
      !decidedByConsent &&
      Date.parse(round.task.deadline) <= context.clock().getTime()
    ) {
      const detail = `the round deadline ${round.task.deadline} passed`;
      await this.close(round, { state: 'expired', reason: 'expired' }, detail);
      return true;
    }
    switch (round.state) {
      case 'invited':
        acceptRound(context, round);
        return true;
      case 'accepted':
      case 'downloaded':
      case 'training':
        await prepareUpdate(context, round);
        return true;
      case 'update_ready':
        openApproval(context, round);
        return true;
      case 'awaiting_approval':
        return this.seekApproval(round);
      case 'approved':
        if (round.task.secureAggregation) await maskUpdate(context, round);
        else recordUploadIntent(context, round);
        return true;
      case 'masked':
        recordUploadIntent(context, round);
        return true;
      case 'uploading':
        await upload(context, round);
        return true;
      case 'uploaded':
        return closeReceiptedAndReport(context, round);
      default:
        return false;
    }
  }

  /** The policy approves when its limits hold; otherwise the contribution waits for a person. */
  private seekApproval(round: RoundRecord): boolean {
    const consent = this.context.consent;
    consent.expireOverdue(this.context.clock());
    const contribution = consent.require(round.contributionId ?? '');
    const decision = decisionOf(contribution);
    if (decision && this.context.store.require(round.roundKey).state === 'awaiting_approval') {
      // Decided where no node recorded it on the round (an older writer): record it now, and act on it.
      this.context.db.transaction(() => recordDecision(this.context.store, contribution, decision))();
      this.decided(this.context.store.require(round.roundKey), decision);
    }
    if (decision) return true;
    if (consent.objections(contribution, this.context.clock()).length === 0) {
      consent.approve(contribution.id, { by: `policy:${round.task.federationId}` }, this.context.clock());
      return true;
    }
    const waiting = consent.pending(this.context.clock());
    this.context.events.emit('approvals.waiting', { count: waiting.length, contributionIds: waiting.map((c) => c.id) });
    this.waiting.wait(round.roundKey, round.task.deadline, this.context.clock());
    return false;
  }

  /** Another process committed: if it decided this waiting round, act on the decision here. */
  #catchUp(roundKey: string): void {
    const round = this.context.store.get(roundKey);
    const contribution = round?.contributionId ? this.context.consent.get(round.contributionId) : undefined;
    const decision = contribution && decisionOf(contribution);
    if (!round || !decision) return;
    if (round.state === 'awaiting_approval') return this.#continue(roundKey, 'recording a decision made elsewhere');
    this.decided(round, decision);
  }

  /** Runs the round on in the background; a failure is logged with the round, never dropped. */
  #continue(roundKey: string, why: string): void {
    this.advance(roundKey).catch((error: unknown) => this.#logFailure(why, roundKey, error));
  }

  #logFailure(why: string, roundKey: string, error: unknown): void {
    const federationId = this.context.store.get(roundKey)?.task.federationId;
    this.context.log.error(`round step failed (${why})`, error, { federationId, roundKey });
  }

  /** The secure-aggregation stages must run from the moment a round that uses them is taken on. */
  #startSecAgg(round: RoundRecord): void {
    if (!round.task.secureAggregation || terminalStates.has(round.state)) return;
    try {
      this.context.secAgg?.roundSeen(round.task);
    } catch (error) {
      const { federationId } = round.task;
      this.context.log.error('cannot start the secure-aggregation stages', error, {
        federationId,
        roundKey: round.roundKey,
      });
    }
  }

  /** Before approval a failure ends the round; after it, the round stays resumable (ε is spent either way). */
  private async fail(stale: RoundRecord, error: unknown): Promise<void> {
    const round = this.context.store.require(stale.roundKey);
    // Already closed by the step that failed (a budget overrun at approval declines the contribution).
    if (terminalStates.has(round.state)) return;
    const message = error instanceof Error ? error.message : String(error);
    const fields = { federationId: round.task.federationId, roundKey: round.roundKey, state: round.state };
    if (error instanceof RoundRefusal) return this.close(round, { state: 'declined', reason: error.reason }, message);
    const retryable = !(error instanceof PermanentRoundFailure);
    if (
      retryable &&
      approvedStates.has(round.state) &&
      Date.parse(round.task.deadline) > this.context.clock().getTime()
    ) {
      this.context.log.error('round step failed; the round stays resumable', error, fields);
      this.context.store.setState(round.roundKey, round.state, { reason: message });
      return;
    }
    if (error instanceof DatasetUnavailableError)
      return this.close(round, { state: 'declined', reason: 'dataset_unavailable' }, message);
    this.context.log.error('round failed', error, fields);
    await this.close(round, { state: 'failed', reason: 'failed' }, message);
  }

  private async close(round: RoundRecord, closure: RoundClosure, message: string) {
    this.waiting.done(round.roundKey);
    this.context.transition(round.roundKey, closure.state, {
      changes: { reason: message, decline_reason: closure.reason },
      audit: ['round.closed', { outcome: closure.state, declineReason: closure.reason, detail: message }],
    });
    if (!approvedStates.has(round.state)) await this.tellCoordinator(round, closure.reason, message);
  }

  private async tellCoordinator(round: RoundRecord, reason: DeclineReason, detail: string): Promise<void> {
    try {
      await this.context.link.decline(round.task, reason, detail);
    } catch (error) {
      // The coordinator also learns it at the deadline; the round's outcome is recorded locally.
      const fields = { federationId: round.task.federationId, roundKey: round.roundKey, declineReason: reason };
      this.context.log.warn('could not tell the coordinator why the round closed', {
        ...fields,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  #logState(round: RoundRecord, before?: string): void {
    if (round.state === before) return;
    const { federationId } = round.task;
    const fields = { federationId, roundKey: round.roundKey, state: round.state, declineReason: round.declineReason };
    this.context.log.info('round state', round.reason ? { ...fields, reason: round.reason } : fields);
  }

  private emitState(round: RoundRecord): void {
    const { federationId, roundId } = round.task;
    this.context.events.emit('round.state', {
      roundKey: round.roundKey,
      federationId,
      roundId,
      state: round.state,
      reason: round.reason,
    });
  }
}

/**
 * The participant's round state machine (docs/architecture.md "A round and its four invariants"). Each transition
 * is persisted with its audit entry in one transaction, so after a crash `resume()` continues every round
 * from its last committed state: nothing is uploaded twice (stable upload id), no audit entry is lost or
 * repeated, and the ledger is never debited twice nor refunded.
 */
import type { Contribution } from '../consent/contribution.ts';
import type { DeclineReason, RoundTask } from '../coordinator-client/federation-link.ts';
import { createRoundContext, type RoundContext, type RoundRunnerDependencies } from './round-context.ts';
import { closeReceipted, maskUpdate, PermanentRoundFailure, recordUploadIntent, upload } from './round-delivery.ts';
import { acceptRound, openApproval, prepareUpdate, RoundRefusal } from './round-preparation.ts';
import { approvedStates, roundKeyOf, terminalStates } from './round-state.ts';
import { RoundStore, type RoundRecord } from './round-store.ts';
import { DecisionWatch } from './decision-watch.ts';
import { recordDecision } from './round-decision.ts';

export class RoundRunner {
  readonly context: RoundContext;
  readonly inFlight = new Map<string, Promise<RoundRecord>>();
  readonly watch: DecisionWatch;

  constructor(deps: RoundRunnerDependencies) {
    this.context = createRoundContext(deps, new RoundStore(deps.db));
    deps.consent.afterDecision.push((contribution) => this.afterDecision(contribution));
    this.watch = new DecisionWatch(
      this.context.store,
      deps.decisionPollMs ?? 2000,
      (round) => this.onDecided(round),
      (roundKey) => void this.advance(roundKey).catch(() => undefined),
    );
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

  /** Polls the federation once and handles the task it gives, if any. */
  async pollOnce(signal?: AbortSignal): Promise<RoundRecord | undefined> {
    const task = await this.context.link.pollTask(signal);
    return task ? this.handle(task) : undefined;
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

  private async run(roundKey: string): Promise<RoundRecord> {
    for (;;) {
      const round = this.context.store.require(roundKey);
      if (terminalStates.has(round.state)) return round;
      try {
        if (!(await this.step(round))) return this.context.store.require(roundKey);
      } catch (error) {
        await this.fail(round, error);
        const after = this.context.store.require(roundKey);
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
      await this.close(round, 'expired', 'expired', `the round deadline ${round.task.deadline} passed`);
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
        closeReceipted(context, round);
        return true;
      default:
        return false;
    }
  }

  /** The policy approves when its limits hold; otherwise the contribution waits for a person. */
  private seekApproval(round: RoundRecord): boolean {
    const consent = this.context.consent;
    consent.expireOverdue(this.context.clock());
    const contribution = consent.require(round.contributionId ?? '');
    if (contribution.status !== 'pending') {
      // Decided where no node recorded it on the round (an older or foreign writer): record it now.
      this.context.db.transaction(() => recordDecision(this.context.store, contribution))();
      this.watch.forget(round.roundKey);
      return true;
    }
    if (consent.objections(contribution, this.context.clock()).length === 0) {
      consent.approve(contribution.id, { by: `policy:${round.task.federationId}` }, this.context.clock());
      return true;
    }
    const waiting = consent.pending(this.context.clock());
    this.context.events.emit('approvals.waiting', { count: waiting.length, contributionIds: waiting.map((c) => c.id) });
    this.watch.watch(round, this.context.clock());
    return false;
  }

  /** Stops watching for decisions and deadlines (the node is closing). */
  stop(): void {
    this.watch.stop();
  }

  private afterDecision(contribution: Contribution): void {
    const round = this.context.store.get(contribution.roundKey);
    if (!round) return;
    this.watch.forget(round.roundKey);
    this.onDecided(round);
  }

  private onDecided(round: RoundRecord): void {
    this.emitState(round);
    if (round.state === 'declined') {
      const reason = round.reason?.startsWith('declined by budget') ? 'budget_exhausted' : 'consent_refused';
      void this.tellCoordinator(round, reason, round.reason ?? 'declined');
    }
    if (round.state === 'expired') void this.tellCoordinator(round, 'expired', round.reason ?? 'expired');
    if (round.state === 'approved') void this.advance(round.roundKey).catch(() => undefined);
  }

  /** Before approval a failure ends the round; after it, the round stays resumable (ε is spent either way). */
  private async fail(stale: RoundRecord, error: unknown): Promise<void> {
    const round = this.context.store.require(stale.roundKey);
    // Already closed by the step that failed (a budget overrun at approval declines the contribution).
    if (terminalStates.has(round.state)) return;
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof RoundRefusal) return this.close(round, 'declined', error.reason, message);
    const retryable = !(error instanceof PermanentRoundFailure);
    if (
      retryable &&
      approvedStates.has(round.state) &&
      Date.parse(round.task.deadline) > this.context.clock().getTime()
    ) {
      this.context.store.setState(round.roundKey, round.state, { reason: message });
      return;
    }
    const reason =
      error instanceof Error && error.name === 'DatasetUnavailableError' ? 'dataset_unavailable' : 'failed';
    await this.close(round, reason === 'failed' ? 'failed' : 'declined', reason, message);
  }

  private async close(
    round: RoundRecord,
    state: 'declined' | 'expired' | 'failed',
    reason: DeclineReason,
    message: string,
  ) {
    this.context.transition(round.roundKey, state, {
      changes: { reason: message },
      audit: ['round.closed', { outcome: state, declineReason: reason, detail: message }],
    });
    if (!approvedStates.has(round.state)) await this.tellCoordinator(round, reason, message);
  }

  private async tellCoordinator(round: RoundRecord, reason: DeclineReason, detail: string): Promise<void> {
    try {
      await this.context.link.decline(round.task, reason, detail);
    } catch {
      // The coordinator also learns it at the deadline; the round's outcome is recorded locally.
    }
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

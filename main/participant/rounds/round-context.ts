/** Everything the round runner's steps share: its services, the round store and the event bus. */
import type { AuditLog } from '../audit/audit-log.ts';
import type { ConsentDesk } from '../consent/consent-desk.ts';
import type { DatasetRegistry } from '../datasets/dataset-registry.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { FederationLink, RoundTask } from '../coordinator-client/federation-link.ts';
import type { ParticipantLog } from '../logging/participant-log.ts';
import type { PrivacyLedger } from '../privacy/privacy-ledger.ts';
import { withFullSync, type SqliteDatabase } from '../store/participant-database.ts';
import type { LocalTrainer, UpdateMasker } from './local-trainer.ts';
import type { RoundChanges, RoundStore } from './round-store.ts';
import { ErrorFeedbackStore } from './error-feedback-store.ts';
import type { RoundState } from './round-state.ts';
import type { AuditKind } from '../audit/audit-log.ts';

export interface RoundRunnerDependencies {
  readonly db: SqliteDatabase;
  readonly audit: AuditLog;
  readonly datasets: DatasetRegistry;
  readonly ledger: PrivacyLedger;
  readonly consent: ConsentDesk;
  readonly link: RoundLink;
  readonly trainer: LocalTrainer;
  readonly mask?: UpdateMasker;
  readonly events: EventBus;
  /** Keep a copy of every sent payload for inspection (retained_payloads); off by default. */
  readonly retainPayloads?: boolean;
  readonly now?: () => Date;
  readonly log: ParticipantLog;
  /** Started for every round taken on whose task asks for secure aggregation. */
  readonly secAgg?: SecAggStarter;
}

/** What a round needs from its coordinator (polling for tasks is the participation loop's). */
export type RoundLink = Omit<FederationLink, 'pollTask'>;

export interface SecAggStarter {
  roundSeen(task: RoundTask): void;
}

export interface RoundContext extends RoundRunnerDependencies {
  readonly store: RoundStore;
  /** The error-feedback residual of compressed updates, per federation. */
  readonly feedback: ErrorFeedbackStore;
  readonly clock: () => Date;
  /**
   * Commits a state change, its audit entry (if any) and `within` in one transaction, then emits
   * round.state. With durable, the commit is fsync'd before it returns (used before bytes leave).
   */
  transition(roundKey: string, state: RoundState, step?: TransitionStep): void;
}

export interface TransitionStep {
  readonly changes?: RoundChanges;
  readonly audit?: [AuditKind, Record<string, unknown>];
  readonly within?: () => void;
  readonly durable?: boolean;
}

export function createRoundContext(deps: RoundRunnerDependencies, store: RoundStore): RoundContext {
  const emit = (roundKey: string) => {
    const round = store.require(roundKey);
    deps.events.emit('round.state', {
      roundKey,
      federationId: round.task.federationId,
      roundId: round.task.roundId,
      state: round.state,
      reason: round.reason,
    });
  };
  const commit = (roundKey: string, state: RoundState, step: TransitionStep) =>
    deps.db.transaction(() => {
      step.within?.();
      store.setState(roundKey, state, step.changes);
      if (step.audit) deps.audit.append(step.audit[0], { roundKey, state, ...step.audit[1] });
    })();
  return {
    ...deps,
    store,
    feedback: new ErrorFeedbackStore(deps.db, deps.log),
    clock: deps.now ?? (() => new Date()),
    transition: (roundKey, state, step = {}) => {
      if (deps.db.inTransaction) throw new Error('a round transition must be its own transaction');
      if (step.durable) withFullSync(deps.db, () => commit(roundKey, state, step));
      else commit(roundKey, state, step);
      emit(roundKey);
    },
  };
}

/**
 * How every round ends, plain or securely aggregated: either with a checkpoint (the round closes as
 * "aggregated" and the next round opens from it) or without one (the round closes with its reason and
 * is tried again from the same global model). Each is one transaction, so a restarted coordinator finds
 * either the old round still open or the closed round and its successor, never a gap between them.
 */
import { randomUUID } from 'node:crypto';
import type { CoordinatorConfig } from '../config/coordinator-config.ts';
import type { CoordinatorStore } from '../store/coordinator-store.ts';
import type { CheckpointRow, RoundRow } from '../store/rows.ts';
import type { Strategy } from '../strategies/strategy.ts';
import type { RoundLog } from './round-log.ts';

export interface RoundServices {
  readonly config: CoordinatorConfig;
  readonly store: CoordinatorStore;
  readonly strategy: Strategy;
  readonly log: RoundLog;
  readonly checkpointsDir: string;
  /** Told after each round closed with a new global model (the coordinator's own evaluation). */
  readonly onAggregated?: (round: RoundRow, checkpoint: CheckpointRow) => void;
}

/** Round `number`, open now and starting from the checkpoint of round number − 1. */
export function openRound(store: CoordinatorStore, config: CoordinatorConfig, number: number): RoundRow {
  const model = store.checkpoint(number - 1);
  if (!model) throw new Error(`round ${number} has no starting checkpoint (round ${number - 1})`);
  const openedAt = Date.now();
  return {
    id: randomUUID(),
    number,
    state: 'open',
    openedAt,
    deadlineAt: openedAt + config.roundDeadlineSeconds * 1000,
    modelPath: model.path,
    modelSha256: model.sha256,
    modelBytes: model.bytes,
    outcome: null,
    closedAt: null,
  };
}

/** Records the checkpoint and the strategy's state, closes the round and opens the next, if any. */
export function finishRound(
  round: RoundRow,
  checkpoint: CheckpointRow,
  services: RoundServices,
  logFields: Record<string, unknown>,
): void {
  const { store, config, strategy, log } = services;
  store.db.transaction(() => {
    store.finishRound(round.id, checkpoint, JSON.stringify(strategy.saveState() ?? null), undefined);
    // Opened after the checkpoint row exists: the next round starts from it.
    if (round.number < config.rounds) store.insertRound(openRound(store, config, round.number + 1));
  })();
  log.event(round.number, round.id, 'closed', {
    outcome: 'aggregated',
    ...logFields,
    checkpointSha256: checkpoint.sha256,
  });
  services.onAggregated?.(round, checkpoint);
}

/** The round closes without a checkpoint; the next one, with the same number, starts from the same model. */
export function retryRound(
  round: RoundRow,
  services: RoundServices,
  outcome: string,
  logFields: Record<string, unknown> = {},
): void {
  const { store, config, log } = services;
  log.event(round.number, round.id, 'closed', { outcome, ...logFields });
  store.db.transaction(() => {
    store.setRoundState(round.id, 'closed', outcome);
    store.insertRound(openRound(store, config, round.number));
  })();
}

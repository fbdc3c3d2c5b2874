/**
 * How a round of a securely aggregating federation closes: the masked-input stage is closed, unmask
 * runs, and the strategy gets one result — the unmasked mean — from which it writes the checkpoint.
 * Below the threshold the round closes as "secure_aggregation_aborted: <reason>" and the next round
 * starts from the same global model; no checkpoint is written.
 */
import { rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readSafetensorsFile, writeSafetensorsFile } from '../../engine/codec/safetensors.ts';
import type { CoordinatorConfig } from '../config/coordinator-config.ts';
import { fileSha256 } from '../rounds/aggregate-round.ts';
import type { RoundLog } from '../rounds/round-log.ts';
import type { CoordinatorStore } from '../store/coordinator-store.ts';
import type { CheckpointRow, RoundRow } from '../store/rows.ts';
import type { ClientResult, Strategy } from '../strategies/strategy.ts';
import type { SecureAggregationRounds } from './secure-aggregation-rounds.ts';

export interface SecureCloseDependencies {
  readonly config: CoordinatorConfig;
  readonly store: CoordinatorStore;
  readonly strategy: Strategy;
  readonly log: RoundLog;
  readonly checkpointsDir: string;
  readonly secure: SecureAggregationRounds;
  readonly newRound: (number: number) => RoundRow;
}

export async function closeSecureRound(round: RoundRow, deps: SecureCloseDependencies): Promise<void> {
  const { store, config, log } = deps;
  store.setRoundState(round.id, 'aggregating');
  let result: ClientResult | undefined;
  try {
    result = await deps.secure.conclude(round);
  } catch (error) {
    return retry(round, deps, `secure_aggregation_aborted: ${(error as Error).message}`);
  }
  if (!result) return retry(round, deps, 'too_few_updates');
  log.event(round.number, round.id, 'aggregating', { secureAggregation: true, examples: result.numExamples });
  const checkpoint = await writeCheckpoint(round, result, deps);
  const next = round.number < config.rounds ? deps.newRound : undefined;
  store.db.transaction(() => {
    store.finishRound(round.id, checkpoint, JSON.stringify(deps.strategy.saveState() ?? null), undefined);
    if (next) store.insertRound(next(round.number + 1));
  })();
  log.event(round.number, round.id, 'closed', {
    outcome: 'aggregated',
    secureAggregation: true,
    contributors: result.participantId,
    examples: result.numExamples,
    checkpointSha256: checkpoint.sha256,
  });
}

/** The round closes without a checkpoint; the next one starts from the same global model. */
function retry(round: RoundRow, deps: SecureCloseDependencies, outcome: string): void {
  deps.log.event(round.number, round.id, 'closed', { outcome });
  deps.store.db.transaction(() => {
    deps.store.setRoundState(round.id, 'closed', outcome);
    deps.store.insertRound(deps.newRound(round.number));
  })();
}

async function writeCheckpoint(
  round: RoundRow,
  result: ClientResult,
  deps: SecureCloseDependencies,
): Promise<CheckpointRow> {
  const global = await readSafetensorsFile(round.modelPath, deps.config.model.spec);
  const next = deps.strategy.aggregate(global, [result], round.number);
  const path = join(deps.checkpointsDir, `round-${round.number}.safetensors`);
  await writeSafetensorsFile(`${path}.tmp`, next, { round: String(round.number), strategy: deps.strategy.name });
  await rename(`${path}.tmp`, path);
  return {
    roundNumber: round.number,
    roundId: round.id,
    path,
    sha256: await fileSha256(path),
    bytes: (await stat(path)).size,
  };
}

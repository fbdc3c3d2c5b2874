/**
 * How a round of a securely aggregating federation closes: the masked-input stage is closed, unmask
 * runs, and the strategy gets one result — the unmasked mean — from which it writes the checkpoint.
 * Below the threshold the round closes as "secure_aggregation_aborted: <reason>" and the next round
 * starts from the same global model; no checkpoint is written.
 */
import { writeCheckpoint } from '../checkpoints/checkpoint-file.ts';
import type { SecureAggregationRounds } from '../secagg/secure-aggregation-rounds.ts';
import type { RoundRow } from '../store/rows.ts';
import type { ClientResult } from '../strategies/strategy.ts';
import { aggregateResults } from './aggregate-round.ts';
import { finishRound, retryRound } from './round-closing.ts';
import type { RoundServices } from './round-closing.ts';

export async function closeSecureRound(
  round: RoundRow,
  services: RoundServices,
  secure: SecureAggregationRounds,
): Promise<void> {
  const { store, config, strategy, log, checkpointsDir } = services;
  store.setRoundState(round.id, 'aggregating');
  let result: ClientResult | undefined;
  try {
    result = await secure.conclude(round);
  } catch (error) {
    return retryRound(round, services, `secure_aggregation_aborted: ${(error as Error).message}`);
  }
  if (!result) return retryRound(round, services, 'too_few_updates');
  log.event(round.number, round.id, 'aggregating', { secureAggregation: true, examples: result.numExamples });
  const next = await aggregateResults(round, [result], config, strategy);
  const checkpoint = await writeCheckpoint(checkpointsDir, round, next, strategy.name);
  finishRound(round, checkpoint, services, {
    secureAggregation: true,
    contributors: result.participantId,
    examples: result.numExamples,
  });
}

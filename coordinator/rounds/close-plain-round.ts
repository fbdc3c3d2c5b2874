/**
 * How a round without secure aggregation closes: with at least participantsPerRound.min committed
 * uploads the strategy aggregates them into the next checkpoint; with fewer the round closes as
 * "too_few_updates" and is tried again from the same global model.
 */
import { writeCheckpoint } from '../checkpoints/checkpoint-file.ts';
import type { RoundRow } from '../store/rows.ts';
import { aggregateUploads } from './aggregate-round.ts';
import { finishRound, retryRound } from './round-closing.ts';
import type { RoundServices } from './round-closing.ts';

export async function closePlainRound(round: RoundRow, services: RoundServices): Promise<void> {
  const { store, config, strategy, log, checkpointsDir } = services;
  const uploads = store.committedUploads(round.id);
  if (uploads.length < config.participantsPerRound.min)
    return retryRound(round, services, 'too_few_updates', { updates: uploads.length });
  store.setRoundState(round.id, 'aggregating');
  log.event(round.number, round.id, 'aggregating', { updates: uploads.length });
  const started = performance.now();
  const next = await aggregateUploads(round, uploads, config, strategy);
  const checkpoint = await writeCheckpoint(checkpointsDir, round, next, strategy.name);
  finishRound(round, checkpoint, services, {
    participants: uploads.map((upload) => upload.participantId),
    examples: uploads.reduce((sum, upload) => sum + upload.numExamples, 0),
    aggregationMs: Math.round(performance.now() - started),
  });
}

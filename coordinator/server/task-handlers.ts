/** PollTask (long-poll), DownloadModel (offset chunks), Decline and ReportMetrics. */
import { create } from '@bufbuild/protobuf';
import {
  DeclineReason,
  DeclineResponseSchema,
  PollTaskResponseSchema,
  ReportMetricsResponseSchema,
} from '../../protocol/gen/accord/v1/federation_pb.js';
import type {
  DeclineRequest,
  PollTaskRequest,
  ReportMetricsRequest,
} from '../../protocol/gen/accord/v1/federation_pb.js';
import { DownloadModelResponseSchema } from '../../protocol/gen/accord/v1/transfer_pb.js';
import type { DownloadModelRequest } from '../../protocol/gen/accord/v1/transfer_pb.js';
import { roundTaskToProto } from '../serde/update-serde.ts';
import { recordSiteMetrics, taskMetricsOf } from '../store/evaluation-metrics.ts';
import type { CoordinatorContext, IncomingRequest } from './coordinator-context.ts';
import { failedPrecondition, invalidArgument, notFound } from './federation-error.ts';
import { pollStage } from './secure-aggregation-handlers.ts';

export async function pollTask(context: CoordinatorContext, request: IncomingRequest<PollTaskRequest>) {
  if (request.message.secureAggregationStages) return pollStage(context, request);
  const waitMs = Math.min(request.message.waitSeconds, context.config.limits.maxPollSeconds) * 1000;
  const until = Date.now() + waitMs;
  for (;;) {
    const round = context.rounds.assign(request.participantId);
    if (round)
      return create(PollTaskResponseSchema, {
        task: { case: 'joinRound', value: roundTaskToProto(round, context.config, context.federationId) },
      });
    if (context.rounds.finished()) return create(PollTaskResponseSchema, { federationFinished: true });
    const left = until - Date.now();
    if (left <= 0 || request.signal.aborted) return create(PollTaskResponseSchema, {});
    await context.rounds.waitForChange(Math.min(left, 1000), request.signal);
  }
}

export async function downloadModel(context: CoordinatorContext, request: IncomingRequest<DownloadModelRequest>) {
  const { roundId, offset, maxBytes } = request.message;
  const round = context.store.round(roundId);
  if (!round) throw notFound(`round "${roundId}" does not exist`);
  if (offset < 0n || offset > BigInt(round.modelBytes)) {
    throw invalidArgument(`offset ${offset} is outside the model (${round.modelBytes} bytes)`);
  }
  const length = Math.min(
    maxBytes || context.config.limits.chunkBytes,
    context.config.limits.chunkBytes,
    round.modelBytes - Number(offset),
  );
  const data = Buffer.allocUnsafe(length);
  const { bytesRead } = await (await context.modelFiles.handle(round.modelPath)).read(data, 0, length, Number(offset));
  if (bytesRead !== length) throw new Error(`model file ${round.modelPath} is shorter than recorded`);
  return create(DownloadModelResponseSchema, {
    offset,
    data,
    totalBytes: BigInt(round.modelBytes),
    sha256: round.modelSha256,
  });
}

const declineReasons: Record<number, string> = {
  [DeclineReason.CONSENT_REFUSED]: 'consent_refused',
  [DeclineReason.BUDGET_EXHAUSTED]: 'budget_exhausted',
  [DeclineReason.DATASET_UNAVAILABLE]: 'dataset_unavailable',
  [DeclineReason.EXPIRED]: 'expired',
  [DeclineReason.FAILED]: 'failed',
};

export function decline(context: CoordinatorContext, request: IncomingRequest<DeclineRequest>) {
  const { roundId, reason, detail } = request.message;
  const reasonName = declineReasons[reason];
  if (!reasonName) throw invalidArgument(`decline reason ${reason} is not one of accord.v1's reasons`);
  if (detail.length > 2000) throw invalidArgument('decline detail is longer than 2000 characters');
  const round = context.store.round(roundId);
  if (!round) throw notFound(`round "${roundId}" does not exist`);
  const current = context.store
    .assignments(roundId)
    .find((assignment) => assignment.participantId === request.participantId);
  if (current?.status === 'committed')
    throw failedPrecondition('this participant already committed an update for the round');
  if (round.state === 'open' || round.state === 'collecting') {
    context.store.setAssignment(roundId, request.participantId, 'declined', `${reasonName}: ${detail}`);
    context.secureAggregation?.withdraw(roundId, request.participantId);
    context.rounds.settle(roundId);
  }
  return create(DeclineResponseSchema, {});
}

export function reportMetrics(context: CoordinatorContext, request: IncomingRequest<ReportMetricsRequest>) {
  const { roundId, metrics } = request.message;
  if (!context.store.round(roundId)) throw notFound(`round "${roundId}" does not exist`);
  // A site's figures belong to a round it took part in: they follow its committed update.
  if (!context.store.uploadFor(roundId, request.participantId)?.receipt)
    throw failedPrecondition(`this participant committed no update in round "${roundId}"; metrics follow one`);
  const entries = Object.entries(metrics);
  if (entries.length > 100) throw invalidArgument(`a metrics report holds at most 100 values, got ${entries.length}`);
  const bad = entries.find(([, value]) => !Number.isFinite(value));
  if (bad) throw invalidArgument(`metric "${bad[0]}" is not a finite number`);
  let values;
  try {
    values = taskMetricsOf(metrics, context.config.task);
  } catch (error) {
    throw invalidArgument((error as Error).message);
  }
  context.store.db.transaction(() => {
    context.store.recordMetrics(roundId, request.participantId, metrics);
    recordSiteMetrics(context.store.db, roundId, request.participantId, values);
  })();
  return create(ReportMetricsResponseSchema, {});
}

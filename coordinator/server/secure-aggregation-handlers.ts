/**
 * The secure-aggregation stages over accord.v1: the stage-only long poll hands each participant the
 * request it owes an answer to (engine/secagg's encoding inside SecureAggregationStage), and the stage
 * RPCs carry the answers back. The masked input arrives as an ordinary upload (upload-handlers).
 */
import { create } from '@bufbuild/protobuf';
import { PollTaskResponseSchema } from '../../protocol/gen/accord/v1/federation_pb.js';
import type { PollTaskRequest } from '../../protocol/gen/accord/v1/federation_pb.js';
import {
  AdvertiseKeysResponseSchema,
  SecureAggregationStep,
  ShareKeysResponseSchema,
  UnmaskResponseSchema,
} from '../../protocol/gen/accord/v1/secure_aggregation_pb.js';
import type {
  AdvertiseKeysRequest,
  ShareKeysRequest,
  SubmitMaskedInputRequest,
  UnmaskRequest,
} from '../../protocol/gen/accord/v1/secure_aggregation_pb.js';
import type { SecAggStage } from '../../engine/secagg/errors.ts';
import { StageError, type SecureAggregationRounds } from '../secagg/secure-aggregation-rounds.ts';
import type { StageTask } from '../secagg/secure-aggregation-run.ts';
import type { CoordinatorContext, IncomingRequest } from './coordinator-context.ts';
import { failedPrecondition, invalidArgument } from './federation-error.ts';

const steps: Record<SecAggStage, SecureAggregationStep> = {
  'advertise-keys': SecureAggregationStep.ADVERTISE_KEYS,
  'share-keys': SecureAggregationStep.SHARE_KEYS,
  'masked-input': SecureAggregationStep.MASKED_INPUT,
  unmask: SecureAggregationStep.UNMASK,
};

function secureRounds(context: CoordinatorContext): SecureAggregationRounds {
  if (!context.secureAggregation) throw failedPrecondition('this federation does not use secure aggregation');
  return context.secureAggregation;
}

function stageToProto(task: StageTask) {
  return create(PollTaskResponseSchema, {
    task: {
      case: 'secureAggregation',
      value: {
        roundId: task.roundId,
        step: steps[task.stage],
        threshold: task.threshold,
        message: task.message,
        deadline: new Date(Math.min(task.deadlineAt, 8.64e15)).toISOString(),
      },
    },
  });
}

/** Long-polls for the next stage request this participant owes an answer to. */
export async function pollStage(context: CoordinatorContext, request: IncomingRequest<PollTaskRequest>) {
  const secure = secureRounds(context);
  const until = Date.now() + Math.min(request.message.waitSeconds, context.config.limits.maxPollSeconds) * 1000;
  for (;;) {
    const task = secure.taskFor(request.participantId);
    if (task) return stageToProto(task);
    const left = until - Date.now();
    if (left <= 0 || request.signal.aborted) return create(PollTaskResponseSchema, {});
    await secure.waitForChange(Math.min(left, 1000), request.signal);
  }
}

function answer(
  context: CoordinatorContext,
  participantId: string,
  roundId: string,
  stage: SecAggStage,
  bytes: Uint8Array,
) {
  try {
    secureRounds(context).receive(participantId, roundId, stage, bytes);
  } catch (error) {
    if (error instanceof StageError)
      throw error.code === 'invalid-argument' ? invalidArgument(error.message) : failedPrecondition(error.message);
    throw error;
  }
}

export function advertiseKeys(context: CoordinatorContext, request: IncomingRequest<AdvertiseKeysRequest>) {
  answer(context, request.participantId, request.message.roundId, 'advertise-keys', request.message.message);
  return create(AdvertiseKeysResponseSchema, {});
}

export function shareKeys(context: CoordinatorContext, request: IncomingRequest<ShareKeysRequest>) {
  answer(context, request.participantId, request.message.roundId, 'share-keys', request.message.message);
  return create(ShareKeysResponseSchema, {});
}

export function unmask(context: CoordinatorContext, request: IncomingRequest<UnmaskRequest>) {
  answer(context, request.participantId, request.message.roundId, 'unmask', request.message.message);
  return create(UnmaskResponseSchema, {});
}

/** The masked input is committed as an upload, which is the answer; naming it again is not needed. */
export function submitMaskedInput(context: CoordinatorContext, request: IncomingRequest<SubmitMaskedInputRequest>) {
  secureRounds(context);
  throw failedPrecondition(
    `send the masked input of round "${request.message.roundId}" as an upload (BeginUpload … CommitUpload): committing it answers the stage`,
  );
}

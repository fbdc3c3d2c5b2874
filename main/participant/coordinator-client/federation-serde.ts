/** The participant's one serde module: accord.v1 wire types ↔ the FederationLink's engine-side types. */
import { updateCodec } from '../../../engine/codec/update-codec-registry.ts';
import { DeclineReason } from '../../../protocol/gen/accord/v1/federation_pb.js';
import type { JoinRoundTask } from '../../../protocol/gen/accord/v1/tasks_pb.js';
import type { Receipt } from '../../../protocol/gen/accord/v1/transfer_pb.js';
import type { UploadReceipt } from '../../../protocol/receipt.ts';
import type { UpdateCompression } from '../../../engine/codec/update-compression.ts';
import type { DeclineReason as LinkDeclineReason, RoundTask } from './federation-link.ts';

export function roundTaskFromProto(task: JoinRoundTask, coordinator: string): RoundTask {
  const training: Record<string, number | string | boolean> = {};
  for (const [key, setting] of Object.entries(task.training)) {
    if (setting.value.case !== undefined) training[key] = setting.value.value;
  }
  for (const spec of task.modelSpec) {
    if (spec.dtype !== 'float32')
      throw new Error(`tensor "${spec.name}" has dtype ${spec.dtype}; this participant reads float32`);
  }
  return {
    federationId: task.federationId,
    coordinator,
    roundId: task.roundId,
    roundNumber: task.roundNumber,
    deadline: task.deadline,
    modelSha256: task.modelSha256,
    modelSpec: task.modelSpec.map((spec) => ({ name: spec.name, shape: [...spec.shape] })),
    dp: {
      clipNorm: task.dp?.clipNorm ?? 0,
      noiseMultiplier: task.dp?.noiseMultiplier ?? 0,
      sampleRate: task.dp?.sampleRate ?? 0,
      localSteps: task.dp?.localSteps ?? 0,
    },
    taskName: task.taskName,
    secureAggregation: task.secureAggregation,
    updateEncoding: task.updateEncoding,
    ...compressionFromProto(task.compression),
    training,
  };
}

/** As the coordinator named it: an unknown method is kept, and refused (with its name) when the round is accepted. */
function compressionFromProto(compression: JoinRoundTask['compression']): { compression?: UpdateCompression } {
  if (!compression) return {};
  if (compression.method === 'int8') return { compression: { method: 'int8' } };
  return { compression: { method: compression.method as 'topk', fraction: compression.fraction } };
}

/** A receipt without an audit head (audit_seq 0) keeps the fields it was signed with: none. */
export function receiptFromProto(receipt: Receipt): UploadReceipt {
  const auditHead = receipt.auditSeq === 0n ? {} : { auditSeq: Number(receipt.auditSeq), auditHash: receipt.auditHash };
  return {
    uploadId: receipt.uploadId,
    roundId: receipt.roundId,
    participantId: receipt.participantId,
    sha256: receipt.sha256,
    bytes: Number(receipt.bytes),
    acceptedAt: receipt.acceptedAt,
    ...auditHead,
    signature: Buffer.from(receipt.signature).toString('base64'),
  };
}

const declineReasons: Record<LinkDeclineReason, DeclineReason> = {
  consent_refused: DeclineReason.CONSENT_REFUSED,
  budget_exhausted: DeclineReason.BUDGET_EXHAUSTED,
  dataset_unavailable: DeclineReason.DATASET_UNAVAILABLE,
  expired: DeclineReason.EXPIRED,
  failed: DeclineReason.FAILED,
};

export function declineReasonToProto(reason: LinkDeclineReason): DeclineReason {
  return declineReasons[reason];
}

/** Refuses, before sending, an update that does not decode, in the round's encoding, against its model spec. */
export function checkUpdate(payload: Uint8Array, task: RoundTask): void {
  updateCodec(task.updateEncoding).decode(payload, task.modelSpec);
}

/**
 * The coordinator's one serde module: wire and stored forms ↔ engine types. Strategies see only
 * ClientResults and ParameterSets; tasks and receipts become protobuf messages only here.
 */
import { create } from '@bufbuild/protobuf';
import { readFile } from 'node:fs/promises';
import { updateCodec } from '../../engine/codec/update-codec-registry.ts';
import { JoinRoundTaskSchema, SettingValueSchema } from '../../protocol/gen/accord/v1/tasks_pb.js';
import type { JoinRoundTask, SettingValue } from '../../protocol/gen/accord/v1/tasks_pb.js';
import { ReceiptSchema } from '../../protocol/gen/accord/v1/transfer_pb.js';
import type { Receipt } from '../../protocol/gen/accord/v1/transfer_pb.js';
import type { ReceiptFields, UploadReceipt } from '../../protocol/receipt.ts';
import type { TensorSpec } from '../../engine/tensor/parameter-set.ts';
import type { CoordinatorConfig } from '../config/coordinator-config.ts';
import type { ClientResult } from '../strategies/strategy.ts';
import type { RoundRow, UploadRow } from '../store/rows.ts';

export type UpdateEncodingName = CoordinatorConfig['updateEncoding'];

/** Decodes an update in the federation's encoding, validating names, shapes, sizes and finiteness. */
export function decodeUpload(
  bytes: Uint8Array,
  spec: readonly TensorSpec[],
  encoding: UpdateEncodingName,
  maxBytes: number,
) {
  return updateCodec(encoding).decode(bytes, spec, { maxBytes });
}

export async function clientResultFromUpload(upload: UploadRow, config: CoordinatorConfig): Promise<ClientResult> {
  const bytes = await readFile(upload.path);
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    participantId: upload.participantId,
    numExamples: upload.numExamples,
    update: decodeUpload(view, config.model.spec, config.updateEncoding, config.limits.maxUpdateBytes),
  };
}

function settingToProto(value: number | string | boolean): SettingValue {
  if (typeof value === 'number') return create(SettingValueSchema, { value: { case: 'number', value } });
  if (typeof value === 'string') return create(SettingValueSchema, { value: { case: 'text', value } });
  return create(SettingValueSchema, { value: { case: 'flag', value } });
}

/**
 * The training settings a round sends: the config's, with FedProx's μ added when that is the strategy,
 * because its proximal term acts in each participant's training, not at the coordinator.
 */
function roundTrainingSettings(config: CoordinatorConfig): CoordinatorConfig['training'] {
  if (config.strategy.name !== 'fedprox') return config.training;
  return { ...config.training, proximalMu: config.strategy.proximalMu };
}

/** 0 on the wire for a method without a fraction (int8). */
function compressionFraction(config: CoordinatorConfig): number {
  return config.compression?.method === 'topk' ? config.compression.fraction : 0;
}

export function roundTaskToProto(round: RoundRow, config: CoordinatorConfig, federationId: string): JoinRoundTask {
  return create(JoinRoundTaskSchema, {
    federationId,
    roundId: round.id,
    roundNumber: round.number,
    deadline: new Date(round.deadlineAt).toISOString(),
    modelSha256: round.modelSha256,
    modelBytes: BigInt(round.modelBytes),
    modelSpec: config.model.spec.map((spec) => ({ name: spec.name, shape: [...spec.shape], dtype: 'float32' })),
    dp: { ...config.dp },
    taskName: config.task,
    secureAggregation: config.secureAggregation,
    training: Object.fromEntries(
      Object.entries(roundTrainingSettings(config)).map(([key, value]) => [key, settingToProto(value)]),
    ),
    updateEncoding: config.updateEncoding,
    compression: config.compression && { method: config.compression.method, fraction: compressionFraction(config) },
  });
}

export function receiptToProto(fields: ReceiptFields, signature: Uint8Array): Receipt {
  const auditSeq = BigInt(fields.auditSeq ?? 0);
  return create(ReceiptSchema, { ...fields, bytes: BigInt(fields.bytes), auditSeq, signature });
}

export function receiptToJson(fields: ReceiptFields, signature: Uint8Array): string {
  return JSON.stringify({ ...fields, signature: Buffer.from(signature).toString('base64') });
}

export function receiptFromJson(json: string): Receipt {
  const stored = JSON.parse(json) as UploadReceipt;
  return receiptToProto(stored, new Uint8Array(Buffer.from(stored.signature, 'base64')));
}

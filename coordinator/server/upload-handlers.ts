/**
 * Chunked, resumable, idempotent update uploads by upload id: begin (or find), put chunks at the offset
 * the coordinator holds, commit with the sha256 of the whole. The stored offset moves once a chunk is
 * written (the OS keeps it across a crash of the coordinator's process); commit fsyncs the file and checks
 * the sha256 of the whole, so bytes a power failure lost are caught there, the upload is discarded and the
 * participant sends it again. Syncing at commit rather than per chunk keeps the disk out of each chunk's
 * path. A rejected request stores nothing; a rejected commit discards the upload so the participant starts it again.
 */
import { create } from '@bufbuild/protobuf';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { updateCodec } from '../../engine/codec/update-codec-registry.ts';
import { describeCompression } from '../../engine/codec/update-compression.ts';
import {
  BeginUploadResponseSchema,
  CommitUploadResponseSchema,
  PutUploadChunkResponseSchema,
} from '../../protocol/gen/accord/v1/transfer_pb.js';
import type {
  BeginUploadRequest,
  CommitUploadRequest,
  PutUploadChunkRequest,
} from '../../protocol/gen/accord/v1/transfer_pb.js';
import { signReceipt } from '../../protocol/receipt.ts';
import { receiptFromJson, receiptToJson, receiptToProto } from '../serde/update-serde.ts';
import type { UploadRow } from '../store/rows.ts';
import type { CoordinatorContext, IncomingRequest } from './coordinator-context.ts';
import {
  alreadyExists,
  failedPrecondition,
  invalidArgument,
  notFound,
  permissionDenied,
  resourceExhausted,
} from './federation-error.ts';
import { checkAcceptingRound } from './round-checks.ts';
import { auditHeadOf } from './audit-head-check.ts';
import { readStoredUpdate, validateStoredUpdate } from './update-validation.ts';

const uploadIdPattern = /^[A-Za-z0-9_-]{8,128}$/;
const sha256Pattern = /^[0-9a-f]{64}$/;

function status(upload: UploadRow) {
  return {
    uploadId: upload.uploadId,
    receivedBytes: BigInt(upload.receivedBytes),
    totalBytes: BigInt(upload.totalBytes),
    committed: upload.receipt !== null,
  };
}

function ownUpload(context: CoordinatorContext, uploadId: string, participantId: string): UploadRow {
  const upload = context.store.upload(uploadId);
  if (!upload) throw notFound(`upload "${uploadId}" does not exist; begin it first`);
  if (upload.participantId !== participantId)
    throw permissionDenied(`upload "${uploadId}" belongs to another participant`);
  return upload;
}

function sameUpload(upload: UploadRow, message: BeginUploadRequest, participantId: string): boolean {
  return (
    upload.participantId === participantId &&
    upload.roundId === message.roundId &&
    upload.sha256 === message.sha256 &&
    BigInt(upload.totalBytes) === message.totalBytes
  );
}

function checkBegin(context: CoordinatorContext, message: BeginUploadRequest): void {
  if (!uploadIdPattern.test(message.uploadId))
    throw invalidArgument('upload_id must be 8–128 characters of [A-Za-z0-9_-]');
  if (!sha256Pattern.test(message.sha256)) throw invalidArgument('sha256 must be 64 lowercase hex digits');
  if (message.totalBytes > BigInt(context.config.limits.maxUpdateBytes)) {
    throw resourceExhausted(
      `the update has ${message.totalBytes} bytes, this federation accepts at most ${context.config.limits.maxUpdateBytes}`,
    );
  }
  if (context.secureAggregation) return; // a masked input: its size is checked against the stage
  checkEncodedSize(context, message.totalBytes);
  if (message.numExamples === 0n || message.numExamples > 1_000_000_000n)
    throw invalidArgument('num_examples must be between 1 and 1e9');
  const badMetric = Object.entries(message.metrics).find(([, value]) => !Number.isFinite(value));
  if (badMetric) throw invalidArgument(`metric "${badMetric[0]}" is not a finite number`);
}

/** The declared size against what the federation's encoding can produce for the model spec: over it is oversized. */
function checkEncodedSize(context: CoordinatorContext, totalBytes: bigint): void {
  const { compression, updateEncoding } = context.config;
  const bound = updateCodec(updateEncoding, compression).encodedSize(context.config.model.spec);
  const encoding = compression ? `${updateEncoding} (${describeCompression(compression)})` : updateEncoding;
  if (totalBytes > BigInt(bound.bytes)) {
    throw resourceExhausted(
      `the update has ${totalBytes} bytes, a ${encoding} update of the model spec has at most ${bound.bytes}`,
    );
  }
  if (bound.exact && totalBytes !== BigInt(bound.bytes))
    throw invalidArgument(`the update has ${totalBytes} bytes, the model spec needs ${bound.bytes} (${encoding})`);
}

export async function beginUpload(context: CoordinatorContext, request: IncomingRequest<BeginUploadRequest>) {
  const { message, participantId } = request;
  const existing = context.store.upload(message.uploadId);
  if (existing) {
    if (!sameUpload(existing, message, participantId))
      throw alreadyExists(`upload id "${message.uploadId}" is already used for different content`);
    return create(BeginUploadResponseSchema, { status: status(existing) });
  }
  checkBegin(context, message);
  checkAcceptingRound(context, message.roundId, participantId);
  checkMaskedUpload(context, message.roundId, participantId, Number(message.totalBytes));
  const other = context.store.uploadFor(message.roundId, participantId);
  if (other?.receipt)
    throw alreadyExists(`this participant already committed upload "${other.uploadId}" for the round`);
  if (other) {
    // An unfinished upload under another id (the participant lost its journal) is superseded.
    context.store.deleteUpload(other.uploadId);
    await rm(other.path, { force: true });
  }
  const path = join(context.uploadsDir, `${message.uploadId}.part`);
  await (await open(path, 'w', 0o600)).close();
  context.store.insertUpload({
    uploadId: message.uploadId,
    roundId: message.roundId,
    participantId,
    totalBytes: Number(message.totalBytes),
    sha256: message.sha256,
    numExamples: Number(message.numExamples),
    metrics: JSON.stringify(message.metrics),
    path,
  });
  return create(BeginUploadResponseSchema, { status: status(context.store.upload(message.uploadId)!) });
}

export async function putUploadChunk(context: CoordinatorContext, request: IncomingRequest<PutUploadChunkRequest>) {
  const { uploadId, offset, data } = request.message;
  const upload = ownUpload(context, uploadId, request.participantId);
  const reply = (row: UploadRow) => create(PutUploadChunkResponseSchema, { status: status(row) });
  if (upload.receipt !== null) return reply(upload);
  if (data.length > context.config.limits.chunkBytes)
    throw resourceExhausted(`a chunk holds at most ${context.config.limits.chunkBytes} bytes, got ${data.length}`);
  const start = Number(offset);
  // A retried chunk the coordinator already holds is acknowledged, not written twice.
  if (start + data.length <= upload.receivedBytes) return reply(upload);
  if (start !== upload.receivedBytes)
    throw failedPrecondition(`expected the chunk at offset ${upload.receivedBytes}, got ${start}`);
  if (start + data.length > upload.totalBytes)
    throw invalidArgument(`the chunk ends at ${start + data.length}, past the announced ${upload.totalBytes} bytes`);
  checkAcceptingRound(context, upload.roundId, request.participantId);
  const file = await open(upload.path, 'r+');
  try {
    await file.write(data, 0, data.length, start);
  } finally {
    await file.close();
  }
  context.store.setReceivedBytes(uploadId, start + data.length);
  return reply(context.store.upload(uploadId)!);
}

/** One commit per participant and round at a time: a concurrent second commit sees the first's receipt. */
export async function commitUpload(context: CoordinatorContext, request: IncomingRequest<CommitUploadRequest>) {
  const upload = ownUpload(context, request.message.uploadId, request.participantId);
  return context.uploadCommits.run(`${upload.roundId}\n${upload.participantId}`, () =>
    commitOwnUpload(context, request),
  );
}

async function commitOwnUpload(context: CoordinatorContext, request: IncomingRequest<CommitUploadRequest>) {
  const { uploadId, sha256 } = request.message;
  const auditHead = auditHeadOf(request.message);
  const upload = ownUpload(context, uploadId, request.participantId);
  if (upload.receipt !== null) return create(CommitUploadResponseSchema, { receipt: receiptFromJson(upload.receipt) });
  if (sha256 !== upload.sha256)
    throw invalidArgument(`commit sha256 ${sha256} differs from the ${upload.sha256} announced at begin`);
  if (upload.receivedBytes !== upload.totalBytes)
    throw failedPrecondition(`the upload holds ${upload.receivedBytes} of ${upload.totalBytes} bytes`);
  checkAcceptingRound(context, upload.roundId, request.participantId);
  const committed = context.store.uploadFor(upload.roundId, upload.participantId);
  if (committed?.receipt) await refuseSecondCommit(context, upload, committed.uploadId);
  try {
    await syncFile(upload.path);
    await validateStoredUpdate(upload, context.config);
    if (context.secureAggregation) await receiveMaskedUpload(context, upload);
  } catch (error) {
    await discardUpload(context, upload);
    throw invalidArgument(`upload "${uploadId}" refused and discarded: ${(error as Error).message}`);
  }
  const fields = {
    uploadId,
    roundId: upload.roundId,
    participantId: upload.participantId,
    sha256: upload.sha256,
    bytes: upload.totalBytes,
    acceptedAt: new Date().toISOString(),
    ...auditHead,
  };
  const signature = signReceipt(fields, context.signingKey);
  if (!context.store.commitUpload(upload, receiptToJson(fields, signature), auditHead))
    await refuseSecondCommit(context, upload, context.store.uploadFor(upload.roundId, upload.participantId)?.uploadId);
  context.rounds.settle(upload.roundId);
  return create(CommitUploadResponseSchema, { receipt: receiptToProto(fields, signature) });
}

async function discardUpload(context: CoordinatorContext, upload: UploadRow): Promise<void> {
  context.store.deleteUpload(upload.uploadId);
  await rm(upload.path, { force: true });
}

/** A participant's update counts once per round: a second upload is discarded, never stored. */
async function refuseSecondCommit(
  context: CoordinatorContext,
  upload: UploadRow,
  committedId: string | undefined,
): Promise<never> {
  await discardUpload(context, upload);
  throw alreadyExists(
    `this participant already committed upload "${committedId ?? '?'}" for the round; upload "${upload.uploadId}" is discarded`,
  );
}

async function syncFile(path: string): Promise<void> {
  const file = await open(path, 'r+');
  try {
    await file.sync();
  } finally {
    await file.close();
  }
}

function checkMaskedUpload(context: CoordinatorContext, roundId: string, participantId: string, bytes: number): void {
  try {
    context.secureAggregation?.checkMaskedUpload(roundId, participantId, bytes);
  } catch (error) {
    throw failedPrecondition((error as Error).message);
  }
}

/** Under secure aggregation the committed bytes are the participant's masked-input answer. */
async function receiveMaskedUpload(context: CoordinatorContext, upload: UploadRow): Promise<void> {
  const bytes = await readStoredUpdate(upload, context.config.limits.chunkBytes);
  context.secureAggregation!.receiveMaskedUpload(upload.roundId, upload.participantId, bytes);
}

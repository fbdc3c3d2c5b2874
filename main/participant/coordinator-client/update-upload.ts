/**
 * Chunked, resumable, idempotent upload: begin (the coordinator says how much it holds), put the rest
 * chunk by chunk from that offset, commit with the sha256, verify the signed receipt. Progress and the
 * receipt go to the journal, so a restarted process continues the same upload and never sends twice.
 */
import type { KeyObject } from 'node:crypto';
import { defaultChunkBytes } from '../../../protocol/federation-methods.ts';
import { verifyReceipt } from '../../../protocol/receipt.ts';
import type { ByteSource } from './byte-source.ts';
import { sourceSha256 } from './byte-source.ts';
import { receiptFromProto } from './federation-serde.ts';
import type { UploadReceipt } from '../../../protocol/receipt.ts';
import type { UploadMetadata } from './federation-link.ts';
import type { GrpcTransport, Signer } from './grpc-transport.ts';
import type { UploadJournal } from './upload-journal.ts';

export interface UploadRequest {
  readonly roundId: string;
  readonly uploadId: string;
  readonly source: ByteSource;
  readonly metadata: UploadMetadata;
  readonly coordinatorPublicKey: KeyObject;
  readonly chunkBytes?: number;
  readonly onChunk?: (confirmedBytes: number, totalBytes: number) => void | Promise<void>;
}

export async function uploadUpdate(
  transport: GrpcTransport,
  signer: Signer,
  journal: UploadJournal,
  request: UploadRequest,
): Promise<UploadReceipt> {
  const { uploadId, roundId, source, metadata } = request;
  const known = journal.get(uploadId);
  if (known?.receipt) return known.receipt;
  const sha256 = await sourceSha256(source);
  if (known && (known.sha256 !== sha256 || known.roundId !== roundId)) {
    throw new Error(
      `upload "${uploadId}" was started with other bytes (${known.sha256}); refusing to send different content under its id`,
    );
  }
  const entry = { uploadId, roundId, sha256, totalBytes: source.size, confirmedBytes: known?.confirmedBytes ?? 0 };
  journal.put(entry);
  const begin = {
    uploadId,
    roundId,
    totalBytes: BigInt(source.size),
    sha256,
    numExamples: BigInt(metadata.numExamples),
    metrics: { ...metadata.metrics },
  };
  const began = await transport.call('beginUpload', begin, signer);
  let offset = Number(began.status?.receivedBytes ?? 0);
  const chunkBytes = request.chunkBytes ?? defaultChunkBytes;
  while (offset < source.size && !began.status?.committed) {
    const data = await source.read(offset, chunkBytes);
    const put = await transport.call('putUploadChunk', { uploadId, offset: BigInt(offset), data }, signer);
    offset = Number(put.status?.receivedBytes ?? 0);
    // The coordinator is authoritative on the offset; the journal notes progress now and then.
    if (offset % (32 * chunkBytes) < chunkBytes) journal.put({ ...entry, confirmedBytes: offset });
    await request.onChunk?.(offset, source.size);
  }
  const committed = await transport.call('commitUpload', commitRequest(uploadId, sha256, metadata), signer);
  if (!committed.receipt) throw new Error(`the coordinator committed upload "${uploadId}" without a receipt`);
  const receipt = receiptFromProto(committed.receipt);
  checkReceipt(
    receipt,
    { uploadId, roundId, sha256, bytes: source.size, participantId: signer.participantId },
    request.coordinatorPublicKey,
  );
  checkReceiptAuditHead(receipt, metadata.auditHead);
  journal.put({ ...entry, confirmedBytes: source.size, receipt });
  return receipt;
}

/** The commit carries the audit head when there is one, for the coordinator to sign into the receipt. */
function commitRequest(uploadId: string, sha256: string, metadata: UploadMetadata) {
  const head = metadata.auditHead;
  return { uploadId, sha256, ...(head && { auditSeq: BigInt(head.seq), auditHash: head.hash }) };
}

/** A receipt that witnesses another entry than the one sent would prove nothing about this log. */
function checkReceiptAuditHead(receipt: UploadReceipt, sent: UploadMetadata['auditHead']): void {
  if (!sent || receipt.auditSeq === undefined) return; // a coordinator that does not witness audit heads
  if (receipt.auditSeq !== sent.seq || receipt.auditHash !== sent.hash) {
    throw new Error(
      `the receipt for upload "${receipt.uploadId}" witnesses audit entry ${receipt.auditSeq}, not the entry ${sent.seq} sent`,
    );
  }
}

function checkReceipt(
  receipt: UploadReceipt,
  expected: Omit<UploadReceipt, 'acceptedAt' | 'signature'>,
  key: KeyObject,
): void {
  for (const field of ['uploadId', 'roundId', 'participantId', 'sha256', 'bytes'] as const) {
    if (receipt[field] !== expected[field])
      throw new Error(`the receipt's ${field} is ${receipt[field]}, expected ${expected[field]}`);
  }
  if (!verifyReceipt(receipt, Buffer.from(receipt.signature, 'base64'), key)) {
    throw new Error(`the receipt for upload "${receipt.uploadId}" does not carry a valid coordinator signature`);
  }
}

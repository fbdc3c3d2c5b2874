/**
 * The coordinator's signed receipt for an accepted upload: Ed25519 over canonical text, so the participant
 * can keep it in its audit log and anyone holding the coordinator's public key can check it later.
 */
import { sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** A receipt as both sides keep it: the coordinator stores it with the upload, the participant in its journal and audit log. */
export interface UploadReceipt {
  readonly uploadId: string;
  readonly roundId: string;
  readonly participantId: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly acceptedAt: string;
  /**
   * The participant's audit entry that recorded this upload's intent (sequence number and hex sha256),
   * signed into the receipt: the coordinator's witness that the participant's log reached that entry.
   * Absent on receipts of uploads committed without it.
   */
  readonly auditSeq?: number;
  readonly auditHash?: string;
  /** Ed25519 signature by the coordinator over the canonical receipt fields, base64. */
  readonly signature: string;
}

/** What the signature covers: every field but the signature itself. */
export type ReceiptFields = Omit<UploadReceipt, 'signature'>;

/** The audit head is appended only when present, so receipts signed before it existed keep verifying. */
export function receiptSigningText(fields: ReceiptFields): Buffer {
  const { uploadId, roundId, participantId, sha256, bytes, acceptedAt, auditSeq, auditHash } = fields;
  const base = `accord.v1 receipt\n${uploadId}\n${roundId}\n${participantId}\n${sha256}\n${bytes}\n${acceptedAt}`;
  const auditHead = auditSeq === undefined ? '' : `\n${auditSeq}\n${auditHash ?? ''}`;
  return Buffer.from(base + auditHead, 'utf8');
}

export function signReceipt(fields: ReceiptFields, coordinatorKey: KeyObject): Uint8Array {
  return new Uint8Array(sign(null, receiptSigningText(fields), coordinatorKey));
}

export function verifyReceipt(fields: ReceiptFields, signature: Uint8Array, coordinatorPublicKey: KeyObject): boolean {
  return signature.length === 64 && verify(null, receiptSigningText(fields), coordinatorPublicKey, signature);
}

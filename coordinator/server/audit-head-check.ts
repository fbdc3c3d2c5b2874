/**
 * The participant's audit head on a commit: the sequence number and hash of the audit entry that recorded
 * the upload's intent. The coordinator cannot check it against the participant's log (it never sees it);
 * it checks its form, so what it signs into the receipt is something a participant's log can hold.
 */
import type { CommitUploadRequest } from '../../protocol/gen/accord/v1/transfer_pb.js';
import type { ReceiptAuditHead } from '../store/rows.ts';
import { invalidArgument } from './federation-error.ts';

/** The participant's audit log chains sha256 digests written as lowercase hex. */
const auditHashPattern = /^[0-9a-f]{64}$/;

/** Undefined when the commit carries no head (a participant from before receipts witnessed the log). */
export function auditHeadOf(message: CommitUploadRequest): ReceiptAuditHead | undefined {
  const { auditSeq, auditHash } = message;
  if (auditSeq === 0n && auditHash === '') return undefined;
  if (auditSeq < 1n || auditSeq > BigInt(Number.MAX_SAFE_INTEGER))
    throw invalidArgument(`audit_seq must be a positive integer up to 2^53 − 1, got ${auditSeq}`);
  if (!auditHashPattern.test(auditHash))
    throw invalidArgument('audit_hash must be 64 lowercase hex digits (the sha256 of an audit entry)');
  return { auditSeq: Number(auditSeq), auditHash };
}

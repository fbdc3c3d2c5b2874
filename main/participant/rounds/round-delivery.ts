/**
 * The steps after approval. The approval record and the ε debit already committed together (ConsentDesk);
 * here the approved bytes are (optionally) masked, the durable audit entry of what leaves is written and
 * fsync'd, and only then are the bytes sent, under the upload id persisted with the approval.
 */
import type { ParameterSet } from '../../../engine/tensor/parameter-set.ts';
import { describeCompression } from '../../../engine/codec/update-compression.ts';
import { retainPayload } from '../audit/payload-retention.ts';
import type { RoundContext } from './round-context.ts';
import type { RoundRecord } from './round-store.ts';
import { decodeApprovedPayload, sha256Hex } from './update-payload.ts';

/** A failure after approval that retrying cannot fix: the round fails (its ε stays spent). */
export class PermanentRoundFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentRoundFailure';
  }
}

/** approved → masked, when the federation uses secure aggregation. */
export async function maskUpdate(context: RoundContext, round: RoundRecord): Promise<void> {
  if (!context.mask)
    throw new PermanentRoundFailure(
      'this federation requires secure aggregation, which this participant cannot do yet',
    );
  if (!round.outcome) throw new PermanentRoundFailure(`round ${round.roundKey} has no training outcome to mask`);
  const masked = await context.mask(round.task, approvedUpdate(context, round), round.outcome.numExamples);
  const sha256 = sha256Hex(masked);
  context.transition(round.roundKey, 'masked', {
    changes: { sent_sha256: sha256 },
    within: () => context.store.savePayload(round.roundKey, 'sent', sha256, masked),
  });
}

/**
 * The float update that was approved: the approved payload stored with the round, decoded by the codec
 * that encoded it. Both codecs are lossless, so this is the trained update exactly, with or without a
 * restart in between — one source for the masker.
 */
function approvedUpdate(context: RoundContext, round: RoundRecord): ParameterSet {
  const approved = requirePayload(context, round, 'approved');
  if (sha256Hex(approved.bytes) !== round.approvedSha256) {
    throw new PermanentRoundFailure(`round ${round.roundKey}: the stored approved payload no longer matches its hash`);
  }
  return decodeApprovedPayload(round.task, approved.bytes);
}

/** approved|masked → uploading: the audit entry (approved hash + hash of the bytes to send) is synced first. */
export function recordUploadIntent(context: RoundContext, round: RoundRecord): void {
  const approved = requirePayload(context, round, 'approved');
  const sent = round.task.secureAggregation ? requirePayload(context, round, 'sent') : approved;
  context.transition(round.roundKey, 'uploading', {
    changes: { sent_sha256: sent.sha256 },
    durable: true,
    audit: [
      'upload.intent',
      {
        uploadId: round.uploadId,
        approvedSha256: approved.sha256,
        sentSha256: sent.sha256,
        bytes: sent.bytes.byteLength,
        compression: describeCompression(round.task.compression),
        coordinator: round.task.coordinator,
        contributionId: round.contributionId,
      },
    ],
  });
}

/** uploading → uploaded: sends (or, after a crash, re-sends under the same id) exactly the recorded bytes. */
export async function upload(context: RoundContext, round: RoundRecord): Promise<void> {
  const kind = round.task.secureAggregation ? 'sent' : 'approved';
  const sent = requirePayload(context, round, kind);
  if (sent.sha256 !== round.sentSha256 || sha256Hex(sent.bytes) !== sent.sha256) {
    throw new PermanentRoundFailure(
      `round ${round.roundKey}: the stored payload no longer matches the audited hash; refusing to send`,
    );
  }
  if (!round.uploadId || !round.outcome)
    throw new PermanentRoundFailure(`round ${round.roundKey} has no upload id or outcome`);
  const intent = context.audit.newestOfKind('upload.intent', 'uploadId', round.uploadId);
  const receipt = await context.link.uploadUpdate(round.task, round.uploadId, sent.bytes, {
    // Under secure aggregation the count travels masked inside the update; the coordinator sees 1.
    numExamples: round.task.secureAggregation ? 1 : round.outcome.numExamples,
    metrics: round.outcome.metrics,
    // The coordinator signs this entry into the receipt: its witness that the log reached it.
    auditHead: intent && { seq: intent.seq, hash: intent.hash },
  });
  if (
    receipt.sha256 !== sent.sha256 ||
    receipt.bytes !== sent.bytes.byteLength ||
    receipt.uploadId !== round.uploadId
  ) {
    throw new PermanentRoundFailure(
      `the coordinator's receipt (${receipt.sha256}, ${receipt.bytes} bytes) does not match what was sent (${sent.sha256}, ${sent.bytes.byteLength} bytes)`,
    );
  }
  context.transition(round.roundKey, 'uploaded', {
    changes: { receipt: JSON.stringify(receipt) },
    audit: [
      'upload',
      {
        uploadId: round.uploadId,
        approvedSha256: round.approvedSha256,
        sentSha256: sent.sha256,
        bytes: sent.bytes.byteLength,
        receipt,
      },
    ],
  });
}

/** uploaded → receipted: the receipt is kept, the payload dropped (or retained for inspection). */
export function closeReceipted(context: RoundContext, round: RoundRecord): void {
  const sent = context.store.payload(round.roundKey, round.task.secureAggregation ? 'sent' : 'approved');
  context.transition(round.roundKey, 'receipted', {
    within: () => {
      if (context.retainPayloads && sent) retainPayload(context.db, sent.sha256, sent.bytes);
      context.store.dropPayloads(round.roundKey);
      // What these bytes left out is now the federation's error feedback: the next round adds it.
      context.feedback.markSent(round.roundKey, round.task.federationId);
    },
  });
}

function requirePayload(context: RoundContext, round: RoundRecord, kind: 'approved' | 'sent') {
  const payload = context.store.payload(round.roundKey, kind);
  if (!payload) throw new PermanentRoundFailure(`round ${round.roundKey} has no ${kind} payload`);
  return payload;
}

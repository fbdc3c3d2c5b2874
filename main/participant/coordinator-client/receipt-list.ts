/**
 * The participant's own receipts as the coordinator keeps them (ListReceipts), each checked before it is
 * believed: addressed to this participant and signed with the coordinator's receipt key. A receipt that
 * fails either check makes the whole answer fail, so a witness is never built on an unverified receipt.
 */
import type { KeyObject } from 'node:crypto';
import { verifyReceipt } from '../../../protocol/receipt.ts';
import type { UploadReceipt } from '../../../protocol/receipt.ts';
import { receiptFromProto } from './federation-serde.ts';
import type { GrpcTransport, Signer } from './grpc-transport.ts';

export async function listOwnReceipts(
  transport: GrpcTransport,
  signer: Signer,
  coordinatorPublicKey: KeyObject,
): Promise<UploadReceipt[]> {
  const response = await transport.call('listReceipts', {}, signer);
  return response.receipts.map((proto) => {
    const receipt = receiptFromProto(proto);
    if (receipt.participantId !== signer.participantId)
      throw new Error(`the coordinator listed upload "${receipt.uploadId}" of another participant as this one's`);
    if (!verifyReceipt(receipt, Buffer.from(receipt.signature, 'base64'), coordinatorPublicKey))
      throw new Error(
        `the listed receipt for upload "${receipt.uploadId}" does not carry a valid coordinator signature`,
      );
    return receipt;
  });
}

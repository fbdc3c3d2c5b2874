/**
 * ListReceipts: the authenticated participant's own signed receipts, every round. They are the
 * participant's witness that its audit log reached each receipted entry; another participant's receipts
 * are never part of the answer (the query is by the id the request signature proved).
 */
import { create } from '@bufbuild/protobuf';
import { ListReceiptsResponseSchema } from '../../protocol/gen/accord/v1/transfer_pb.js';
import type { ListReceiptsRequest } from '../../protocol/gen/accord/v1/transfer_pb.js';
import { receiptFromJson } from '../serde/update-serde.ts';
import type { CoordinatorContext, IncomingRequest } from './coordinator-context.ts';

export async function listReceipts(context: CoordinatorContext, request: IncomingRequest<ListReceiptsRequest>) {
  const receipts = context.store.receiptsOf(request.participantId).map(receiptFromJson);
  return create(ListReceiptsResponseSchema, { receipts });
}

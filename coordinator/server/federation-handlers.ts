/** Every accord.v1 method this coordinator serves, bound to its context. */
import type { CoordinatorContext, IncomingRequest } from './coordinator-context.ts';
import { enrol, hello } from './enrolment-handlers.ts';
import type { FederationHandler, FederationHandlers } from './grpc-server.ts';
import { listReceipts } from './receipt-handlers.ts';
import { advertiseKeys, shareKeys, submitMaskedInput, unmask } from './secure-aggregation-handlers.ts';
import { decline, downloadModel, pollTask, reportMetrics } from './task-handlers.ts';
import { beginUpload, commitUpload, putUploadChunk } from './upload-handlers.ts';

function bind<T>(
  context: CoordinatorContext,
  handler: (context: CoordinatorContext, request: IncomingRequest<T>) => unknown,
): FederationHandler {
  return async (request) => handler(context, request as IncomingRequest<T>);
}

export function federationHandlers(context: CoordinatorContext): FederationHandlers {
  return {
    hello: bind(context, hello),
    enrol: bind(context, enrol),
    pollTask: bind(context, pollTask),
    downloadModel: bind(context, downloadModel),
    beginUpload: bind(context, beginUpload),
    putUploadChunk: bind(context, putUploadChunk),
    commitUpload: bind(context, commitUpload),
    listReceipts: bind(context, listReceipts),
    decline: bind(context, decline),
    reportMetrics: bind(context, reportMetrics),
    // A federation without secure aggregation answers its stages UNIMPLEMENTED.
    ...(context.secureAggregation && {
      advertiseKeys: bind(context, advertiseKeys),
      shareKeys: bind(context, shareKeys),
      submitMaskedInput: bind(context, submitMaskedInput),
      unmask: bind(context, unmask),
    }),
  };
}

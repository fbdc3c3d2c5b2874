/** An error that becomes a precise gRPC status and message for the caller. */
import { status } from '@grpc/grpc-js';

export class FederationError extends Error {
  readonly code: status;

  constructor(code: status, message: string) {
    super(message);
    this.code = code;
  }
}

export const invalidArgument = (message: string) => new FederationError(status.INVALID_ARGUMENT, message);
export const unauthenticated = (message: string) => new FederationError(status.UNAUTHENTICATED, message);
export const permissionDenied = (message: string) => new FederationError(status.PERMISSION_DENIED, message);
export const resourceExhausted = (message: string) => new FederationError(status.RESOURCE_EXHAUSTED, message);
export const failedPrecondition = (message: string) => new FederationError(status.FAILED_PRECONDITION, message);
export const deadlineExceeded = (message: string) => new FederationError(status.DEADLINE_EXCEEDED, message);
export const notFound = (message: string) => new FederationError(status.NOT_FOUND, message);
export const alreadyExists = (message: string) => new FederationError(status.ALREADY_EXISTS, message);

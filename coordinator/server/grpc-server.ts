/**
 * The accord.v1 service on grpc-js: a hand-written service definition over protobuf-es (toBinary /
 * fromBinary), request authentication, and the mapping of handler errors to gRPC statuses.
 */
import * as grpc from '@grpc/grpc-js';
import type { DescMessage } from '@bufbuild/protobuf';
import { decodeMessage, encodeMessage, federationMethods } from '../../protocol/federation-methods.ts';
import type { FederationMethod, FederationMethodName } from '../../protocol/federation-methods.ts';
import { sha256Hex } from '../../protocol/request-signature.ts';
import type { CoordinatorStore } from '../store/coordinator-store.ts';
import { FederationError, invalidArgument } from './federation-error.ts';
import type { IncomingRequest } from './coordinator-context.ts';
import { authenticateRequest } from './request-auth.ts';

/** Methods callable before enrolment: they carry no signature. */
const unsignedMethods = new Set<FederationMethodName>(['hello', 'enrol']);

interface RawRequest {
  readonly message?: unknown;
  readonly error?: string;
  readonly bodySha256: string;
}

export type FederationHandler = (request: IncomingRequest<never>) => Promise<unknown>;
export type FederationHandlers = Partial<Record<FederationMethodName, FederationHandler>>;

function decodeSafely(schema: DescMessage, bytes: Buffer): RawRequest {
  const bodySha256 = sha256Hex(bytes);
  try {
    return { message: decodeMessage(schema, bytes), bodySha256 };
  } catch (error) {
    return { error: (error as Error).message, bodySha256 };
  }
}

function definitionFor(method: FederationMethod): grpc.MethodDefinition<RawRequest, unknown> {
  return {
    path: method.path,
    requestStream: false,
    responseStream: false,
    originalName: method.name,
    // Never throws: a malformed body becomes INVALID_ARGUMENT in the handler, not an opaque INTERNAL.
    requestDeserialize: (bytes: Buffer) => decodeSafely(method.input, bytes),
    requestSerialize: () => Buffer.alloc(0),
    responseSerialize: (value: unknown) => encodeMessage(method.output, value),
    responseDeserialize: (bytes: Buffer) => decodeMessage(method.output, bytes),
  };
}

function toServiceError(error: unknown): Partial<grpc.ServiceError> {
  if (error instanceof FederationError) return { code: error.code, details: error.message };
  return { code: grpc.status.INTERNAL, details: `the coordinator failed: ${(error as Error).message}` };
}

function unaryHandler(method: FederationMethod, store: CoordinatorStore, handler: FederationHandler | undefined) {
  return (call: grpc.ServerUnaryCall<RawRequest, unknown>, callback: grpc.sendUnaryData<unknown>) => {
    const controller = new AbortController();
    call.on('cancelled', () => controller.abort());
    const run = async () => {
      const raw = call.request;
      const participantId = unsignedMethods.has(method.name)
        ? ''
        : authenticateRequest(store, method.path, call.metadata, raw.bodySha256);
      if (raw.error !== undefined) throw invalidArgument(`malformed ${method.input.typeName}: ${raw.error}`);
      if (!handler)
        throw new FederationError(grpc.status.UNIMPLEMENTED, `${method.name} is not served by this federation yet`);
      const clientAddress = call.getPeer().replace(/:\d+$/, '');
      return handler({ message: raw.message as never, participantId, clientAddress, signal: controller.signal });
    };
    run().then(
      (response) => callback(null, response),
      (error: unknown) => callback(toServiceError(error)),
    );
  };
}

export function federationService(
  store: CoordinatorStore,
  handlers: FederationHandlers,
): {
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
} {
  const definition: Record<string, grpc.MethodDefinition<RawRequest, unknown>> = {};
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const method of federationMethods) {
    definition[method.name] = definitionFor(method);
    implementation[method.name] = unaryHandler(method, store, handlers[method.name]);
  }
  return { definition: definition as grpc.ServiceDefinition, implementation };
}

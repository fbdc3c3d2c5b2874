/**
 * Requests with exactly the bytes and signature headers a test chooses, sent over a participant's real
 * gRPC channel: how the refusal tests play a client that does not follow the protocol.
 */
import * as grpc from '@grpc/grpc-js';
import type { KeyObject } from 'node:crypto';
import { encodeMessage, methodNamed } from '../../../protocol/federation-methods.ts';
import type { FederationMethodName } from '../../../protocol/federation-methods.ts';
import { sha256Hex, signedRequestHeaders } from '../../../protocol/request-signature.ts';
import type { GrpcFederationLink } from '../../../main/participant/coordinator-client/grpc-federation-link.ts';

export interface RawAnswer {
  readonly code: number;
  readonly details: string;
}

export interface RawRequestOptions {
  readonly body?: Buffer;
  readonly timestampMs?: number;
  /** null: send it unsigned. */
  readonly signingKey?: KeyObject | null;
}

export class RawRequests {
  readonly link: GrpcFederationLink;
  readonly key: KeyObject;

  constructor(link: GrpcFederationLink, key: KeyObject) {
    this.link = link;
    this.key = key;
  }

  /** The method's path, the encoded body and signed metadata, ready to be sent (or replayed). */
  prepare(name: FederationMethodName, request: unknown, options: RawRequestOptions = {}) {
    const method = methodNamed(name);
    const body = options.body ?? encodeMessage(method.input, request);
    const metadata = new grpc.Metadata();
    if (options.signingKey !== null) {
      const signed = { methodPath: method.path, participantId: this.link.participantId!, bodySha256: sha256Hex(body) };
      const headers = signedRequestHeaders(signed, options.signingKey ?? this.key, options.timestampMs);
      for (const [header, value] of Object.entries(headers)) metadata.set(header, value);
    }
    return { path: method.path, body, metadata };
  }

  /** Sends one request; resolves to the gRPC status it got. */
  send(name: FederationMethodName, request: unknown, options: RawRequestOptions = {}): Promise<RawAnswer> {
    const { path, body, metadata } = this.prepare(name, request, options);
    return this.sendPrepared(path, body, metadata);
  }

  sendPrepared(path: string, body: Buffer, metadata: grpc.Metadata): Promise<RawAnswer> {
    return this.link.transport.rawCall(path, body, metadata).then(
      () => ({ code: grpc.status.OK, details: '' }),
      (error: grpc.ServiceError) => ({ code: error.code, details: error.details }),
    );
  }
}

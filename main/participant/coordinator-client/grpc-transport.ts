/**
 * The participant's gRPC channel to a coordinator: TLS (mutual TLS with a client certificate when given),
 * unary accord.v1 calls encoded with protobuf-es, every call after enrolment signed (Ed25519 over method,
 * participant id, timestamp, a random nonce and the sha256 of the exact request bytes), retried with back-off.
 */
import * as grpc from '@grpc/grpc-js';
import type { KeyObject } from 'node:crypto';
import {
  decodeMessage,
  defaultChunkBytes,
  encodeMessage,
  methodNamed,
} from '../../../protocol/federation-methods.ts';
import type { FederationMethodName, RequestOf, ResponseOf } from '../../../protocol/federation-methods.ts';
import { sha256Hex, signedRequestHeaders } from '../../../protocol/request-signature.ts';
import { defaultRetryPolicy, withRetries } from './retry-policy.ts';
import type { RetryPolicy } from './retry-policy.ts';

export interface TlsOptions {
  readonly caPem: string | Buffer;
  /** Client certificate and key for mutual TLS. */
  readonly certificatePem?: string | Buffer;
  readonly privateKeyPem?: string | Buffer;
}

export interface TransportOptions {
  /** host:port */
  readonly address: string;
  readonly tls: TlsOptions;
  readonly retry?: RetryPolicy;
  /** Per-call deadline (long polls add their wait). */
  readonly callTimeoutMs?: number;
}

export interface Signer {
  readonly participantId: string;
  readonly privateKey: KeyObject;
}

export class GrpcTransport {
  readonly #client: grpc.Client;
  readonly #retry: RetryPolicy;
  readonly #timeoutMs: number;

  constructor(options: TransportOptions) {
    const { caPem, certificatePem, privateKeyPem } = options.tls;
    const credentials = grpc.credentials.createSsl(
      Buffer.from(caPem),
      privateKeyPem ? Buffer.from(privateKeyPem) : null,
      certificatePem ? Buffer.from(certificatePem) : null,
    );
    const limit = 2 * defaultChunkBytes + 64 * 1024;
    this.#client = new grpc.Client(options.address, credentials, {
      'grpc.max_receive_message_length': limit,
      'grpc.max_send_message_length': limit,
    });
    this.#retry = options.retry ?? defaultRetryPolicy;
    this.#timeoutMs = options.callTimeoutMs ?? 60_000;
  }

  close(): void {
    this.#client.close();
  }

  /** One call, retried on UNAVAILABLE / DEADLINE_EXCEEDED; each attempt is signed afresh. */
  call<M extends FederationMethodName>(
    name: M,
    request: RequestOf<M>,
    signer?: Signer,
    extraTimeoutMs = 0,
  ): Promise<ResponseOf<M>> {
    return withRetries(this.#retry, () => this.callOnce(name, request, signer, extraTimeoutMs));
  }

  callOnce<M extends FederationMethodName>(
    name: M,
    request: RequestOf<M>,
    signer?: Signer,
    extraTimeoutMs = 0,
  ): Promise<ResponseOf<M>> {
    const method = methodNamed(name);
    const body = encodeMessage(method.input, request);
    const metadata = new grpc.Metadata();
    if (signer) {
      const request = { methodPath: method.path, participantId: signer.participantId, bodySha256: sha256Hex(body) };
      for (const [name, value] of Object.entries(signedRequestHeaders(request, signer.privateKey)))
        metadata.set(name, value);
    }
    return this.rawCall(method.path, body, metadata, extraTimeoutMs).then(
      (bytes) => decodeMessage(method.output, bytes) as ResponseOf<M>,
    );
  }

  /** Sends exact bytes (also used by tests to send malformed or unsigned requests). */
  rawCall(path: string, body: Buffer, metadata: grpc.Metadata, extraTimeoutMs = 0): Promise<Buffer> {
    const deadline = new Date(Date.now() + this.#timeoutMs + extraTimeoutMs);
    return new Promise((resolve, reject) => {
      this.#client.makeUnaryRequest(
        path,
        (value: Buffer) => value,
        (value: Buffer) => value,
        body,
        metadata,
        { deadline },
        (error, response) => (error || !response ? reject(error ?? new Error('empty response')) : resolve(response)),
      );
    });
  }
}

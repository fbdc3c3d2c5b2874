/**
 * The grpc-js server options that bound what a client can hold (config.transport): streams per
 * connection, the largest message (one upload chunk and its envelope), keepalive, idle and maximum
 * connection age, the TLS handshake time, and the request-arrival guard.
 */
import type * as grpc from '@grpc/grpc-js';
import type { CoordinatorConfig } from '../config/coordinator-config.ts';
import { maxMessageBytes } from './enrolment-handlers.ts';
import { requestArrivalGuard } from './request-arrival-guard.ts';

type ServerOptions = ConstructorParameters<typeof grpc.Server>[0];

export function grpcServerOptions(config: CoordinatorConfig): ServerOptions {
  const transport = config.transport;
  const limit = maxMessageBytes(config.limits.chunkBytes);
  return {
    'grpc.max_receive_message_length': limit,
    'grpc.max_send_message_length': limit,
    'grpc.max_concurrent_streams': transport.maxStreamsPerConnection,
    'grpc.keepalive_time_ms': transport.keepaliveSeconds * 1000,
    'grpc.keepalive_timeout_ms': transport.keepaliveTimeoutSeconds * 1000,
    'grpc.max_connection_idle_ms': transport.connectionIdleSeconds * 1000,
    'grpc.max_connection_age_ms': transport.connectionAgeSeconds * 1000,
    // A long poll in flight when the connection is asked to go away may finish its wait.
    'grpc.max_connection_age_grace_ms':
      Math.max(transport.connectionAgeGraceSeconds, config.limits.maxPollSeconds + 5) * 1000,
    interceptors: [requestArrivalGuard(transport)],
  };
}

/**
 * Node's TLS server closes a connection whose handshake has not finished in `handshakeTimeout` ms.
 * grpc-js passes a credential's constructor options to that server, so the limit is set there.
 */
export function withTlsHandshakeTimeout(credentials: grpc.ServerCredentials, seconds: number): grpc.ServerCredentials {
  const options = credentials._getConstructorOptions();
  if (!options) throw new Error('the coordinator serves TLS only: its credentials have no TLS options');
  Object.assign(options, { handshakeTimeout: seconds * 1000 });
  return credentials;
}

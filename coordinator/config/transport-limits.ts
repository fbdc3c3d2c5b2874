/**
 * How much of the coordinator one client can hold before it is authenticated: streams per connection,
 * the time a request has to arrive whole, idle and old connections, the TLS handshake, and enrolments per
 * client address. Each bounds memory or sockets that a client holds without having proved anything.
 */
import { z } from 'zod';

export const transportLimitsDefaults = {
  /** Concurrent calls on one HTTP/2 connection; a participant needs a long poll and an upload at once. */
  maxStreamsPerConnection: 8,
  /** Calls still receiving their request, per client address: each may buffer up to one message. */
  maxReceivingCallsPerAddress: 16,
  /** A request must arrive whole within this many seconds of its headers. */
  requestReceiveSeconds: 10,
  /** A TLS handshake must finish within this many seconds of the connection. */
  tlsHandshakeSeconds: 10,
  /** A connection without calls is closed after this many seconds. */
  connectionIdleSeconds: 120,
  /** A connection is asked to go away after this many seconds (calls in flight get the grace below). */
  connectionAgeSeconds: 1800,
  connectionAgeGraceSeconds: 60,
  /** Keepalive pings on a connection silent this long; no answer within the timeout closes it. */
  keepaliveSeconds: 60,
  keepaliveTimeoutSeconds: 20,
  /** Enrol attempts per client address: a burst, then one per refill interval. */
  enrolBurst: 10,
  enrolRefillSeconds: 6,
} as const;

const seconds = z.number().positive();
const count = z.number().int().positive();

export const transportLimitsSchema = z
  .object({
    maxStreamsPerConnection: count.default(transportLimitsDefaults.maxStreamsPerConnection),
    maxReceivingCallsPerAddress: count.default(transportLimitsDefaults.maxReceivingCallsPerAddress),
    requestReceiveSeconds: seconds.default(transportLimitsDefaults.requestReceiveSeconds),
    tlsHandshakeSeconds: seconds.default(transportLimitsDefaults.tlsHandshakeSeconds),
    connectionIdleSeconds: seconds.default(transportLimitsDefaults.connectionIdleSeconds),
    connectionAgeSeconds: seconds.default(transportLimitsDefaults.connectionAgeSeconds),
    connectionAgeGraceSeconds: seconds.default(transportLimitsDefaults.connectionAgeGraceSeconds),
    keepaliveSeconds: seconds.default(transportLimitsDefaults.keepaliveSeconds),
    keepaliveTimeoutSeconds: seconds.default(transportLimitsDefaults.keepaliveTimeoutSeconds),
    enrolBurst: count.default(transportLimitsDefaults.enrolBurst),
    enrolRefillSeconds: seconds.default(transportLimitsDefaults.enrolRefillSeconds),
  })
  .default(transportLimitsDefaults);

export type TransportLimits = z.infer<typeof transportLimitsSchema>;

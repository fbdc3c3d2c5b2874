/**
 * A gRPC server interceptor that bounds what a client holds before its request has arrived: from a call's
 * headers to its whole message, grpc-js buffers the message as it comes, so each such call may hold up to
 * one maximum-size message. A client address may have only so many calls receiving at once (the next is
 * refused RESOURCE_EXHAUSTED), and a request that is not whole, message and end of stream, within the
 * receive time is ended DEADLINE_EXCEEDED; a refused call's stream is reset, which releases its buffer. Calls that have their request are not counted: a long
 * poll waiting for a task holds no buffer.
 */
import * as grpc from '@grpc/grpc-js';
import { constants } from 'node:http2';
import type { ServerHttp2Stream } from 'node:http2';
import type { TransportLimits } from '../config/transport-limits.ts';

type GuardLimits = Pick<TransportLimits, 'maxReceivingCallsPerAddress' | 'requestReceiveSeconds'>;

/**
 * grpc-js answers a refused call but leaves the client's half of the stream open, and with it the bytes
 * buffered so far, for as long as the client keeps it open. After a complete answer a server may reset the
 * stream with NO_ERROR (RFC 9113, section 8.1), which frees them; grpc-js keeps the stream on the call.
 */
function resetAfterAnswer(call: grpc.ServerInterceptingCallInterface): void {
  const stream = (call as unknown as { stream?: Partial<ServerHttp2Stream> }).stream;
  if (typeof stream?.close !== 'function') return;
  // After the answer's frames are handed to the session, so the client reads the status before the reset.
  setImmediate(() => stream.closed || stream.close!(constants.NGHTTP2_CANCEL));
}

export function requestArrivalGuard(limits: GuardLimits): grpc.ServerInterceptor {
  const receiving = new Map<string, number>();
  const release = (address: string) => {
    const left = (receiving.get(address) ?? 1) - 1;
    if (left > 0) receiving.set(address, left);
    else receiving.delete(address);
  };
  return (_method, call) => {
    const address = call.getConnectionInfo().remoteAddress ?? 'unknown';
    let timer: NodeJS.Timeout | undefined;
    let counted = false;
    const arrived = () => {
      clearTimeout(timer);
      if (counted) release(address);
      counted = false;
    };
    const refuse = (code: grpc.status, details: string) => {
      call.sendStatus({ code, details, metadata: new grpc.Metadata() });
      resetAfterAnswer(call);
    };
    const onMetadata = (metadata: grpc.Metadata, next: (metadata: grpc.Metadata) => void) => {
      if ((receiving.get(address) ?? 0) >= limits.maxReceivingCallsPerAddress) {
        refuse(
          grpc.status.RESOURCE_EXHAUSTED,
          `this address already has ${limits.maxReceivingCallsPerAddress} requests arriving; send fewer at once`,
        );
        return;
      }
      receiving.set(address, (receiving.get(address) ?? 0) + 1);
      counted = true;
      timer = setTimeout(() => {
        arrived();
        refuse(
          grpc.status.DEADLINE_EXCEEDED,
          `the request did not arrive whole within ${limits.requestReceiveSeconds} s`,
        );
      }, limits.requestReceiveSeconds * 1000);
      next(metadata);
    };
    const listener = new grpc.ServerListenerBuilder()
      .withOnReceiveMetadata(onMetadata)
      .withOnReceiveHalfClose((next) => {
        arrived();
        next();
      })
      .withOnCancel(arrived)
      .build();
    return new grpc.ServerInterceptingCall(call, { start: (next) => next(listener) });
  };
}

/**
 * Clients that hold a coordinator's resources without finishing anything, as a memory-exhaustion attack
 * would: HTTP/2 streams that send part of a message, streams that send only headers, TLS connections
 * that open no stream, and TCP sockets that never start TLS. Each comes from a loopback address of the
 * test's choosing, so the limits per client address can be told apart from the honest client's.
 */
import { readFileSync } from 'node:fs';
import * as http2 from 'node:http2';
import { connect as tcpConnect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface AttackTarget {
  readonly port: number;
  readonly caPath: string;
  /** Local loopback address the attack connects from, e.g. 127.0.0.2. */
  readonly from: string;
}

export interface OpenedStream {
  /** The grpc-status the coordinator answered, once it has. */
  status(): string | undefined;
  /** Whether the stream is closed at both ends. */
  closed(): boolean;
}

export function openSession(target: AttackTarget): http2.ClientHttp2Session {
  const session = http2.connect(`https://localhost:${target.port}`, {
    createConnection: () =>
      tlsConnect({
        socket: tcpConnect({ host: '127.0.0.1', port: target.port, localAddress: target.from }),
        servername: 'localhost',
        ca: readFileSync(target.caPath),
        ALPNProtocols: ['h2'],
      }),
  });
  session.on('error', () => undefined);
  return session;
}

/** A unary call's stream with `sendBytes` of a `declaredBytes` message written and the rest held back. */
export function openPartialStream(
  session: http2.ClientHttp2Session,
  declaredBytes: number,
  sendBytes: number,
): OpenedStream {
  const stream = session.request({
    ':method': 'POST',
    ':path': '/accord.v1.FederationService/PutUploadChunk',
    'content-type': 'application/grpc',
    te: 'trailers',
  });
  let status: string | undefined;
  let closed = false;
  stream.on('response', (headers) => {
    if (headers['grpc-status'] !== undefined) status = String(headers['grpc-status']);
  });
  stream.on('trailers', (trailers) => (status = String(trailers['grpc-status'])));
  stream.on('error', () => undefined);
  stream.on('close', () => (closed = true));
  if (sendBytes > 0) {
    const prefix = Buffer.alloc(5);
    prefix.writeUInt32BE(declaredBytes, 1);
    stream.write(Buffer.concat([prefix, Buffer.alloc(sendBytes - 5, 7)]));
  }
  return { status: () => status, closed: () => closed };
}

/** Resolves when the socket closes: the coordinator ended it. */
export function closedPromise(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

/** A TCP connection that never starts TLS. */
export function silentSocket(target: AttackTarget): Socket {
  const socket = tcpConnect({ host: '127.0.0.1', port: target.port, localAddress: target.from });
  socket.on('error', () => undefined);
  return socket;
}

/** The coordinator process's resident memory in MiB, from /proc. */
export function residentMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('VmRSS:'));
  if (!line) throw new Error(`/proc/${pid}/status has no VmRSS line`);
  return Number(line.replace(/\D+/g, '')) / 1024;
}

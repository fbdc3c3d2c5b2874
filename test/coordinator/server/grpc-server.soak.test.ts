/**
 * Soak: a coordinator process under clients that hold resources without finishing anything. Partial
 * messages, header-only streams, TLS connections without streams and sockets that never start TLS all
 * come from other loopback addresses than the honest participant's, whose Hello must still be answered.
 */
import * as grpc from '@grpc/grpc-js';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordinatorConfig } from '../../../coordinator/config/coordinator-config.ts';
import { maxMessageBytes } from '../../../coordinator/server/enrolment-handlers.ts';
import { federationPaths } from '../../../coordinator/setup/federation-files.ts';
import { freePort, killChild, startChild } from '../support/child-process.ts';
import type { WatchedChild } from '../support/child-process.ts';
import { participantLink, writeTestFederationFile } from '../support/test-federation.ts';
import {
  closedPromise,
  openPartialStream,
  openSession,
  residentMiB,
  silentSocket,
} from '../support/transport-attacks.ts';
import type { AttackTarget, OpenedStream } from '../support/transport-attacks.ts';

const accordBin = fileURLToPath(new URL('../../../bin/accord.js', import.meta.url));
const chunkBytes = 1024 * 1024;
const transport = {
  maxStreamsPerConnection: 8,
  maxReceivingCallsPerAddress: 16,
  requestReceiveSeconds: 3,
  tlsHandshakeSeconds: 2,
  connectionIdleSeconds: 2,
};
/**
 * What one address may make the coordinator hold: its receiving calls, each up to one largest message,
 * plus 32 MiB for the attack's 50 TLS sessions and the allocator's slack.
 */
const memoryBoundMiB = (transport.maxReceivingCallsPerAddress * maxMessageBytes(chunkBytes)) / 2 ** 20 + 32;

let config: CoordinatorConfig;
let port: number;
let coordinator: WatchedChild;

beforeAll(async () => {
  port = await freePort();
  let configPath: string;
  const overrides = { listen: { host: '127.0.0.1', port }, transport, limits: { chunkBytes } };
  ({ config, configPath } = await writeTestFederationFile(overrides));
  coordinator = startChild([accordBin, 'coordinator', 'run', '--config', configPath]);
  await coordinator.waitFor(/listening on/);
});

afterAll(async () => {
  await killChild(coordinator);
});

const attackFrom = (from: string): AttackTarget => ({
  port,
  from,
  caPath: federationPaths(config.dataDir).caCertificate,
});

async function waitUntil(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`within ${timeoutMs} ms: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function tally(streams: readonly OpenedStream[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const stream of streams) {
    const key = `status ${stream.status() ?? 'none'}, ${stream.closed() ? 'closed' : 'open'}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** `sessions` connections from `from`, each with as many streams as a connection may carry. */
function attack(from: string, sessions: number, declaredBytes: number, sendBytes: number) {
  const opened = Array.from({ length: sessions }, () => openSession(attackFrom(from)));
  const streams = opened.flatMap((session) =>
    Array.from({ length: transport.maxStreamsPerConnection }, () =>
      openPartialStream(session, declaredBytes, sendBytes),
    ),
  );
  return { streams, close: () => opened.forEach((session) => session.destroy()) };
}

describe('the coordinator under clients that never finish', () => {
  it('holds at most one address’s receiving calls of partial 1.06 MiB messages, answers Hello, and frees them', async () => {
    const pid = coordinator.process.pid!;
    const honest = participantLink(config, `127.0.0.1:${port}`, { name: 'honest' });
    await honest.hello();
    const baseline = residentMiB(pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, residentMiB(pid))), 50);
    const declared = maxMessageBytes(chunkBytes) - 1024;
    const partial = attack('127.0.0.2', 50, declared, declared - 4096);
    try {
      await expect(honest.hello()).resolves.toMatchObject({});
      const settle = transport.requestReceiveSeconds * 1000 + 5_000;
      await waitUntil(
        () => partial.streams.every((stream) => stream.closed()),
        settle,
        () => `not every partial stream was answered and closed: ${JSON.stringify(tally(partial.streams))}`,
      );
    } finally {
      clearInterval(sampler);
      partial.close();
      honest.close();
    }
    const counts = tally(partial.streams);
    console.log(`partial messages: RSS ${baseline.toFixed(0)} → peak ${peak.toFixed(0)} MiB`, counts);
    expect(peak - baseline).toBeLessThan(memoryBoundMiB);
    const receiving = transport.maxReceivingCallsPerAddress;
    expect(counts).toEqual({
      [`status ${grpc.status.DEADLINE_EXCEEDED}, closed`]: receiving,
      [`status ${grpc.status.RESOURCE_EXHAUSTED}, closed`]: partial.streams.length - receiving,
    });
  }, 30_000);

  it('ends header-only streams, TLS connections without calls and sockets that never start TLS', async () => {
    const headerOnly = attack('127.0.0.3', 50, 0, 0);
    const idleTls = Array.from({ length: 50 }, () => openSession(attackFrom('127.0.0.4')));
    const idleClosed = idleTls.map((session) => new Promise<void>((resolve) => session.once('close', resolve)));
    const silent = Array.from({ length: 100 }, () => silentSocket(attackFrom('127.0.0.5')));
    const silentClosed = silent.map(closedPromise);
    let idleDone = 0;
    let silentDone = 0;
    idleClosed.forEach((closed) => void closed.then(() => (idleDone += 1)));
    silentClosed.forEach((closed) => void closed.then(() => (silentDone += 1)));
    try {
      const slackMs = 4_000;
      await waitUntil(
        () => silentDone === silent.length,
        transport.tlsHandshakeSeconds * 1000 + slackMs,
        () => `${silent.length - silentDone} of ${silent.length} sockets that never started TLS are still open`,
      );
      await waitUntil(
        () => idleDone === idleTls.length,
        transport.connectionIdleSeconds * 1000 + slackMs,
        () => `${idleTls.length - idleDone} of ${idleTls.length} TLS connections without calls are still open`,
      );
      await waitUntil(
        () => headerOnly.streams.every((stream) => stream.closed()),
        transport.requestReceiveSeconds * 1000 + slackMs,
        () => `not every header-only stream was ended: ${JSON.stringify(tally(headerOnly.streams))}`,
      );
    } finally {
      headerOnly.close();
      idleTls.forEach((session) => session.destroy());
      silent.forEach((socket) => socket.destroy());
    }
    const answered = headerOnly.streams.map((stream) => Number(stream.status()));
    expect(new Set(answered)).toEqual(new Set([grpc.status.DEADLINE_EXCEEDED, grpc.status.RESOURCE_EXHAUSTED]));
  }, 30_000);
});

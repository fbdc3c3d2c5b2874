/**
 * Fuzz, bounded and seeded: every accord.v1 method of a live coordinator (plain and with secure
 * aggregation) gets random bytes and mutations of a valid request, signed by an enrolled participant so
 * they reach the decoder and the handler. Every answer must be a precise status (never INTERNAL, UNKNOWN
 * or a dropped connection), a refused request must leave the store as it was, and the coordinator must
 * still answer Hello at the end.
 */
import * as grpc from '@grpc/grpc-js';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { Coordinator } from '../../../coordinator/coordinator.ts';
import { createInvitation } from '../../../coordinator/setup/federation-files.ts';
import { encodeMessage, federationMethods, protocolVersion } from '../../../protocol/federation-methods.ts';
import type { FederationMethodName } from '../../../protocol/federation-methods.ts';
import type { GrpcFederationLink } from '../../../main/participant/coordinator-client/grpc-federation-link.ts';
import { seededRandom } from '../../support/seeded-random.ts';
import { RawRequests } from '../support/raw-requests.ts';
import { participantLink, startCoordinator, writeTestFederation } from '../support/test-federation.ts';

const casesPerMethod = 20;
const preciseCodes = new Set([
  grpc.status.OK,
  grpc.status.INVALID_ARGUMENT,
  grpc.status.NOT_FOUND,
  grpc.status.ALREADY_EXISTS,
  grpc.status.PERMISSION_DENIED,
  grpc.status.RESOURCE_EXHAUSTED,
  grpc.status.FAILED_PRECONDITION,
  grpc.status.OUT_OF_RANGE,
  grpc.status.UNAUTHENTICATED,
  grpc.status.UNIMPLEMENTED,
]);
const storedTables = [
  'participants',
  'invitations',
  'rounds',
  'assignments',
  'uploads',
  'round_metrics',
  'checkpoints',
];

function validRequest(name: FederationMethodName, roundId: string): unknown {
  const bytes = new Uint8Array(32).fill(3);
  const samples: Record<FederationMethodName, unknown> = {
    hello: { supportedVersions: [protocolVersion], clientName: 'fuzz', maxMessageBytes: 1024 },
    enrol: { invitationToken: 'accord1_fuzz', publicKey: bytes, displayName: 'fuzz' },
    pollTask: { waitSeconds: 0 },
    downloadModel: { roundId, offset: 0n, maxBytes: 64 },
    beginUpload: { uploadId: 'fuzz-upload-1', roundId, totalBytes: 100n, sha256: 'ab'.repeat(32), numExamples: 2n },
    putUploadChunk: { uploadId: 'fuzz-upload-1', offset: 0n, data: bytes },
    commitUpload: { uploadId: 'fuzz-upload-1', sha256: 'ab'.repeat(32) },
    listReceipts: {},
    decline: { roundId, detail: 'fuzz' },
    reportMetrics: { roundId, metrics: { loss: 1 } },
    advertiseKeys: { roundId, encryptionPublicKey: bytes, maskPublicKey: bytes, message: bytes },
    shareKeys: { roundId, encryptedShares: { someone: bytes }, message: bytes },
    submitMaskedInput: { roundId, uploadId: 'fuzz-upload-1' },
    unmask: { roundId, shares: { someone: bytes }, message: bytes },
  };
  return samples[name];
}

function mutate(valid: Buffer, random: () => number): Buffer {
  const pick = (n: number) => Math.floor(random() * n);
  const bytes = Buffer.from(valid);
  switch (pick(4)) {
    case 0: // random bytes
      return Buffer.from(Array.from({ length: pick(64) }, () => pick(256)));
    case 1: // flipped bytes
      for (let i = 0; i < 1 + pick(4) && bytes.length > 0; i++) bytes[pick(bytes.length)] = pick(256);
      return bytes;
    case 2: // cut short
      return bytes.subarray(0, pick(bytes.length + 1));
    default: // random bytes spliced in
      return Buffer.concat([bytes.subarray(0, pick(bytes.length + 1)), Buffer.from([pick(256), pick(256), pick(256)])]);
  }
}

function storeDigest(coordinator: Coordinator): string {
  const hash = createHash('sha256');
  for (const table of storedTables)
    hash.update(JSON.stringify(coordinator.context.store.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all()));
  return hash.digest('hex');
}

const running: { coordinator: Coordinator; link: GrpcFederationLink }[] = [];
afterAll(async () => {
  for (const { coordinator, link } of running) {
    link.close();
    await coordinator.stop();
  }
});

async function fuzzCoordinator(overrides: Record<string, unknown>, seed: number) {
  const config = await writeTestFederation({
    ...overrides,
    limits: { chunkBytes: 16 * 1024, maxPollSeconds: 1 },
    transport: { enrolBurst: 10_000 },
  });
  const { coordinator, address } = await startCoordinator(config);
  const key = generateKeyPairSync('ed25519').privateKey;
  const link = participantLink(config, address, {
    name: 'fuzzer',
    privateKeyPem: key.export({ format: 'pem', type: 'pkcs8' }).toString(),
  });
  running.push({ coordinator, link });
  await link.enrol(createInvitation(config, 1), 'fuzzer');
  const raw = new RawRequests(link, key);
  const roundId = coordinator.context.store.latestRound()!.id;
  const random = seededRandom(seed);
  const answers: Record<string, number> = {};
  for (const method of federationMethods) {
    const valid = encodeMessage(method.input, validRequest(method.name, roundId));
    for (let n = 0; n < casesPerMethod; n++) {
      const body = mutate(valid, random);
      const before = storeDigest(coordinator);
      const answer = await raw.send(method.name, undefined, { body });
      const where = `${method.name} case ${n} (seed ${seed}, body ${body.toString('hex')}): ${answer.code} ${answer.details}`;
      expect(preciseCodes.has(answer.code), where).toBe(true);
      if (answer.code !== grpc.status.OK)
        expect(storeDigest(coordinator), `stored after refusal: ${where}`).toBe(before);
      answers[grpc.status[answer.code]!] = (answers[grpc.status[answer.code]!] ?? 0) + 1;
    }
  }
  await expect(link.hello()).resolves.toMatchObject({});
  console.log(`fuzz seed ${seed}:`, answers);
  return answers;
}

describe('fuzzed requests to every coordinator method', () => {
  it('get precise statuses and store nothing when refused, without secure aggregation', async () => {
    const answers = await fuzzCoordinator({ participantsPerRound: { min: 1, max: 3 } }, 20261205);
    expect(Object.values(answers).reduce((a, b) => a + b, 0)).toBe(federationMethods.length * casesPerMethod);
  }, 60_000);

  it('get precise statuses and store nothing when refused, with secure aggregation', async () => {
    const answers = await fuzzCoordinator({ secureAggregation: true }, 7);
    expect(Object.values(answers).reduce((a, b) => a + b, 0)).toBe(federationMethods.length * casesPerMethod);
  }, 60_000);
});

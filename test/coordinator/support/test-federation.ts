/** A real coordinator on 127.0.0.1 with TLS, its own CA, and enrolled participants, in a temp folder. */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCoordinatorConfig } from '../../../coordinator/config/coordinator-config.ts';
import type { CoordinatorConfig } from '../../../coordinator/config/coordinator-config.ts';
import { Coordinator } from '../../../coordinator/coordinator.ts';
import {
  createInvitation,
  federationPaths,
  initFederation,
  writeCertificates,
} from '../../../coordinator/setup/federation-files.ts';
import { writeSafetensorsFile } from '../../../engine/codec/safetensors.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';
import type { ParameterSet } from '../../../engine/tensor/parameter-set.ts';
import { GrpcFederationLink } from '../../../main/participant/coordinator-client/grpc-federation-link.ts';
import { FileUploadJournal } from '../../../main/participant/coordinator-client/upload-journal.ts';
import { RawRequests } from './raw-requests.ts';
import type { RetryPolicy } from '../../../main/participant/coordinator-client/retry-policy.ts';

export const testWeights: ParameterSet = new Map([
  ['layer.weight', tensor([2, 3], [0.1, -0.2, 0.3, 0.4, -0.5, 0.6])],
  ['layer.bias', tensor([2], [0.01, -0.02])],
]);

export async function writeTestFederation(
  overrides: Record<string, unknown> = {},
  weights: ParameterSet = testWeights,
): Promise<CoordinatorConfig> {
  return (await writeTestFederationFile(overrides, weights)).config;
}

/** Also writes the config as coordinator.json, for a coordinator run as a child process. */
export async function writeTestFederationFile(
  overrides: Record<string, unknown> = {},
  weights: ParameterSet = testWeights,
): Promise<{ config: CoordinatorConfig; configPath: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'accord-federation-'));
  await writeSafetensorsFile(join(dir, 'initial.safetensors'), weights);
  const raw = {
    federation: { name: 'Test consortium' },
    listen: { host: '127.0.0.1', port: 0 },
    model: {
      spec: [...weights].map(([name, value]) => ({ name, shape: value.shape })),
      initialWeights: 'initial.safetensors',
    },
    task: 'sentiment',
    strategy: { name: 'fedavg' },
    rounds: 3,
    participantsPerRound: { min: 3, max: 3 },
    roundDeadlineSeconds: 60,
    dp: { clipNorm: 1, noiseMultiplier: 0.5, localSteps: 10, sampleRate: 0.1 },
    training: { learningRate: 0.1 },
    limits: { chunkBytes: 16 * 1024 },
    ...overrides,
  };
  const config = parseCoordinatorConfig(raw, dir);
  initFederation(config);
  await writeCertificates(config, ['127.0.0.1', 'localhost']);
  const configPath = join(dir, 'coordinator.json');
  writeFileSync(configPath, JSON.stringify(raw));
  return { config, configPath };
}

export async function startCoordinator(
  config: CoordinatorConfig,
): Promise<{ coordinator: Coordinator; address: string }> {
  const coordinator = await Coordinator.open(config);
  const port = await coordinator.start();
  return { coordinator, address: `127.0.0.1:${port}` };
}

export interface ParticipantOptions {
  readonly name: string;
  readonly privateKeyPem?: string;
  readonly participantId?: string;
  readonly uploadChunkBytes?: number;
  readonly onUploadChunk?: (confirmedBytes: number) => Promise<void>;
  readonly retry?: RetryPolicy;
}

const testRetry: RetryPolicy = { maxAttempts: 30, baseDelayMs: 50, maxDelayMs: 500 };

export function participantLink(
  config: CoordinatorConfig,
  address: string,
  options: ParticipantOptions,
): GrpcFederationLink {
  const privateKeyPem =
    options.privateKeyPem ??
    generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const home = join(config.dataDir, '..', 'participants', options.name);
  return new GrpcFederationLink({
    address,
    tls: { caPem: readFileSync(federationPaths(config.dataDir).caCertificate) },
    privateKey: privateKeyPem,
    participantId: options.participantId,
    journal: new FileUploadJournal(join(home, 'uploads.json')),
    modelDir: join(home, 'models'),
    pollWaitSeconds: 5,
    uploadChunkBytes: options.uploadChunkBytes,
    onUploadChunk: options.onUploadChunk,
    retry: options.retry ?? testRetry,
  });
}

export async function enrolledParticipant(
  config: CoordinatorConfig,
  address: string,
  name: string,
  privateKeyPem?: string,
  retry?: RetryPolicy,
): Promise<GrpcFederationLink> {
  const link = participantLink(config, address, { name, privateKeyPem, retry });
  await link.enrol(createInvitation(config, 7, name), name);
  return link;
}

/** An enrolled participant whose raw requests a test writes itself; its link is added to `links` to close. */
export async function enrolRaw(
  config: CoordinatorConfig,
  address: string,
  name: string,
  links: GrpcFederationLink[],
): Promise<RawRequests> {
  const key = generateKeyPairSync('ed25519').privateKey;
  const link = participantLink(config, address, {
    name,
    privateKeyPem: key.export({ format: 'pem', type: 'pkcs8' }).toString(),
  });
  links.push(link);
  await link.enrol(createInvitation(config, 1), name);
  return new RawRequests(link, key);
}

/** A coordinator that asks for mutual TLS, with a client certificate issued to `client` under data/certs/clients. */
export async function startMutualTlsCoordinator(
  client: string,
  overrides: Record<string, unknown> = {},
): Promise<{ config: CoordinatorConfig; coordinator: Coordinator; address: string }> {
  const config = await writeTestFederation({ tls: { mutual: true }, ...overrides });
  await writeCertificates(config, ['127.0.0.1', 'localhost'], client);
  return { config, ...(await startCoordinator(config)) };
}

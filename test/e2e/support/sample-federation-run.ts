/** A real federation for tests: coordinator (TLS on loopback) and participant nodes, each with its own home and keychain service. */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Coordinator } from '../../../coordinator/coordinator.ts';
import { createInvitation, federationPaths, initFederation } from '../../../coordinator/setup/federation-files.ts';
import { KeytarCredentialStore } from '../../../main/participant/keychain/keytar-credential-store.ts';
import { splitSampleData, writeSampleCoordinator } from '../../../scripts/demo/sample-federation.ts';
import type { SampleCoordinatorOptions, SampleSplit } from '../../../scripts/demo/sample-federation.ts';
import { startSampleParticipant } from '../../../scripts/demo/sample-participant.ts';
import type { SampleParticipant } from '../../../scripts/demo/sample-participant.ts';

export interface SampleFederationRun {
  readonly dir: string;
  readonly coordinator: Coordinator;
  readonly split: SampleSplit;
  readonly participants: SampleParticipant[];
  close(): Promise<void>;
}

export async function startSampleFederation(
  options: SampleCoordinatorOptions & { alpha: number; approvals: ('policy' | 'person')[] },
): Promise<SampleFederationRun> {
  const dir = mkdtempSync(join(tmpdir(), 'accord-e2e-federation-'));
  const split = await splitSampleData(dir, {
    participants: options.approvals.length,
    alpha: options.alpha,
    seed: options.seed,
  });
  const { config } = await writeSampleCoordinator(join(dir, 'coordinator'), options);
  const coordinator = await Coordinator.open(config);
  const port = await coordinator.start();
  const { federationId } = initFederation(config);
  const caCertificatePem = readFileSync(federationPaths(config.dataDir).caCertificate, 'utf8');
  const services: KeytarCredentialStore[] = [];
  const participants: SampleParticipant[] = [];
  const close = async () => {
    await Promise.allSettled(participants.map((participant) => participant.close()));
    await coordinator.stop();
    await Promise.allSettled(services.map((store) => store.delete('identity.ed25519')));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const [index, approval] of options.approvals.entries()) {
      const name = `site-${index + 1}`;
      const credentials = new KeytarCredentialStore(`Accord-e2e-${randomUUID()}`);
      services.push(credentials);
      const home = join(dir, name);
      mkdirSync(home, { recursive: true });
      participants.push(
        await startSampleParticipant({
          name,
          home,
          credentials,
          shardPath: split.shards[index]!.path,
          approval,
          epsilonBudget: 1000,
          delta: 1e-5,
          coordinator: {
            address: `127.0.0.1:${port}`,
            caCertificatePem,
            federationId,
            invitation: createInvitation(config, 1, name),
          },
        }),
      );
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { dir, coordinator, split, participants, close };
}

/** Resolves when the coordinator has closed `rounds` rounds with a checkpoint, or rejects after timeoutMs. */
export async function waitForCheckpoint(coordinator: Coordinator, round: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!coordinator.context.store.checkpoint(round)) {
    if (Date.now() > until) throw new Error(`round ${round} did not close within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

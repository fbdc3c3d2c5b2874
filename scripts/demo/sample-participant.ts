/**
 * A participant of the sample federation, in this process: its own ACCORD_HOME folder, keychain service and
 * dataset (a shard of the sample data), a privacy budget, a consent policy (approve by policy, or ask a
 * person), the real trainer, and enrolment with the coordinator's invitation — all through the ParticipantApi,
 * as the UI would do it.
 */
import { dirname, resolve } from 'node:path';
import type { ParticipantApi } from '../../preload/contract.ts';
import { createParticipantApi } from '../../main/participant/api/participant-api.ts';
import { Participation } from '../../main/participant/participation/participation.ts';
import type { ParticipationOptions } from '../../main/participant/participation/participation.ts';
import type { CredentialStore } from '../../main/participant/keychain/credential-store.ts';
import { openParticipantNode } from '../../main/participant/participant-node.ts';
import type { ParticipantNode } from '../../main/participant/participant-node.ts';
import { engineLocalTrainerFor } from '../../main/participant/training/engine-local-trainer.ts';

export interface SampleParticipantOptions {
  readonly name: string;
  readonly home: string;
  readonly credentials: CredentialStore;
  readonly shardPath: string;
  readonly approval: 'policy' | 'person';
  readonly epsilonBudget: number;
  readonly delta: number;
  readonly coordinator: {
    readonly address: string;
    readonly caCertificatePem: string;
    readonly federationId: string;
    readonly invitation: string;
  };
  readonly participation?: Partial<ParticipationOptions>;
}

export interface SampleParticipant {
  readonly name: string;
  readonly node: ParticipantNode;
  readonly participation: Participation;
  readonly api: ParticipantApi;
  readonly datasetId: string;
  close(): Promise<void>;
}

export async function startSampleParticipant(options: SampleParticipantOptions): Promise<SampleParticipant> {
  const node = openParticipantNode({ home: options.home, credentials: options.credentials });
  try {
    const participation = await Participation.start(node, {
      trainer: engineLocalTrainerFor(node.database.db),
      pollWaitSeconds: 5,
      idleMs: 500,
      loopBackoff: { maxAttempts: Infinity, baseDelayMs: 200, maxDelayMs: 5000 },
      ...options.participation,
    });
    const api = createParticipantApi(node, participation);
    // The shard lies in the run's own folder, outside the home folder: allow it as a person would in Settings.
    await api['settings.set']({ datasetFolders: [dirname(resolve(options.shardPath))] });
    const dataset = await api['datasets.add']({
      name: `${options.name} reviews`,
      path: options.shardPath,
      task: 'sentiment',
      format: 'tsv',
      columns: { text: 'text', label: 'label' },
    });
    await api['budget.set']({ datasetId: dataset.id, epsilon: options.epsilonBudget, delta: options.delta });
    const { coordinator } = options;
    await api['consent.policy.set']({
      federationId: coordinator.federationId,
      policy: options.approval === 'policy' ? { mode: 'auto', limits: {} } : { mode: 'ask', limits: {} },
    });
    await api['federation.enrol']({
      coordinatorUrl: coordinator.address,
      invitation: coordinator.invitation,
      caCertificatePem: coordinator.caCertificatePem,
      displayName: options.name,
    });
    const close = async () => {
      await participation.close();
      node.close();
    };
    return { name: options.name, node, participation, api, datasetId: dataset.id, close };
  } catch (error) {
    node.close();
    throw error;
  }
}

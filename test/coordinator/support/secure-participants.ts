/**
 * A securely aggregating federation on 127.0.0.1 with TLS and three enrolled participants, each with a
 * stage poller (SecAggClient) and an in-memory audit; helpers to join, contribute and await the close.
 */
import { encodeFloat32Update } from '../../../engine/codec/float32-update.ts';
import { tensor, type ParameterSet, type TensorSpec } from '../../../engine/tensor/parameter-set.ts';
import type { CoordinatorConfig } from '../../../coordinator/config/coordinator-config.ts';
import type { Coordinator } from '../../../coordinator/coordinator.ts';
import type { RoundRow } from '../../../coordinator/store/rows.ts';
import type { RoundTask } from '../../../main/participant/coordinator-client/federation-link.ts';
import type { UploadReceipt } from '../../../protocol/receipt.ts';
import type { GrpcFederationLink } from '../../../main/participant/coordinator-client/grpc-federation-link.ts';
import { vi } from 'vitest';
import { SecAggClient } from '../../../main/participant/secagg/secagg-client.ts';
import { enrolledParticipant, startCoordinator, writeTestFederation } from './test-federation.ts';

export interface AuditRecord {
  readonly kind: string;
  readonly data: Record<string, unknown>;
}

export interface SecureMember {
  readonly name: string;
  readonly link: GrpcFederationLink;
  readonly client: SecAggClient;
  readonly audit: AuditRecord[];
  readonly stop: () => Promise<void>;
}

export interface SecureFederation {
  readonly config: CoordinatorConfig;
  readonly coordinator: Coordinator;
  readonly members: SecureMember[];
  readonly close: () => Promise<void>;
}

export async function secureFederation(overrides: Record<string, unknown> = {}): Promise<SecureFederation> {
  const config = await writeTestFederation({
    secureAggregation: true,
    updateEncoding: 'float32-le',
    rounds: 1,
    roundDeadlineSeconds: 30,
    secureAggregationOptions: { threshold: 2, clipRange: 64, stageSeconds: 5 },
    ...overrides,
  });
  const { coordinator, address } = await startCoordinator(config);
  const members: SecureMember[] = [];
  for (const name of ['clinic-a', 'clinic-b', 'clinic-c']) {
    const link = await enrolledParticipant(config, address, name);
    const audit: AuditRecord[] = [];
    const client = new SecAggClient({
      link,
      audit: {
        append: (kind, data) => {
          audit.push({ kind, data });
          return { seq: audit.length, at: '', kind, data, prevHash: '', hash: '' };
        },
      },
      pollWaitSeconds: 1,
    });
    const controller = new AbortController();
    const running = client.run(controller.signal);
    members.push({ name, link, client, audit, stop: () => (controller.abort(), running) });
  }
  const close = async () => {
    await Promise.all(members.map((member) => member.stop()));
    for (const member of members) member.link.close();
    await coordinator.stop();
  };
  return { config, coordinator, members, close };
}

/** Polls whose long wait may end empty before the coordinator hands out a round. */
const maxEmptyPolls = 12;

/** Long-polls until the coordinator hands this participant the round (joining it). */
export async function joinRound(link: GrpcFederationLink): Promise<RoundTask> {
  for (let poll = 0; poll < maxEmptyPolls; poll++) {
    const task = await link.pollTask();
    if (task) return task;
  }
  throw new Error(`the coordinator handed ${link.participantId} no round in ${maxEmptyPolls} long polls`);
}

/** A distinct, deterministic update per participant, inside [−1, 1]. */
export function updateOf(index: number, spec: readonly TensorSpec[]): ParameterSet {
  return new Map(
    spec.map((entry, t) => {
      const size = entry.shape.reduce((a, b) => a * b, 1);
      const values = Array.from({ length: size }, (_, i) => Math.sin(1 + index * 7 + t * 3 + i) * 0.9);
      return [entry.name, tensor(entry.shape, values)];
    }),
  );
}

/** Masks (after "approval") and uploads; returns the plaintext bytes, the masked bytes and the receipt. */
export async function contribute(
  member: SecureMember,
  task: RoundTask,
  update: ParameterSet,
  examples: number,
): Promise<{ plain: Uint8Array; masked: Uint8Array; receipt: UploadReceipt }> {
  const plain = encodeFloat32Update(update, task.modelSpec);
  const masked = await member.client.mask(task, update, examples);
  const receipt = await member.link.uploadUpdate(task, `${member.name}-${task.roundId}`, masked, {
    numExamples: 1,
    metrics: {},
  });
  return { plain, masked, receipt };
}

export async function roundClosed(coordinator: Coordinator, roundId: string): Promise<RoundRow> {
  return vi.waitUntil(
    () => {
      const round = coordinator.context.store.round(roundId);
      return round?.state === 'closed' ? round : undefined;
    },
    { timeout: 45_000, interval: 100, message: `round ${roundId} did not close` },
  );
}

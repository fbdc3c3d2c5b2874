/**
 * A real participant (SQLite store, OS keychain, its participation loop and the production encoder path)
 * against a real coordinator on loopback that reads updates as "float32-le": the participant writes each
 * round's update in the encoding its task names, so the coordinator accepts the approved bytes.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createInvitation, federationPaths } from '../../../../coordinator/setup/federation-files.ts';
import { updateCodec } from '../../../../engine/codec/update-codec-registry.ts';
import { KeytarCredentialStore } from '../../../../main/participant/keychain/keytar-credential-store.ts';
import { openParticipantNode } from '../../../../main/participant/participant-node.ts';
import { Participation } from '../../../../main/participant/participation/participation.ts';
import type { RoundRecord } from '../../../../main/participant/rounds/round-store.ts';
import { terminalStates } from '../../../../main/participant/rounds/round-state.ts';
import { startCoordinator, testWeights, writeTestFederation } from '../../../coordinator/support/test-federation.ts';
import { FakeTrainer } from '../../../support/fake-trainer.ts';
import { registerSampleReviews, tempDir } from '../../../support/participant-fixtures.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Waits (bounded) until the participant's first round has finished, one way or another. */
async function finishedRound(participation: Participation): Promise<RoundRecord> {
  for (let attempt = 0; attempt < 150; attempt += 1) {
    const round = participation.runner.rounds()[0];
    if (round && terminalStates.has(round.state)) return round;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const round = participation.runner.rounds()[0];
  throw new Error(`the round did not finish within 150 checks (state ${round?.state ?? 'none'}: ${round?.reason})`);
}

describe('Participation against a coordinator that reads float32-le', () => {
  it('sends the approved update in the encoding the round names, and gets a receipt', async () => {
    const config = await writeTestFederation({
      updateEncoding: 'float32-le',
      rounds: 1,
      participantsPerRound: { min: 1, max: 1 },
    });
    const { coordinator, address } = await startCoordinator(config);
    cleanups.push(() => coordinator.stop());
    const home = tempDir();
    const credentials = new KeytarCredentialStore(`Accord-test-${randomUUID()}`);
    cleanups.push(() => credentials.delete('identity.ed25519'));
    const node = openParticipantNode({ home, credentials });
    cleanups.push(() => node.close());
    const dataset = await registerSampleReviews(node, home);
    node.ledger.setBudget(dataset.id, 50, 1e-5);
    node.consent.setPolicy(coordinator.context.federationId, { mode: 'auto', limits: {} });
    const trainer = new FakeTrainer(0.25);
    const participation = await Participation.start(node, { trainer, pollWaitSeconds: 1 });
    cleanups.push(() => participation.close());
    await participation.enrol({
      coordinatorUrl: address,
      invitation: createInvitation(config, 7, 'clinic'),
      caCertificatePem: readFileSync(federationPaths(config.dataDir).caCertificate, 'utf8'),
      displayName: 'Clinic',
    });

    const round = await finishedRound(participation);
    expect({ state: round.state, reason: round.reason }).toEqual({ state: 'receipted', reason: null });
    expect(round.task.updateEncoding).toBe('float32-le');
    expect(round.receipt?.sha256).toBe(round.approvedSha256);
    expect(node.ledger.entries(dataset.id)).toHaveLength(1);
    const participantId = node.federations.get(coordinator.context.federationId)?.participantId ?? '';
    const stored = coordinator.context.store.uploadFor(round.task.roundId, participantId);
    const received = updateCodec('float32-le').decode(readFileSync(stored?.path ?? ''), config.model.spec);
    for (const [name, value] of testWeights)
      expect([...(received.get(name)?.data ?? [])]).toEqual([...value.data].map(() => Math.fround(0.25)));
  });
});

/**
 * Compressed updates in real rounds: a real participant (SQLite store, OS keychain, its participation loop)
 * against a real coordinator over gRPC + TLS that asks for top-k or int8. What leaves is the compressed
 * update, the coordinator aggregates exactly what it decodes, and the participant keeps what it did not
 * send (error feedback) in its database, across rounds and across a restart.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createInvitation, federationPaths } from '../../../../coordinator/setup/federation-files.ts';
import { decodeUpdate } from '../../../../engine/codec/decode-update.ts';
import { encodedUpdateSize } from '../../../../engine/codec/encoded-size.ts';
import { readSafetensorsFile } from '../../../../engine/codec/safetensors.ts';
import { denseFloat32 } from '../../../../engine/codec/update-codec.ts';
import type { ErrorFeedback } from '../../../../engine/codec/update-codec.ts';
import { compressedUpdateSize } from '../../../../engine/codec/update-compression.ts';
import type { UpdateCompression } from '../../../../engine/codec/update-compression.ts';
import { elementCount, flatten, specOf, tensor } from '../../../../engine/tensor/parameter-set.ts';
import type { ParameterSet } from '../../../../engine/tensor/parameter-set.ts';
import { KeytarCredentialStore } from '../../../../main/participant/keychain/keytar-credential-store.ts';
import { openParticipantNode } from '../../../../main/participant/participant-node.ts';
import type { ParticipantNode } from '../../../../main/participant/participant-node.ts';
import { Participation } from '../../../../main/participant/participation/participation.ts';
import { ErrorFeedbackStore } from '../../../../main/participant/rounds/error-feedback-store.ts';
import type { RoundRecord } from '../../../../main/participant/rounds/round-store.ts';
import { terminalStates } from '../../../../main/participant/rounds/round-state.ts';
import { startCoordinator, writeTestFederation } from '../../../coordinator/support/test-federation.ts';
import { registerSampleReviews, tempDir } from '../../../support/participant-fixtures.ts';
import { VariedTrainer } from '../../../support/varied-trainer.ts';
import { waitUntil } from '../../../support/wait-until.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const weights: ParameterSet = new Map([
  [
    'layer.weight',
    tensor(
      [64, 50],
      Float32Array.from({ length: 3200 }, (_, i) => Math.sin(i) / 10),
    ),
  ],
  [
    'layer.bias',
    tensor(
      [64],
      Float32Array.from({ length: 64 }, (_, i) => i / 1000),
    ),
  ],
]);
const spec = specOf(weights);

async function startFederation(compression: UpdateCompression, rounds: number, roundDeadlineSeconds: number) {
  const config = await writeTestFederation(
    { compression, rounds, participantsPerRound: { min: 1, max: 1 }, roundDeadlineSeconds },
    weights,
  );
  const { coordinator, address } = await startCoordinator(config);
  cleanups.push(() => coordinator.stop());
  return { config, coordinator, address };
}
type Federation = Awaited<ReturnType<typeof startFederation>>;

/** A participant node and its participation loop over `home`; `close` stops both, as quitting the app does. */
async function startParticipant(home: string, credentials: KeytarCredentialStore, trainer: VariedTrainer) {
  const node = openParticipantNode({ home, credentials });
  const participation = await Participation.start(node, { trainer, pollWaitSeconds: 1 });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await participation.close();
    node.close();
  };
  cleanups.push(close);
  return { node, participation, close };
}

async function joinFederation(federation: Federation, trainer: VariedTrainer) {
  const home = tempDir();
  const credentials = new KeytarCredentialStore(`Accord-test-${randomUUID()}`);
  cleanups.push(() => credentials.delete('identity.ed25519'));
  const participant = await startParticipant(home, credentials, trainer);
  const dataset = await registerSampleReviews(participant.node, home);
  participant.node.ledger.setBudget(dataset.id, 500, 1e-5);
  participant.node.consent.setPolicy(federation.coordinator.context.federationId, { mode: 'auto', limits: {} });
  await participant.participation.enrol({
    coordinatorUrl: federation.address,
    invitation: createInvitation(federation.config, 7, 'clinic'),
    caCertificatePem: readFileSync(federationPaths(federation.config.dataDir).caCertificate, 'utf8'),
    displayName: 'Clinic',
  });
  return { home, credentials, participant };
}

function roundNumbered(participation: Participation, number: number, state?: string): Promise<RoundRecord> {
  return waitUntil(
    () =>
      participation.runner
        .rounds()
        .find((r) => r.task.roundNumber === number && (state ? r.state === state : terminalStates.has(r.state))),
    `round ${number} reaching ${state ?? 'a final state'}`,
    { timeoutMs: 60_000, intervalMs: 50 },
  );
}

/** The bytes the coordinator stored for the participant's round, decoded as it decodes them. */
function received(federation: Federation, node: ParticipantNode, round: RoundRecord) {
  const participantId = node.federations.get(federation.coordinator.context.federationId)?.participantId ?? '';
  const upload = federation.coordinator.context.store.uploadFor(round.task.roundId, participantId);
  const bytes = new Uint8Array(readFileSync(upload?.path ?? ''));
  return { bytes, decoded: decodeUpdate(bytes, spec) };
}

async function globalAfter(federation: Federation, round: number): Promise<Float32Array> {
  const checkpoint = await waitUntil(
    () => federation.coordinator.context.store.checkpoint(round),
    `the coordinator's checkpoint of round ${round}`,
  );
  return flatten(await readSafetensorsFile(checkpoint.path, spec));
}

function residualOf(node: ParticipantNode, federation: Federation): ErrorFeedback | undefined {
  return new ErrorFeedbackStore(node.database.db, node.log).current(federation.coordinator.context.federationId, spec);
}

/** Element-wise a − b in float32, as the encoder computes the residual. */
function difference(a: ParameterSet, b: ParameterSet): ErrorFeedback {
  return new Map(
    [...a].map(([name, value]) => [name, Float32Array.from(value.data, (v, i) => v - b.get(name)!.data[i]!)]),
  );
}

function expectAggregated(before: Float32Array, after: Float32Array, decoded: ParameterSet): void {
  const sent = flatten(decoded);
  after.forEach((value, i) => expect(value).toBeCloseTo(before[i]! + sent[i]!, 6));
}

describe('Participation in a federation that asks for compression', () => {
  it(
    'sends top-k with error feedback, kept across rounds and a restart of the participant',
    { timeout: 120_000 },
    async () => {
      const fraction = 0.05;
      const federation = await startFederation({ method: 'topk', fraction }, 2, 10);
      // The first run's training stops at round 2: the participant is then closed and opened again.
      const firstTrainer = new VariedTrainer(1, 2);
      const { home, credentials, participant: first } = await joinFederation(federation, firstTrainer);

      const round1 = await roundNumbered(first.participation, 1, 'receipted');
      const sent1 = received(federation, first.node, round1);
      expect(sent1.bytes.length).toBe(round1.receipt?.bytes);
      expect(sent1.bytes.length).toBe(compressedUpdateSize(spec, { method: 'topk', fraction }));
      // Dense: 4 bytes per value; top-k: 4 (index) + 4 (value) per kept entry, ⌈f·n⌉ of each tensor.
      const values = spec.reduce((sum, { shape }) => sum + elementCount(shape), 0);
      const kept = spec.reduce((sum, { shape }) => sum + Math.ceil(fraction * elementCount(shape)), 0);
      const factor = encodedUpdateSize(spec, denseFloat32) / sent1.bytes.length;
      expect(factor / (values / (2 * kept))).toBeGreaterThan(0.9);
      expect(factor / (values / (2 * kept))).toBeLessThan(1.1);
      expectAggregated(flatten(weights), await globalAfter(federation, 1), sent1.decoded);

      const residual1 = residualOf(first.node, federation)!;
      expect(residual1).toEqual(difference(firstTrainer.updates[0]!, sent1.decoded));
      const contribution = first.node.consent.byRound(round1.roundKey)!;
      expect(contribution.summary).toMatchObject({
        compression: `topk ${fraction}`,
        bytes: sent1.bytes.length,
        denseBytes: encodedUpdateSize(spec, denseFloat32),
      });
      const audited = first.node.audit
        .entries()
        .find((e) => e.kind === 'update' && e.data.roundKey === round1.roundKey);
      expect(audited?.data).toMatchObject({ compression: `topk ${fraction}`, bytes: sent1.bytes.length });

      expect((await roundNumbered(first.participation, 2)).state).toBe('failed');
      await first.close();
      // The coordinator retries round 2 at its deadline; the reopened participant takes it.
      const secondTrainer = new VariedTrainer(2);
      const second = await startParticipant(home, credentials, secondTrainer);
      const round2 = await roundNumbered(second.participation, 2, 'receipted');
      const sent2 = received(federation, second.node, round2);
      const residual2 = residualOf(second.node, federation)!;
      // What was sent plus what is kept is this round's update plus the residual kept before the restart.
      const update2 = secondTrainer.updates[0]!;
      for (const [name, value] of update2) {
        const accumulated = Float32Array.from(value.data, (v, i) => v + residual1.get(name)![i]!);
        const delivered = Float32Array.from(sent2.decoded.get(name)!.data, (v, i) => v + residual2.get(name)![i]!);
        expect(delivered).toEqual(accumulated);
      }
      expectAggregated(await globalAfter(federation, 1), await globalAfter(federation, 2), sent2.decoded);
    },
  );

  it(
    'sends int8 within one quantization step of each value, and keeps the rounding error',
    { timeout: 60_000 },
    async () => {
      const federation = await startFederation({ method: 'int8' }, 1, 60);
      const trainer = new VariedTrainer(3);
      const { participant } = await joinFederation(federation, trainer);

      const round = await roundNumbered(participant.participation, 1, 'receipted');
      const sent = received(federation, participant.node, round);
      expect(sent.bytes.length).toBe(compressedUpdateSize(spec, { method: 'int8' }));
      expect(encodedUpdateSize(spec, denseFloat32) / sent.bytes.length).toBeGreaterThan(3.9);
      const update = trainer.updates[0]!;
      for (const [name, value] of update) {
        // One scale per tensor here (each is under the 4096-value chunk): max|x| / 127.
        const step = Math.max(...value.data.map(Math.abs)) / 127;
        const decoded = sent.decoded.get(name)!.data;
        value.data.forEach((v, i) => expect(Math.abs(decoded[i]! - v)).toBeLessThanOrEqual(step * (1 + 1e-6)));
      }
      expect(residualOf(participant.node, federation)).toEqual(difference(update, sent.decoded));
      expectAggregated(flatten(weights), await globalAfter(federation, 1), sent.decoded);
    },
  );
});

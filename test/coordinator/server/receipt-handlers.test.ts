/**
 * Receipts as the witness of a participant's audit log: the commit's audit head is checked for form,
 * stored and signed into the receipt, and ListReceipts answers each participant its own receipts only.
 */
import * as grpc from '@grpc/grpc-js';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordinatorConfig } from '../../../coordinator/config/coordinator-config.ts';
import type { Coordinator } from '../../../coordinator/coordinator.ts';
import { updateCodec } from '../../../engine/codec/update-codec-registry.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';
import { receiptFromProto } from '../../../main/participant/coordinator-client/federation-serde.ts';
import type { GrpcFederationLink } from '../../../main/participant/coordinator-client/grpc-federation-link.ts';
import type { Receipt } from '../../../protocol/gen/accord/v1/transfer_pb.js';
import { verifyReceipt } from '../../../protocol/receipt.ts';
import { ed25519PublicKeyFromRaw, sha256Hex } from '../../../protocol/request-signature.ts';
import type { RawRequests } from '../support/raw-requests.ts';
import { enrolRaw, startCoordinator, testWeights, writeTestFederation } from '../support/test-federation.ts';

let config: CoordinatorConfig;
let coordinator: Coordinator;
let address: string;
let alice: RawRequests;
let bob: RawRequests;
const links: GrpcFederationLink[] = [];

const update = updateCodec('accord-update-v1').encode(
  new Map(
    [...testWeights].map(([name, t]) => [
      name,
      tensor(
        t.shape,
        t.data.map(() => 0.5),
      ),
    ]),
  ),
);
const auditHashOf = (text: string) => createHash('sha256').update(text).digest('hex');

/** Joins the current round and sends the whole update under `uploadId`, uncommitted. */
async function sendUpdate(participant: RawRequests, uploadId: string): Promise<string> {
  const task = (await participant.link.pollTask())!;
  const begin = { uploadId, roundId: task.roundId, totalBytes: BigInt(update.length), sha256: sha256Hex(update) };
  await participant.link.callSigned('beginUpload', { ...begin, numExamples: 3n });
  await participant.link.callSigned('putUploadChunk', { uploadId, offset: 0n, data: update });
  return task.roundId;
}

function commit(participant: RawRequests, uploadId: string, auditSeq: bigint, auditHash: string) {
  return participant.link.callSigned('commitUpload', { uploadId, sha256: sha256Hex(update), auditSeq, auditHash });
}

function verifies(receipt: Receipt): boolean {
  const fields = receiptFromProto(receipt);
  const key = ed25519PublicKeyFromRaw(coordinator.context.publicKeyRaw);
  return verifyReceipt(fields, Buffer.from(fields.signature, 'base64'), key);
}

beforeAll(async () => {
  // Two per round, so the first commit leaves the round open for the second.
  config = await writeTestFederation({ participantsPerRound: { min: 2, max: 2 } });
  ({ coordinator, address } = await startCoordinator(config));
  alice = await enrolRaw(config, address, 'alice', links);
  bob = await enrolRaw(config, address, 'bob', links);
});

afterAll(async () => {
  links.forEach((link) => link.close());
  await coordinator.stop();
});

describe('CommitUpload with the participant audit head', () => {
  it.each([
    ['a zero sequence number', 0n, auditHashOf('entry')],
    ['a sequence number past 2^53 − 1', 2n ** 53n, auditHashOf('entry')],
    ['no hash', 4n, ''],
    ['an uppercase hash', 4n, auditHashOf('entry').toUpperCase()],
    ['a hash one digit short', 4n, auditHashOf('entry').slice(1)],
  ])('refuses %s INVALID_ARGUMENT and stores nothing', async (_case, auditSeq, auditHash) => {
    await sendUpdate(bob, 'bob-malformed-head');
    const before = coordinator.context.store.db.prepare('SELECT * FROM uploads ORDER BY rowid').all();
    await expect(commit(bob, 'bob-malformed-head', auditSeq, auditHash)).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringMatching(/audit_(seq|hash)/),
    });
    expect(coordinator.context.store.db.prepare('SELECT * FROM uploads ORDER BY rowid').all()).toEqual(before);
    expect(coordinator.context.store.upload('bob-malformed-head')?.receipt).toBeNull();
  });

  it('carries the head in the receipt, signed: a changed head no longer verifies', async () => {
    const roundId = await sendUpdate(alice, 'alice-round-1');
    const auditHash = auditHashOf('alice intent 1');
    const { receipt } = await commit(alice, 'alice-round-1', 9n, auditHash);
    expect(receipt).toMatchObject({ roundId, auditSeq: 9n, auditHash });
    expect(verifies(receipt!)).toBe(true);
    expect(verifies({ ...receipt!, auditSeq: 8n })).toBe(false);
    expect(verifies({ ...receipt!, auditHash: auditHashOf('another entry') })).toBe(false);
    expect(verifies({ ...receipt!, auditSeq: 0n, auditHash: '' })).toBe(false);
    const row = coordinator.context.store.db
      .prepare('SELECT audit_seq AS seq, audit_hash AS hash FROM uploads WHERE upload_id = ?')
      .get('alice-round-1');
    expect(row).toEqual({ seq: 9, hash: auditHash });
  });

  it('returns the first receipt, head included, to a repeated commit', async () => {
    const first = await commit(alice, 'alice-round-1', 9n, auditHashOf('alice intent 1'));
    const again = await commit(alice, 'alice-round-1', 10n, auditHashOf('something else'));
    expect(again.receipt).toEqual(first.receipt);
  });
});

describe('ListReceipts', () => {
  beforeAll(async () => {
    await commit(bob, 'bob-malformed-head', 3n, auditHashOf('bob intent'));
    // Both committed: the round closes and the next opens, where alice uploads again.
    await sendUpdate(alice, 'alice-round-2');
    await commit(alice, 'alice-round-2', 14n, auditHashOf('alice intent 2'));
  });

  it('answers the caller its own signed receipts from every round, and none of another participant', async () => {
    const { receipts } = await alice.link.callSigned('listReceipts', {});
    expect(receipts.map((r) => [r.uploadId, r.participantId, r.auditSeq])).toEqual([
      ['alice-round-1', alice.link.participantId, 9n],
      ['alice-round-2', alice.link.participantId, 14n],
    ]);
    expect(new Set(receipts.map((r) => r.roundId)).size).toBe(2);
    expect(receipts.every(verifies)).toBe(true);
    const forBob = await bob.link.callSigned('listReceipts', {});
    expect(forBob.receipts.map((r) => [r.uploadId, r.participantId])).toEqual([
      ['bob-malformed-head', bob.link.participantId],
    ]);
  });

  it('refuses an unsigned request, and one signed with another participant key, UNAUTHENTICATED', async () => {
    expect(await alice.send('listReceipts', {}, { signingKey: null })).toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
      details: expect.stringContaining('not signed'),
    });
    expect(await alice.send('listReceipts', {}, { signingKey: bob.key })).toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
      details: expect.stringContaining('does not verify'),
    });
  });
});

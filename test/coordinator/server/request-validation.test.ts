import * as grpc from '@grpc/grpc-js';
import { generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordinatorConfig } from '../../../coordinator/config/coordinator-config.ts';
import type { Coordinator } from '../../../coordinator/coordinator.ts';
import { createInvitation } from '../../../coordinator/setup/federation-files.ts';
import { encodeFloat32Update } from '../../../engine/codec/float32-update.ts';
import { sha256Hex } from '../../../protocol/request-signature.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';
import type { RoundTask } from '../../../main/participant/coordinator-client/federation-link.ts';
import type { GrpcFederationLink } from '../../../main/participant/coordinator-client/grpc-federation-link.ts';
import { RawRequests } from '../support/raw-requests.ts';
import { participantLink, startCoordinator, testWeights, writeTestFederation } from '../support/test-federation.ts';

let config: CoordinatorConfig;
let coordinator: Coordinator;
let address: string;
let link: GrpcFederationLink;
let key: KeyObject;
let task: RoundTask;
let raw: RawRequests;

beforeAll(async () => {
  config = await writeTestFederation({
    updateEncoding: 'float32-le',
    participantsPerRound: { min: 1, max: 3 },
    limits: { chunkBytes: 16 * 1024, maxUpdateBytes: 1024 },
  });
  ({ coordinator, address } = await startCoordinator(config));
  key = generateKeyPairSync('ed25519').privateKey;
  link = participantLink(config, address, {
    name: 'validator',
    privateKeyPem: key.export({ format: 'pem', type: 'pkcs8' }).toString(),
  });
  await link.enrol(createInvitation(config, 1), 'validator');
  task = (await link.pollTask())!;
  raw = new RawRequests(link, key);
});

afterAll(async () => {
  link.close();
  await coordinator.stop();
});

const send = (...args: Parameters<RawRequests['send']>) => raw.send(...args);
const replay = (...args: Parameters<RawRequests['sendPrepared']>) => raw.sendPrepared(...args);

const update = (value: number) =>
  new Map(
    [...testWeights].map(([name, t]) => [
      name,
      tensor(
        t.shape,
        t.data.map(() => value),
      ),
    ]),
  );

describe('the coordinator refuses bad requests with a precise status and stores nothing from them', () => {
  it('refuses unsigned, wrongly signed, stale and replayed requests with UNAUTHENTICATED', async () => {
    expect(await send('pollTask', { waitSeconds: 0 }, { signingKey: null })).toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
      details: expect.stringMatching(/not signed/),
    });
    const stranger = generateKeyPairSync('ed25519').privateKey;
    expect(await send('pollTask', { waitSeconds: 0 }, { signingKey: stranger })).toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
      details: expect.stringMatching(/does not verify/),
    });
    expect(await send('pollTask', { waitSeconds: 0 }, { timestampMs: Date.now() - 6 * 60 * 1000 })).toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
      details: expect.stringMatching(/away from the coordinator's clock/),
    });

    const { path, body, metadata } = raw.prepare('listReceipts', {});
    expect((await replay(path, body, metadata)).code).toBe(grpc.status.OK);
    expect(await replay(path, body, metadata)).toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
      details: expect.stringMatching(/replayed/),
    });
  });

  it('refuses a malformed body with INVALID_ARGUMENT and an oversized message with RESOURCE_EXHAUSTED', async () => {
    expect(await send('pollTask', undefined, { body: Buffer.from([0xff, 0xff, 0xff]) })).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringMatching(/malformed accord.v1.PollTaskRequest/),
    });
    const huge = Buffer.alloc(200 * 1024);
    expect((await send('putUploadChunk', { uploadId: 'whatever-1', offset: 0n, data: huge })).code).toBe(
      grpc.status.RESOURCE_EXHAUSTED,
    );
  });

  it('refuses bad invitations, keys and versions', async () => {
    const publicKey = new Uint8Array(32).fill(1);
    expect(await send('enrol', { invitationToken: 'accord1_forged', publicKey }, { signingKey: null })).toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
    });
    expect(
      await send(
        'enrol',
        { invitationToken: createInvitation(config, 1), publicKey: new Uint8Array(31) },
        { signingKey: null },
      ),
    ).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringMatching(/32-byte/) });
    expect(await send('hello', { supportedVersions: ['accord.v0'] }, { signingKey: null })).toMatchObject({
      code: grpc.status.FAILED_PRECONDITION,
      details: expect.stringMatching(/no common protocol version/),
    });
    expect(coordinator.context.store.participantCount()).toBe(1);
  });

  it('refuses uploads that break the limits or the model spec, keeping nothing', async () => {
    const bytes = encodeFloat32Update(update(0.5), task.modelSpec);
    const begin = {
      uploadId: 'upload-limits',
      roundId: task.roundId,
      totalBytes: BigInt(bytes.length),
      sha256: sha256Hex(bytes),
      numExamples: 5n,
    };
    expect(await send('beginUpload', { ...begin, totalBytes: 4096n })).toMatchObject({
      code: grpc.status.RESOURCE_EXHAUSTED,
      details: expect.stringMatching(/at most 1024/),
    });
    expect(await send('beginUpload', { ...begin, totalBytes: 12n })).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringMatching(/model spec needs 32/),
    });
    expect(await send('beginUpload', { ...begin, roundId: 'no-such-round' })).toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
    expect(coordinator.context.store.upload('upload-limits')).toBeUndefined();

    expect((await send('beginUpload', begin)).code).toBe(grpc.status.OK);
    expect(
      await send('putUploadChunk', { uploadId: 'upload-limits', offset: 8n, data: bytes.subarray(8) }),
    ).toMatchObject({ code: grpc.status.FAILED_PRECONDITION, details: expect.stringMatching(/offset 0/) });
    expect(await send('commitUpload', { uploadId: 'upload-limits', sha256: begin.sha256 })).toMatchObject({
      code: grpc.status.FAILED_PRECONDITION,
      details: expect.stringMatching(/holds 0 of 32/),
    });
    expect(coordinator.context.store.upload('upload-limits')!.receivedBytes).toBe(0);
  });

  it('refuses an update holding NaN at commit and discards it', async () => {
    const poisoned = update(0.5);
    poisoned.get('layer.bias')!.data[1] = Number.NaN;
    const bytes = encodeFloat32Update(poisoned, task.modelSpec);
    // The client refuses to send it at all…
    await expect(link.uploadUpdate(task, 'upload-nan-1', bytes, { numExamples: 3, metrics: {} })).rejects.toThrow(
      /layer.bias.*NaN at element 1/,
    );
    // …and a client that sends it anyway is refused by the coordinator, which keeps nothing.
    const begin = {
      uploadId: 'upload-nan-2',
      roundId: task.roundId,
      totalBytes: BigInt(bytes.length),
      sha256: sha256Hex(bytes),
      numExamples: 3n,
    };
    await send('beginUpload', begin);
    expect((await send('putUploadChunk', { uploadId: 'upload-nan-2', offset: 0n, data: bytes })).code).toBe(
      grpc.status.OK,
    );
    expect(await send('commitUpload', { uploadId: 'upload-nan-2', sha256: begin.sha256 })).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringMatching(/"layer.bias" holds NaN at element 1/),
    });
    expect(coordinator.context.store.upload('upload-nan-2')).toBeUndefined();
    expect(coordinator.context.store.committedUploads(task.roundId)).toHaveLength(0);
    expect(readdirSync(coordinator.context.uploadsDir).filter((name) => name.startsWith('upload-nan-2'))).toEqual([]);
    expect(existsSync(coordinator.context.uploadsDir)).toBe(true);
  });

  it('answers the secure-aggregation stages it does not serve yet with UNIMPLEMENTED', async () => {
    expect(await send('advertiseKeys', { roundId: task.roundId })).toMatchObject({ code: grpc.status.UNIMPLEMENTED });
  });

  it('records a decline, after which the participant can no longer upload for the round', async () => {
    await link.decline(task, 'consent_refused', 'the data protection officer said no');
    const assignment = coordinator.context.store
      .assignments(task.roundId)
      .find((row) => row.participantId === link.participantId);
    expect(assignment).toMatchObject({
      status: 'declined',
      reason: 'consent_refused: the data protection officer said no',
    });
    const bytes = encodeFloat32Update(update(0.1), task.modelSpec);
    const begin = {
      uploadId: 'upload-after-decline',
      roundId: task.roundId,
      totalBytes: BigInt(bytes.length),
      sha256: sha256Hex(bytes),
      numExamples: 1n,
    };
    expect(await send('beginUpload', begin)).toMatchObject({
      code: grpc.status.FAILED_PRECONDITION,
      details: expect.stringMatching(/declined round 1/),
    });
  });
});

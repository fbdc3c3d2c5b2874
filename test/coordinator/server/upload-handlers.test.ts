import * as grpc from '@grpc/grpc-js';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordinatorConfig } from '../../../coordinator/config/coordinator-config.ts';
import type { Coordinator } from '../../../coordinator/coordinator.ts';
import { updateCodec } from '../../../engine/codec/update-codec-registry.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';
import type { RoundTask } from '../../../main/participant/coordinator-client/federation-link.ts';
import type { GrpcFederationLink } from '../../../main/participant/coordinator-client/grpc-federation-link.ts';
import { sha256Hex } from '../../../protocol/request-signature.ts';
import type { RawRequests } from '../support/raw-requests.ts';
import { enrolRaw, startCoordinator, testWeights, writeTestFederation } from '../support/test-federation.ts';

let config: CoordinatorConfig;
let coordinator: Coordinator;
let address: string;
const links: GrpcFederationLink[] = [];
let attacker: RawRequests;
let bystander: RawRequests;
let task: RoundTask;

beforeAll(async () => {
  // Two participants and a minimum of two, so one participant's commit does not close the round.
  config = await writeTestFederation({ participantsPerRound: { min: 2, max: 2 } });
  ({ coordinator, address } = await startCoordinator(config));
  attacker = await enrolRaw(config, address, 'attacker', links);
  bystander = await enrolRaw(config, address, 'bystander', links);
  task = (await attacker.link.pollTask())!;
  await bystander.link.pollTask();
});

afterAll(async () => {
  links.forEach((link) => link.close());
  await coordinator.stop();
});

const encoded = updateCodec('accord-update-v1').encode(
  new Map(
    [...testWeights].map(([name, t]) => [
      name,
      tensor(
        t.shape,
        t.data.map(() => 0.25),
      ),
    ]),
  ),
);

function beginRequest(uploadId: string, totalBytes = BigInt(encoded.length)) {
  return { uploadId, roundId: task.roundId, totalBytes, sha256: sha256Hex(encoded), numExamples: 4n };
}

const partFiles = (uploadId: string) =>
  readdirSync(coordinator.context.uploadsDir).filter((name) => name.startsWith(uploadId));

describe('uploads: one committed update per participant per round', () => {
  it('answers the second of two concurrent commits under different upload ids ALREADY_EXISTS and keeps one', async () => {
    const ids = ['double-one', 'double-two'];
    const begins = await Promise.all(ids.map((id) => attacker.send('beginUpload', beginRequest(id))));
    const live = ids.filter((_, index) => begins[index]!.code === grpc.status.OK);
    // Both begins pass when they interleave (the attack); a begin that arrives after the other supersedes it.
    expect(live.length, JSON.stringify(begins)).toBeGreaterThanOrEqual(1);
    for (const id of live) {
      const put = await attacker.send('putUploadChunk', { uploadId: id, offset: 0n, data: encoded });
      expect([grpc.status.OK, grpc.status.NOT_FOUND]).toContain(put.code);
    }
    const commits = await Promise.all(
      ids.map((id) => attacker.send('commitUpload', { uploadId: id, sha256: sha256Hex(encoded) })),
    );
    const accepted = commits.filter((answer) => answer.code === grpc.status.OK);
    expect(accepted, JSON.stringify(commits)).toHaveLength(1);
    const refused = commits.filter((answer) => answer.code !== grpc.status.OK);
    for (const answer of refused) expect([grpc.status.ALREADY_EXISTS, grpc.status.NOT_FOUND]).toContain(answer.code);
    if (live.length === 2) {
      expect(refused[0]).toMatchObject({
        code: grpc.status.ALREADY_EXISTS,
        details: expect.stringMatching(/already committed upload "double-(one|two)" for the round/),
      });
    }
    const committed = coordinator.context.store.committedUploads(task.roundId);
    expect(committed.map((row) => row.participantId)).toEqual([attacker.link.participantId]);
    const refusedId = ids.find((id) => id !== committed[0]!.uploadId)!;
    expect(coordinator.context.store.upload(refusedId)).toBeUndefined();
    expect(partFiles(refusedId)).toEqual([]);
  });

  it('refuses a later upload of the same participant in the round with ALREADY_EXISTS at begin', async () => {
    const answer = await attacker.send('beginUpload', beginRequest('double-three'));
    expect(answer).toMatchObject({
      code: grpc.status.ALREADY_EXISTS,
      details: expect.stringMatching(/already committed/),
    });
    expect(coordinator.context.store.upload('double-three')).toBeUndefined();
  });
});

describe('uploads: sizes bounded by the model spec and the encoding', () => {
  it('refuses a 4 GiB declaration for a tiny model before storing a byte, naming both sizes', async () => {
    const bound = updateCodec('accord-update-v1').encodedSize(config.model.spec);
    expect(bound.exact).toBe(false);
    expect(bound.bytes).toBeGreaterThanOrEqual(encoded.length);
    const answer = await bystander.send('beginUpload', beginRequest('huge-upload', 4n * 2n ** 30n));
    expect(answer).toMatchObject({
      code: grpc.status.RESOURCE_EXHAUSTED,
      details: expect.stringContaining(
        `the update has ${4 * 2 ** 30} bytes, a accord-update-v1 update of the model spec has at most ${bound.bytes}`,
      ),
    });
    expect(coordinator.context.store.upload('huge-upload')).toBeUndefined();
    expect(partFiles('huge-upload')).toEqual([]);
  });

  it('refuses a chunk that runs past the declared size and keeps the bytes it held', async () => {
    const begin = beginRequest('past-the-end');
    expect((await bystander.send('beginUpload', begin)).code).toBe(grpc.status.OK);
    const first = encoded.subarray(0, 8);
    expect((await bystander.send('putUploadChunk', { uploadId: 'past-the-end', offset: 0n, data: first })).code).toBe(
      grpc.status.OK,
    );
    const tooLong = new Uint8Array(encoded.length); // 8 + length bytes: past the end by 8
    const answer = await bystander.send('putUploadChunk', { uploadId: 'past-the-end', offset: 8n, data: tooLong });
    expect(answer).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringContaining(`past the announced ${encoded.length} bytes`),
    });
    expect(coordinator.context.store.upload('past-the-end')!.receivedBytes).toBe(8);
  });
});

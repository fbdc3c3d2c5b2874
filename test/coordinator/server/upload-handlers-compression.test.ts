/**
 * Uploads to a federation that asks for top-k compression, over gRPC + TLS: only an update of exactly the
 * compressed size for the model spec is taken, and its content is decoded and validated as any other.
 */
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordinatorConfig } from '../../../coordinator/config/coordinator-config.ts';
import type { Coordinator } from '../../../coordinator/coordinator.ts';
import { encodeUpdate } from '../../../engine/codec/encode-update.ts';
import { encodedUpdateSize } from '../../../engine/codec/encoded-size.ts';
import { denseFloat32 } from '../../../engine/codec/update-codec.ts';
import { compressedUpdateSize, compressionEncoding, compressUpdate } from '../../../engine/codec/update-compression.ts';
import type { UpdateCompression } from '../../../engine/codec/update-compression.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';
import type { ParameterSet } from '../../../engine/tensor/parameter-set.ts';
import type { RoundTask } from '../../../main/participant/coordinator-client/federation-link.ts';
import type { GrpcFederationLink } from '../../../main/participant/coordinator-client/grpc-federation-link.ts';
import { sha256Hex } from '../../../protocol/request-signature.ts';
import type { RawRequests } from '../support/raw-requests.ts';
import { enrolRaw, startCoordinator, writeTestFederation } from '../support/test-federation.ts';

const compression: UpdateCompression = { method: 'topk', fraction: 0.25 };
let config: CoordinatorConfig;
let coordinator: Coordinator;
const links: GrpcFederationLink[] = [];
let site: RawRequests;
let task: RoundTask;

beforeAll(async () => {
  // A minimum of two, so that a commit does not close the round under the test.
  config = await writeTestFederation({ compression, participantsPerRound: { min: 2, max: 2 } }, weights);
  const started = await startCoordinator(config);
  coordinator = started.coordinator;
  site = await enrolRaw(config, started.address, 'site', links);
  const other = await enrolRaw(config, started.address, 'other', links);
  task = (await site.link.pollTask())!;
  await other.link.pollTask();
});

afterAll(async () => {
  links.forEach((link) => link.close());
  await coordinator.stop();
});

// Large enough that top-k's index and value per kept entry cost less than every value dense.
const weights: ParameterSet = new Map([
  [
    'layer.weight',
    tensor(
      [20, 30],
      Float32Array.from({ length: 600 }, (_, i) => Math.cos(i)),
    ),
  ],
  [
    'layer.bias',
    tensor(
      [20],
      Float32Array.from({ length: 20 }, (_, i) => i / 100),
    ),
  ],
]);

const update: ParameterSet = new Map(
  [...weights].map(([name, t]) => [
    name,
    tensor(
      t.shape,
      t.data.map((v, i) => v * (i + 1)),
    ),
  ]),
);

/** Begins, sends and commits `bytes` under `uploadId`; the answer of the first call that is not OK, or of commit. */
async function upload(uploadId: string, bytes: Uint8Array) {
  const sha256 = sha256Hex(bytes);
  const begin = { uploadId, roundId: task.roundId, totalBytes: BigInt(bytes.length), sha256, numExamples: 4n };
  const began = await site.send('beginUpload', begin);
  if (began.code !== grpc.status.OK) return began;
  const put = await site.send('putUploadChunk', { uploadId, offset: 0n, data: bytes });
  if (put.code !== grpc.status.OK) return put;
  return site.send('commitUpload', { uploadId, sha256 });
}

describe('uploads to a federation that asks for top-k', () => {
  it('sends the compression in the round task', () => {
    expect(task.compression).toEqual(compression);
  });

  it('refuses a dense update as oversized and a short one as the wrong size, before storing a byte', async () => {
    const compressed = compressedUpdateSize(config.model.spec, compression);
    const dense = encodeUpdate(update, denseFloat32).bytes;
    expect(dense.length).toBe(encodedUpdateSize(config.model.spec, denseFloat32));
    expect(await upload('dense-upload', dense)).toMatchObject({
      code: grpc.status.RESOURCE_EXHAUSTED,
      details: expect.stringContaining(
        `the update has ${dense.length} bytes, a accord-update-v1 (topk 0.25) update of the model spec has at most ${compressed}`,
      ),
    });
    expect(await upload('short-upload', dense.subarray(0, compressed - 4))).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringContaining(`the model spec needs ${compressed} (accord-update-v1 (topk 0.25))`),
    });
    expect(coordinator.context.store.upload('dense-upload')).toBeUndefined();
    expect(coordinator.context.store.upload('short-upload')).toBeUndefined();
  });

  it('refuses a compressed update with a NaN or a wrong shape, naming the tensor', async () => {
    const withNan = compressUpdate(update, compression).bytes.slice();
    new DataView(withNan.buffer).setFloat32(withNan.length - 4, Number.NaN, true);
    expect(await upload('nan-upload', withNan)).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringMatching(/tensor "layer.bias" has a non-finite value \(NaN\)/),
    });
    const transposed = new Map([...update].map(([name, t]) => [name, tensor([...t.shape].reverse(), t.data)]));
    const wrongShape = encodeUpdate(transposed, compressionEncoding(compression)).bytes;
    expect(await upload('shape-upload', wrongShape)).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringContaining('tensor "layer.weight" has shape [30, 20], the model expects [20, 30]'),
    });
    expect(coordinator.context.store.committedUploads(task.roundId)).toEqual([]);
  });

  it('takes a compressed update of exactly the compressed size', async () => {
    const { bytes } = compressUpdate(update, compression);
    expect(await upload('compressed-upload', bytes)).toMatchObject({ code: grpc.status.OK });
    const committed = coordinator.context.store.committedUploads(task.roundId);
    expect(committed.map((row) => [row.uploadId, row.totalBytes])).toEqual([['compressed-upload', bytes.length]]);
  });
});

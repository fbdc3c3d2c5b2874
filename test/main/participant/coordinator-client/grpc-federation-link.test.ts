import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Coordinator } from '../../../../coordinator/coordinator.ts';
import { federationPaths } from '../../../../coordinator/setup/federation-files.ts';
import { updateCodec } from '../../../../engine/codec/update-codec-registry.ts';
import { verifyReceipt } from '../../../../protocol/receipt.ts';
import { ed25519PublicKeyToRaw } from '../../../../protocol/request-signature.ts';
import { flatten, tensor } from '../../../../engine/tensor/parameter-set.ts';
import {
  enrolledParticipant,
  startCoordinator,
  testWeights,
  writeTestFederation,
} from '../../../coordinator/support/test-federation.ts';

let running: Coordinator | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('GrpcFederationLink over TLS on loopback', () => {
  it('enrols, polls a task, downloads the verified model and uploads an update for a signed receipt', async () => {
    const config = await writeTestFederation({ participantsPerRound: { min: 1, max: 2 } });
    const { coordinator, address } = await startCoordinator(config);
    running = coordinator;
    const link = await enrolledParticipant(config, address, 'hospital-a');
    expect(link.participantId).toMatch(/^[0-9a-f-]{36}$/);

    const task = await link.pollTask();
    expect(task?.roundNumber).toBe(1);
    expect(task?.modelSpec).toEqual([...testWeights].map(([name, value]) => ({ name, shape: value.shape })));
    expect(task?.dp).toEqual({ clipNorm: 1, noiseMultiplier: 0.5, sampleRate: 0.1, localSteps: 10 });
    expect(task?.training).toEqual({ learningRate: 0.1 });
    expect(task?.updateEncoding).toBe(config.updateEncoding);

    const model = await link.downloadModel(task!);
    expect(flatten(model)).toEqual(flatten(testWeights));

    const update = new Map(
      [...testWeights].map(([name, value]) => [
        name,
        tensor(
          value.shape,
          value.data.map(() => 0.25),
        ),
      ]),
    );
    const payload = updateCodec(task!.updateEncoding).encode(update);
    const receipt = await link.uploadUpdate(task!, 'upload-0001', payload, { numExamples: 12, metrics: { loss: 0.5 } });
    expect(receipt).toMatchObject({
      uploadId: 'upload-0001',
      roundId: task!.roundId,
      participantId: link.participantId,
      bytes: payload.length,
    });

    // The receipt verifies with the coordinator's key as stored on its side, independently of the client.
    const coordinatorKey = createPublicKey(readFileSync(federationPaths(config.dataDir).signingKey));
    expect(verifyReceipt(receipt, Buffer.from(receipt.signature, 'base64'), coordinatorKey)).toBe(true);
    expect(Buffer.from(ed25519PublicKeyToRaw(coordinatorKey))).toHaveLength(32);

    // Repeating the same upload id returns the same receipt, and the coordinator still holds one upload.
    const again = await link.uploadUpdate(task!, 'upload-0001', payload, { numExamples: 12, metrics: { loss: 0.5 } });
    expect(again).toEqual(receipt);
    expect(coordinator.context.store.committedUploads(task!.roundId)).toHaveLength(1);
    link.close();
  });

  it('resumes a partial model download and refuses a corrupted one', async () => {
    // 20 000 floats: five 16 KiB chunks, fetched several at a time.
    const weights = new Map([
      [
        'embedding',
        tensor(
          [100, 200],
          Float32Array.from({ length: 20_000 }, (_, i) => i / 7),
        ),
      ],
    ]);
    const config = await writeTestFederation({ participantsPerRound: { min: 1, max: 2 } }, weights);
    const { coordinator, address } = await startCoordinator(config);
    running = coordinator;
    const link = await enrolledParticipant(config, address, 'bank-b');
    const task = (await link.pollTask())!;
    const modelDir = join(config.dataDir, '..', 'participants', 'bank-b', 'models');
    const original = readFileSync(coordinator.context.store.round(task.roundId)!.modelPath);

    // A download interrupted after 40 bytes: the rest comes from offset 40 and the whole verifies.
    mkdirSync(modelDir, { recursive: true });
    const partPath = join(modelDir, `${task.modelSha256}.safetensors.part`);
    writeFileSync(partPath, original.subarray(0, 40));
    const progress: number[] = [];
    await link.downloadModelFile(task, (received) => progress.push(received));
    // It asked from offset 40 on, one 16 KiB chunk at a time, in order.
    expect(progress).toEqual([...progress.keys()].map((i) => Math.min(40 + (i + 1) * 16 * 1024, original.length)));
    expect(progress.at(-1)).toBe(original.length);
    expect(readFileSync(join(modelDir, `${task.modelSha256}.safetensors`))).toEqual(original);

    // A partial file whose kept prefix is wrong fails the sha256 check and is discarded.
    rmSync(join(modelDir, `${task.modelSha256}.safetensors`));
    writeFileSync(partPath, Buffer.alloc(40, 7));
    await expect(link.downloadModelFile(task)).rejects.toThrow(/hashes to .* it was discarded/);
    expect(existsSync(partPath)).toBe(false);

    // An 80 KB update goes up in the coordinator's 16 KiB chunks (learnt from Hello), not the client's 1 MiB default.
    const payload = updateCodec('accord-update-v1').encode(new Map([['embedding', tensor([100, 200])]]));
    const receipt = await link.uploadUpdate(task, 'upload-chunked', payload, { numExamples: 1, metrics: {} });
    expect(receipt.bytes).toBe(payload.length);
    expect(payload.length).toBeGreaterThan(4 * 16 * 1024);
    link.close();
  });

  it('sends the audit head with the commit, lists its receipts verified, and refuses a listed receipt edited afterwards', async () => {
    const config = await writeTestFederation({ participantsPerRound: { min: 1, max: 2 } });
    const { coordinator, address } = await startCoordinator(config);
    running = coordinator;
    const link = await enrolledParticipant(config, address, 'agency-c');
    const task = (await link.pollTask())!;
    const payload = updateCodec(task.updateEncoding).encode(testWeights);
    const auditHead = { seq: 12, hash: createHash('sha256').update('intent').digest('hex') };
    const receipt = await link.uploadUpdate(task, 'upload-witnessed', payload, {
      numExamples: 2,
      metrics: {},
      auditHead,
    });
    expect(receipt).toMatchObject({ auditSeq: auditHead.seq, auditHash: auditHead.hash });
    expect(await link.listReceipts()).toEqual([receipt]);

    // A coordinator whose store moved the head after signing: the participant believes none of the list.
    coordinator.context.store.db
      .prepare("UPDATE uploads SET receipt = json_set(receipt, '$.auditSeq', ?) WHERE upload_id = ?")
      .run(auditHead.seq - 1, 'upload-witnessed');
    await expect(link.listReceipts()).rejects.toThrow(/does not carry a valid coordinator signature/);
    link.close();
  });
});

/** One transfer measurement: a coordinator and a participant in this process, a model of `modelMb` MiB. */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCoordinatorConfig } from '../coordinator/config/coordinator-config.ts';
import { Coordinator } from '../coordinator/coordinator.ts';
import {
  createInvitation,
  federationPaths,
  initFederation,
  writeCertificates,
} from '../coordinator/setup/federation-files.ts';
import { SafetensorsWriter } from '../engine/codec/safetensors.ts';
import { fileSource } from '../main/participant/coordinator-client/byte-source.ts';
import { GrpcFederationLink } from '../main/participant/coordinator-client/grpc-federation-link.ts';
import { FileUploadJournal } from '../main/participant/coordinator-client/upload-journal.ts';
import { writeFloats } from './bench-floats.ts';

const mib = 1024 * 1024;
const tensorElements = 16 * mib;

function modelSpec(modelMb: number) {
  const elements = (modelMb * mib) / 4;
  const spec = [];
  for (let start = 0, i = 0; start < elements; start += tensorElements, i += 1) {
    spec.push({ name: `block.${i}.weight`, shape: [Math.min(tensorElements, elements - start)] });
  }
  return spec;
}

async function setUp(dir: string, modelMb: number) {
  const spec = modelSpec(modelMb);
  const writer = await SafetensorsWriter.create(join(dir, 'initial.safetensors'), spec);
  await writeFloats(writer, (modelMb * mib) / 4, 0);
  await writer.close();
  const raw = {
    federation: { name: 'Bench' },
    listen: { host: '127.0.0.1', port: 0 },
    model: { spec, initialWeights: 'initial.safetensors' },
    task: 'bench',
    strategy: { name: 'fedavg' },
    updateEncoding: 'float32-le',
    rounds: 1,
    // Two needed, one present: the round stays open, so the bench measures transfer, not aggregation.
    participantsPerRound: { min: 2, max: 2 },
    roundDeadlineSeconds: 3600,
    dp: { clipNorm: 1, noiseMultiplier: 1, localSteps: 1, sampleRate: 0.01 },
    limits: { chunkBytes: mib, maxUpdateBytes: 2 * 1024 * mib },
  };
  const config = parseCoordinatorConfig(raw, dir);
  initFederation(config);
  await writeCertificates(config, ['127.0.0.1']);
  return config;
}

export async function runTransfer(modelMb: number): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'accord-bench-transfer-'));
  try {
    const config = await setUp(dir, modelMb);
    const coordinator = await Coordinator.open(config);
    const port = await coordinator.start();
    const link = new GrpcFederationLink({
      address: `127.0.0.1:${port}`,
      tls: { caPem: readFileSync(federationPaths(config.dataDir).caCertificate) },
      privateKey: generateKeyPairSync('ed25519').privateKey,
      journal: new FileUploadJournal(join(dir, 'participant', 'uploads.json')),
      modelDir: join(dir, 'participant', 'models'),
      pollWaitSeconds: 5,
    });
    await link.enrol(createInvitation(config, 1), 'bench');
    const task = (await link.pollTask())!;
    let started = performance.now();
    await link.downloadModelFile(task);
    const downloadSeconds = (performance.now() - started) / 1000;

    const updatePath = join(dir, 'participant', 'update.f32');
    const file = await open(updatePath, 'w');
    await writeFloats(
      {
        append: async (values) =>
          void (await file.write(new Uint8Array(values.buffer, values.byteOffset, values.byteLength))),
      },
      (modelMb * mib) / 4,
      1,
    );
    await file.close();
    started = performance.now();
    await link.uploadFrom(task.roundId, 'bench-upload-1', await fileSource(updatePath), {
      numExamples: 1,
      metrics: {},
    });
    const uploadSeconds = (performance.now() - started) / 1000;
    link.close();
    await coordinator.stop();
    return {
      model_mb: modelMb,
      download_mb_s: Number((modelMb / downloadSeconds).toFixed(1)),
      upload_mb_s: Number((modelMb / uploadSeconds).toFixed(1)),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

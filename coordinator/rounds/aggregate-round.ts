/**
 * Aggregation of one round: the committed uploads become ClientResults (through the serde), the strategy
 * computes the next global weights, and they are written as the round's checkpoint file. The file is
 * written under a temporary name and renamed, so a crash leaves either no checkpoint or a whole one.
 * FedAvg and FedProx over raw float32 updates take a streamed path instead: their rule is the plain
 * example-weighted mean, accumulated from disk a chunk at a time, so memory does not grow with the
 * number of participants.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readSafetensorsFile, writeSafetensorsFile } from '../../engine/codec/safetensors.ts';
import { totalElements } from '../../engine/tensor/parameter-set.ts';
import type { ParameterSet } from '../../engine/tensor/parameter-set.ts';
import type { CoordinatorConfig } from '../config/coordinator-config.ts';
import { FedAvg } from '../strategies/fed-avg.ts';
import type { Strategy } from '../strategies/strategy.ts';
import { clientResultFromUpload } from '../serde/update-serde.ts';
import type { CheckpointRow, RoundRow, UploadRow } from '../store/rows.ts';
import { streamedWeightedMean } from './streamed-weighted-mean.ts';

/** FedAvg's rule (FedProx shares it: its proximal term acts on the participants) over raw float32. */
function streamable(strategy: Strategy, config: CoordinatorConfig): boolean {
  const plainMean = strategy.constructor === FedAvg || strategy.name === 'fedprox';
  return plainMean && strategy instanceof FedAvg && config.updateEncoding === 'float32-le';
}

/** global + delta, tensor by tensor, in place of the global copy just read. */
function addFlat(global: ParameterSet, delta: Float32Array): ParameterSet {
  let offset = 0;
  for (const value of global.values()) {
    for (let i = 0; i < value.data.length; i += 1) value.data[i]! += delta[offset + i]!;
    offset += value.data.length;
  }
  return global;
}

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function aggregateRound(
  round: RoundRow,
  uploads: readonly UploadRow[],
  config: CoordinatorConfig,
  strategy: Strategy,
  checkpointsDir: string,
): Promise<CheckpointRow> {
  const global = await readSafetensorsFile(round.modelPath, config.model.spec);
  let next;
  if (streamable(strategy, config)) {
    const files = uploads.map((upload) => ({ path: upload.path, numExamples: upload.numExamples }));
    const mean = await streamedWeightedMean(files, totalElements(config.model.spec));
    next = addFlat(global, mean);
  } else {
    const results = [];
    for (const upload of uploads) results.push(await clientResultFromUpload(upload, config));
    next = strategy.aggregate(global, results, round.number);
  }
  const path = join(checkpointsDir, `round-${round.number}.safetensors`);
  const partial = `${path}.tmp`;
  await writeSafetensorsFile(partial, next, { round: String(round.number), strategy: strategy.name });
  await rename(partial, path);
  return {
    roundNumber: round.number,
    roundId: round.id,
    path,
    sha256: await fileSha256(path),
    bytes: (await stat(path)).size,
  };
}

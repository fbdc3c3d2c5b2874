/**
 * Aggregation of one round: the committed uploads become ClientResults (through the serde), the strategy
 * computes the next global weights, and they are written as the round's checkpoint file. The file is
 * written under a temporary name and renamed, so a crash leaves either no checkpoint or a whole one.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readSafetensorsFile, writeSafetensorsFile } from '../../engine/codec/safetensors.ts';
import type { CoordinatorConfig } from '../config/coordinator-config.ts';
import type { Strategy } from '../strategies/strategy.ts';
import { clientResultFromUpload } from '../serde/update-serde.ts';
import type { CheckpointRow, RoundRow, UploadRow } from '../store/rows.ts';

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
  const results = [];
  for (const upload of uploads) results.push(await clientResultFromUpload(upload, config));
  const next = strategy.aggregate(global, results, round.number);
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

/**
 * The global model's checkpoint files, one per round: each is written under a temporary name and
 * renamed, so a crash leaves either no checkpoint or a whole one, and is recorded with its SHA-256 and
 * size, which participants check their download against.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeSafetensorsFile } from '../../engine/codec/safetensors.ts';
import type { ParameterSet } from '../../engine/tensor/parameter-set.ts';
import type { CheckpointRow, RoundRow } from '../store/rows.ts';

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function checkpointPath(dir: string, roundNumber: number): string {
  return join(dir, `round-${roundNumber}.safetensors`);
}

/** The row that records a checkpoint file already in place. */
export async function checkpointRow(path: string, roundNumber: number, roundId: string | null): Promise<CheckpointRow> {
  return { roundNumber, roundId, path, sha256: await fileSha256(path), bytes: (await stat(path)).size };
}

/** Writes the round's new global weights atomically; the caller records the returned row. */
export async function writeCheckpoint(
  dir: string,
  round: Pick<RoundRow, 'id' | 'number'>,
  weights: ParameterSet,
  strategyName: string,
): Promise<CheckpointRow> {
  const path = checkpointPath(dir, round.number);
  const partial = `${path}.tmp`;
  await writeSafetensorsFile(partial, weights, { round: String(round.number), strategy: strategyName });
  await rename(partial, path);
  return checkpointRow(path, round.number, round.id);
}

/** Round 0's checkpoint: the configured initial weights, checked against the model spec and copied in. */
import { copyFile, mkdir, rename } from 'node:fs/promises';
import { assertSafetensorsMatchSpec } from '../../engine/codec/safetensors.ts';
import type { CoordinatorConfig } from '../config/coordinator-config.ts';
import type { CoordinatorStore } from '../store/coordinator-store.ts';
import { checkpointPath, checkpointRow } from './checkpoint-file.ts';

export async function ensureInitialCheckpoint(
  store: CoordinatorStore,
  config: CoordinatorConfig,
  dir: string,
): Promise<void> {
  if (store.checkpoint(0)) return;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // The header alone checks names, shapes and dtype against the spec before the federation starts.
  await assertSafetensorsMatchSpec(config.model.initialWeights, config.model.spec);
  const path = checkpointPath(dir, 0);
  await copyFile(config.model.initialWeights, `${path}.tmp`);
  await rename(`${path}.tmp`, path);
  const checkpoint = await checkpointRow(path, 0, null);
  store.db
    .prepare(
      'INSERT INTO checkpoints (round_number, round_id, path, sha256, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .run(checkpoint.roundNumber, checkpoint.roundId, checkpoint.path, checkpoint.sha256, checkpoint.bytes, Date.now());
}

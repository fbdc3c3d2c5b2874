/**
 * A sharded Hugging Face checkpoint: `model.safetensors.index.json` maps each tensor name to the shard file that
 * holds it (`{"weight_map": {"model.norm.weight": "model-00002-of-00002.safetensors", …}}`). Every shard the index
 * names must exist and hold the tensors the index puts in it; the tensors are then read lazily, one at a time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LazyTensorMap, SafetensorsFileReader } from './safetensors-lazy.ts';

interface ShardIndex {
  weight_map?: Record<string, unknown>;
}

function readIndex(indexPath: string): Record<string, string> {
  let index: ShardIndex;
  try {
    index = JSON.parse(readFileSync(indexPath, 'utf8')) as ShardIndex;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${indexPath}: not a readable shard index: ${reason}`, { cause: error });
  }
  const map = index?.weight_map;
  if (typeof map !== 'object' || map === null || Array.isArray(map))
    throw new Error(`${indexPath}: no "weight_map" object naming each tensor's shard`);
  for (const [name, shard] of Object.entries(map)) {
    if (typeof shard !== 'string' || shard !== basename(shard) || !shard.endsWith('.safetensors'))
      throw new Error(
        `${indexPath}: tensor "${name}" names shard ${JSON.stringify(shard)}, not a .safetensors file beside the index`,
      );
  }
  return map as Record<string, string>;
}

/** Opens every shard the index names (a missing one is named) and maps each tensor to its open shard. */
export function openShardedSafetensors(indexPath: string): LazyTensorMap {
  const weightMap = readIndex(indexPath);
  const folder = dirname(indexPath);
  const shards = new Map<string, SafetensorsFileReader>();
  try {
    for (const shard of new Set(Object.values(weightMap))) {
      const path = join(folder, shard);
      if (!existsSync(path)) throw new Error(`${indexPath}: shard ${shard} is missing (expected at ${path})`);
      shards.set(shard, new SafetensorsFileReader(path));
    }
    const files = new Map<string, SafetensorsFileReader>();
    for (const [name, shard] of Object.entries(weightMap)) {
      const file = shards.get(shard)!;
      if (!file.entry(name))
        throw new Error(`${file.path}: the index puts tensor "${name}" here, but the shard lacks it`);
      files.set(name, file);
    }
    return new LazyTensorMap(files);
  } catch (error) {
    for (const file of shards.values()) file.close();
    throw error;
  }
}

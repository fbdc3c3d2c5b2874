/**
 * A round's next global weights from its committed uploads: they become ClientResults (through the
 * serde) and the strategy aggregates them. A strategy whose rule is the plain example-weighted mean,
 * over raw float32 updates, takes a streamed path instead: the mean is accumulated from disk a chunk
 * at a time, so memory does not grow with the number of participants.
 */
import { readSafetensorsFile } from '../../engine/codec/safetensors.ts';
import { totalElements } from '../../engine/tensor/parameter-set.ts';
import type { ParameterSet } from '../../engine/tensor/parameter-set.ts';
import type { CoordinatorConfig } from '../config/coordinator-config.ts';
import type { ClientResult, Strategy } from '../strategies/strategy.ts';
import { clientResultFromUpload } from '../serde/update-serde.ts';
import type { RoundRow, UploadRow } from '../store/rows.ts';
import { streamedWeightedMean } from './streamed-weighted-mean.ts';

/** global + delta, tensor by tensor, in place of the global copy just read. */
function addFlat(global: ParameterSet, delta: Float32Array): ParameterSet {
  let offset = 0;
  for (const value of global.values()) {
    for (let i = 0; i < value.data.length; i += 1) value.data[i]! += delta[offset + i]!;
    offset += value.data.length;
  }
  return global;
}

/** The strategy's next global weights from the round's global model and these results. */
export async function aggregateResults(
  round: RoundRow,
  results: readonly ClientResult[],
  config: CoordinatorConfig,
  strategy: Strategy,
): Promise<ParameterSet> {
  const global = await readSafetensorsFile(round.modelPath, config.model.spec);
  return strategy.aggregate(global, results, round.number);
}

export async function aggregateUploads(
  round: RoundRow,
  uploads: readonly UploadRow[],
  config: CoordinatorConfig,
  strategy: Strategy,
): Promise<ParameterSet> {
  if (strategy.aggregatesByWeightedMean && config.updateEncoding === 'float32-le') {
    const global = await readSafetensorsFile(round.modelPath, config.model.spec);
    const files = uploads.map((upload) => ({ path: upload.path, numExamples: upload.numExamples }));
    return addFlat(global, await streamedWeightedMean(files, totalElements(config.model.spec)));
  }
  const results = [];
  for (const upload of uploads) results.push(await clientResultFromUpload(upload, config));
  return aggregateResults(round, results, config, strategy);
}

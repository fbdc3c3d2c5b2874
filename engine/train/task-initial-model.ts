/**
 * The model a task run starts from: seeded random parameters over a compact vocabulary, or — with `init` — a
 * pretrained Hugging Face model (engine/train/pretrained-checkpoint.ts) over the tokenizer's own ids, every
 * causal-LM head starting as the model's own LM head or, where it has none, the tied embedding and the other heads (and LoRA adapters) seeded.
 */
import type { TextTokenizer } from '../data/tokenizer.ts';
import type { TaskModelConfig } from '../nn/task-model.ts';
import { initializeTaskModel } from '../nn/task-step.ts';
import type { Float32Tensor } from '../tensor/parameter-set.ts';
import { CompactVocabulary } from './compact-vocabulary.ts';
import { loadPretrained } from './pretrained-checkpoint.ts';
import type { TaskDataset } from './task-dataset.ts';
import { taskModelConfig } from './task-job-spec.ts';
import type { TaskJobSpec } from './task-job-spec.ts';
import { compactTaskVocabulary, tokenizerTaskVocabulary } from './task-vocabulary.ts';
import type { TaskVocabulary } from './task-vocabulary.ts';

export interface InitialModel {
  config: TaskModelConfig;
  params: Map<string, Float32Tensor>;
  vocabulary: TaskVocabulary;
}

function fromPretrained(spec: TaskJobSpec, datasets: readonly TaskDataset[], tokenizer: TextTokenizer): InitialModel {
  const init = spec.init!;
  const imported = loadPretrained(init.file, init.heads ? { heads: init.heads } : {});
  if (imported.trunk.vocabSize < tokenizer.vocabSize)
    throw new Error(
      `${init.file}: the embedding has ${imported.trunk.vocabSize} rows but the tokenizer has ${tokenizer.vocabSize} ids`,
    );
  if (spec.seqLen > imported.trunk.maxSequenceLength)
    throw new Error(`seqLen ${spec.seqLen} exceeds the checkpoint's ${imported.trunk.maxSequenceLength} positions`);
  const config: TaskModelConfig = {
    ...taskModelConfig(spec, datasets, imported.trunk.vocabSize),
    trunk: { ...imported.trunk, dropout: spec.model.dropout },
  };
  const params = initializeTaskModel(config, spec.seed);
  for (const [name, value] of imported.parameters) params.set(name, value);
  const embedding = imported.parameters.get('trunk.token_embedding.weight')!;
  const [rows, width] = embedding.shape as [number, number];
  for (const dataset of datasets) {
    if (dataset.head.kind !== 'causal-lm') continue;
    if (imported.lmHead) {
      params.set(`heads.${dataset.name}.weight`, imported.lmHead);
      continue;
    }
    const tied = new Float32Array(rows * width);
    for (let r = 0; r < rows; r += 1)
      for (let c = 0; c < width; c += 1) tied[c * rows + r] = embedding.data[r * width + c]!;
    params.set(`heads.${dataset.name}.weight`, { shape: [width, rows], data: tied });
  }
  return { config, params, vocabulary: tokenizerTaskVocabulary(imported.trunk.vocabSize) };
}

export function initialModel(
  spec: TaskJobSpec,
  datasets: readonly TaskDataset[],
  tokenizer: TextTokenizer,
): InitialModel {
  if (spec.init) return fromPretrained(spec, datasets, tokenizer);
  const compact = CompactVocabulary.fromSequences(
    datasets.flatMap((dataset) => dataset.train.map((f) => f.ids)),
    spec.minTokenCount ?? 1,
  );
  const vocabulary = compactTaskVocabulary(compact);
  const config = taskModelConfig(spec, datasets, vocabulary.size);
  return { config, params: initializeTaskModel(config, spec.seed), vocabulary };
}

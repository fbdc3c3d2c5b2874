/**
 * The ids a task model sees. A model trained from scratch uses a compact vocabulary of the tokens in its training
 * data (0 = padding, 1 = unknown, never generated); a model fine-tuned from a pretrained checkpoint uses the
 * tokenizer's own ids, which its embedding was trained on (padding positions are masked, so id 0 serves there).
 */
import { CompactVocabulary } from './compact-vocabulary.ts';

export interface TaskVocabulary {
  readonly size: number;
  map(ids: readonly number[]): number[];
  toTokenizerIds(ids: readonly number[]): number[];
  /** Ids that are not tokens and must never be generated. */
  readonly reservedIds: readonly number[];
  /** What the checkpoint's metadata stores to rebuild it. */
  readonly saved: string;
}

export function compactTaskVocabulary(vocabulary: CompactVocabulary): TaskVocabulary {
  return {
    size: vocabulary.size,
    map: (ids) => vocabulary.map(ids),
    toTokenizerIds: (ids) => ids.filter((id) => id >= 2).map((id) => vocabulary.tokenizerIds[id - 2]!),
    reservedIds: [0, 1],
    saved: JSON.stringify(vocabulary.tokenizerIds),
  };
}

export function tokenizerTaskVocabulary(size: number): TaskVocabulary {
  return { size, map: (ids) => [...ids], toTokenizerIds: (ids) => [...ids], reservedIds: [], saved: '"tokenizer"' };
}

export function taskVocabularyFromMetadata(saved: string, size: number): TaskVocabulary {
  const parsed = JSON.parse(saved) as number[] | 'tokenizer';
  return parsed === 'tokenizer' ? tokenizerTaskVocabulary(size) : compactTaskVocabulary(new CompactVocabulary(parsed));
}

/**
 * The n-gram embedding bag (fastText, Joulin et al. 2017, "Bag of Tricks for Efficient Text Classification"): each
 * token id and each pair of neighbouring ids has a learned vector, and a classification head reads their mean.
 * On a few thousand labelled texts it generalises better than a transformer trained from scratch, which has too
 * many ways to memorise so little data. Bigrams are hashed into `bigramBuckets` rows inside the graph
 * ((first · 1000003 + second) mod buckets, int64 ops), so the batch is the same `input_ids` and `attention_mask`
 * every task model takes, and the graph is an ordinary autodiff graph: DP-SGD and federated rounds train it as
 * they train the transformer. Parameters: trunk.token_embedding.weight [vocab, d],
 * trunk.bigram_embedding.weight [buckets, d].
 *
 * Position t's state is its token's vector plus, when token t+1 is real, the vector of the bigram (t, t+1); the
 * head's masked mean over positions is then the sum of every unigram and bigram vector over the token count.
 */
import type { Value } from '../graph/ir.ts';
import * as op from '../graph/ops/index.ts';
import { init } from './init.ts';
import { embedding, initStd } from './layers.ts';
import type { ModelScope } from './scope.ts';
import type { TransformerConfig } from './transformer.ts';

/** Large prime multiplier of the bigram hash: spreads (first, second) pairs over the buckets. */
const bigramHashMultiplier = 1000003;

export const defaultBigramBuckets = 1 << 17;

/** Bucket of each neighbouring pair of ids, [B, T−1], in [0, buckets). */
function bigramBuckets(inputIds: Value, buckets: number): Value {
  const sequence = inputIds.shape[1] as number;
  const first = op.slice(inputIds, [0], [sequence - 1], [1]);
  const second = op.slice(inputIds, [1], [sequence], [1]);
  const key = op.add(op.mul(first, bigramHashMultiplier), second);
  // ids are non-negative, so integer division gives the remainder: key − ⌊key / buckets⌋ · buckets.
  return op.sub(key, op.mul(op.div(key, buckets), buckets));
}

export function validateBagConfig(config: TransformerConfig): void {
  for (const field of ['vocabSize', 'maxSequenceLength', 'dModel'] as const)
    if (!Number.isInteger(config[field]) || config[field] < 1)
      throw new Error(`bag config: ${field} must be a positive integer, got ${config[field]}`);
  const buckets = config.bigramBuckets ?? defaultBigramBuckets;
  if (!Number.isInteger(buckets) || buckets < 1)
    throw new Error(`bag config: bigramBuckets must be a positive integer, got ${buckets}`);
  const rate = config.dropout ?? 0;
  if (!(rate >= 0 && rate < 1)) throw new Error(`bag config: dropout must be in [0, 1), got ${rate}`);
}

/** Per-position states [B·T, d] whose masked mean is the mean of the text's unigram and bigram vectors. */
export function bagTrunk(
  scope: ModelScope,
  inputs: { inputIds: Value; attentionMask: Value },
  config: TransformerConfig,
) {
  validateBagConfig(config);
  const [batch, sequence] = inputs.inputIds.shape as [number, number];
  const d = config.dModel;
  const unigrams = embedding(scope, 'trunk.token_embedding', inputs.inputIds, config.vocabSize, d);
  const buckets = config.bigramBuckets ?? defaultBigramBuckets;
  const table = scope.parameter('trunk.bigram_embedding.weight', [buckets, d], init.normal(initStd));
  let states = unigrams;
  if (sequence > 1) {
    const pairs = op.gather(table, bigramBuckets(inputs.inputIds, buckets));
    const nextIsReal = op.slice(inputs.attentionMask, [1], [sequence], [1]);
    const present = op.mul(pairs, op.reshape(nextIsReal, [batch, sequence - 1, 1]));
    states = op.add(unigrams, op.pad(present, [0, 0, 0, 0, 1, 0]));
  }
  return scope.dropout(op.reshape(states, [batch * sequence, d]), 'trunk.bag');
}

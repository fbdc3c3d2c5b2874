/**
 * Greedy and beam-search generation for the causal LM. The forward graph has a FIXED length: every candidate is
 * right-padded to seqLen and the next-token logits are read at its last real position. Causal attention means
 * the padding after a position never changes that position's logits, so one session (built once) serves every
 * step; a graph per length would build and optimize up to maxNewTokens sessions, and without a key/value cache
 * neither form saves the recompute of the prefix. Beam scores are summed log-probabilities; finished hypotheses
 * are ranked by score / length^lengthPenalty (Wu et al. 2016 use a similar normalization; this is Hugging
 * Face's form). Beam size 1 is greedy decoding.
 */

export interface NextTokenScorer {
  /** Largest number of sequences one call can score. */
  readonly batchSize: number;
  readonly seqLen: number;
  /** Next-token logits for each sequence (each at most seqLen tokens). */
  nextLogits(sequences: readonly (readonly number[])[]): Promise<Float32Array[]>;
}

export interface GenerationOptions {
  maxNewTokens: number;
  beamSize: number;
  lengthPenalty: number;
  endId: number;
  /** Ids never generated (padding, unknown). */
  bannedIds?: readonly number[];
}

interface Hypothesis {
  ids: number[];
  score: number;
}

function logSoftmax(logits: Float32Array, banned: ReadonlySet<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i += 1) if (!banned.has(i)) max = Math.max(max, logits[i]!);
  let sum = 0;
  for (let i = 0; i < logits.length; i += 1) if (!banned.has(i)) sum += Math.exp(logits[i]! - max);
  const log = Math.log(sum) + max;
  return Float64Array.from(logits, (value, i) => (banned.has(i) ? -Infinity : value - log));
}

function topK(values: Float64Array, k: number): number[] {
  const order: number[] = [];
  for (let i = 0; i < values.length; i += 1) {
    if (values[i] === -Infinity) continue;
    order.push(i);
    order.sort((a, b) => values[b]! - values[a]!);
    if (order.length > k) order.pop();
  }
  return order;
}

async function scoreAll(scorer: NextTokenScorer, sequences: number[][]): Promise<Float32Array[]> {
  const result: Float32Array[] = [];
  for (let start = 0; start < sequences.length; start += scorer.batchSize) {
    result.push(...(await scorer.nextLogits(sequences.slice(start, start + scorer.batchSize))));
  }
  return result;
}

function checkOptions(options: GenerationOptions): void {
  if (!Number.isInteger(options.beamSize) || options.beamSize < 1)
    throw new Error(`beam size must be a positive integer, got ${options.beamSize}`);
  if (!Number.isInteger(options.maxNewTokens) || options.maxNewTokens < 1)
    throw new Error(`max new tokens must be a positive integer, got ${options.maxNewTokens}`);
}

/** The generated ids after `prompt` (without the end token). */
export async function generate(
  scorer: NextTokenScorer,
  prompt: readonly number[],
  options: GenerationOptions,
): Promise<number[]> {
  checkOptions(options);
  const banned = new Set(options.bannedIds ?? []);
  const normalized = (h: Hypothesis, length: number) => h.score / Math.pow(Math.max(length, 1), options.lengthPenalty);
  const finished: { ids: number[]; rank: number }[] = [];
  let live: Hypothesis[] = [{ ids: [], score: 0 }];
  const room = Math.min(options.maxNewTokens, scorer.seqLen - prompt.length);
  if (room < 1) throw new Error(`the prompt (${prompt.length} tokens) leaves no room in ${scorer.seqLen} positions`);
  for (let step = 0; step < room && live.length > 0 && finished.length < options.beamSize; step += 1) {
    const logits = await scoreAll(
      scorer,
      live.map((h) => [...prompt, ...h.ids]),
    );
    const candidates: Hypothesis[] = [];
    live.forEach((h, i) => {
      const logProbs = logSoftmax(logits[i]!, banned);
      for (const id of topK(logProbs, 2 * options.beamSize))
        candidates.push({ ids: [...h.ids, id], score: h.score + logProbs[id]! });
    });
    candidates.sort((a, b) => b.score - a.score);
    live = [];
    for (const candidate of candidates) {
      if (live.length === options.beamSize) break;
      if (candidate.ids.at(-1) === options.endId) {
        if (finished.length < options.beamSize)
          finished.push({ ids: candidate.ids.slice(0, -1), rank: normalized(candidate, candidate.ids.length) });
      } else live.push(candidate);
    }
  }
  // Live beams count only when fewer than beamSize hypotheses ended (so beam size 1 is exactly greedy).
  if (finished.length < options.beamSize)
    for (const h of live) finished.push({ ids: h.ids, rank: normalized(h, h.ids.length) });
  finished.sort((a, b) => b.rank - a.rank);
  return finished[0]?.ids ?? [];
}

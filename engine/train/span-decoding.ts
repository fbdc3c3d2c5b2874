/**
 * Answer decoding for extractive QA (as in the SQuAD reference systems and Hugging Face's
 * postprocess_qa_predictions): over every window of an example, the best span start ≤ end, both in context
 * tokens, at most `maxAnswerTokens` long, scored start_logit + end_logit. For SQuAD v2 the "no answer" score is
 * the CLS position's start + end logits (the lowest over windows, as in the reference); when it beats the best
 * span by more than `nullThreshold` the prediction is the empty answer.
 */
import type { Encoding } from '../data/tokenizer.ts';

export interface WindowLogits {
  encoding: Pick<Encoding, 'offsets' | 'sequenceIds'>;
  start: ArrayLike<number>;
  end: ArrayLike<number>;
}

export interface SpanDecodingOptions {
  maxAnswerTokens: number;
  /** Allow the empty answer (SQuAD v2). */
  allowNoAnswer: boolean;
  /** How much the no-answer score must beat the best span by; default 0. */
  nullThreshold?: number;
}

export interface DecodedAnswer {
  text: string;
  score: number;
  noAnswerScore: number;
}

function bestSpanIn(window: WindowLogits, maxAnswerTokens: number) {
  const { offsets, sequenceIds } = window.encoding;
  const context = (t: number) => sequenceIds[t] === 1 && offsets[t]![1] > offsets[t]![0];
  let best: { score: number; start: number; end: number } | null = null;
  const length = Math.min(sequenceIds.length, window.start.length);
  for (let s = 0; s < length; s += 1) {
    if (!context(s)) continue;
    for (let e = s; e < Math.min(length, s + maxAnswerTokens); e += 1) {
      if (!context(e)) continue;
      const score = (window.start[s] as number) + (window.end[e] as number);
      if (!best || score > best.score) best = { score, start: offsets[s]![0], end: offsets[e]![1] };
    }
  }
  return best;
}

export function decodeAnswer(
  context: string,
  windows: readonly WindowLogits[],
  options: SpanDecodingOptions,
): DecodedAnswer {
  let best: { score: number; start: number; end: number } | null = null;
  let noAnswerScore = Infinity;
  for (const window of windows) {
    noAnswerScore = Math.min(noAnswerScore, (window.start[0] as number) + (window.end[0] as number));
    const candidate = bestSpanIn(window, options.maxAnswerTokens);
    if (candidate && (!best || candidate.score > best.score)) best = candidate;
  }
  const spanScore = best?.score ?? -Infinity;
  if (!best || (options.allowNoAnswer && noAnswerScore > spanScore + (options.nullThreshold ?? 0)))
    return { text: '', score: noAnswerScore, noAnswerScore };
  return { text: context.slice(best.start, best.end), score: spanScore, noAnswerScore };
}

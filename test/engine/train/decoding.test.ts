import { describe, expect, it } from 'vitest';
import { generate } from '../../../engine/train/causal-decoding.ts';
import type { NextTokenScorer } from '../../../engine/train/causal-decoding.ts';
import { decodeAnswer } from '../../../engine/train/span-decoding.ts';
import { interleaveTasks } from '../../../engine/train/task-sampler.ts';

/** A fixed next-token table over 4 tokens (3 = end): log-probabilities depend on the last token only. */
const table: Record<number, number[]> = {
  [-1]: [0.5, 0.4, 0.1, 0],
  0: [0.05, 0.05, 0.05, 0.85],
  1: [0.01, 0.01, 0.97, 0.01],
  2: [0.01, 0.01, 0.01, 0.97],
};
const scorer: NextTokenScorer = {
  batchSize: 2,
  seqLen: 16,
  async nextLogits(sequences) {
    return sequences.map((ids) => Float32Array.from(table[ids.length > 1 ? ids.at(-1)! : -1]!.map(Math.log)));
  },
};

describe('causal generation', () => {
  it('greedy takes the locally best token; beam search finds the sequence of higher total probability', async () => {
    // Greedy: 0 (0.5) then end (0.85) → [0], p = 0.425. Beam: 1 (0.4), 2 (0.97), end (0.97) → [1, 2], p = 0.376,
    // worse in total but better per token: with length penalty 1 the normalized log-prob prefers it
    // (log 0.376 / 3 = −0.326 against log 0.425 / 2 = −0.428); with penalty 0 the raw total prefers [0].
    const options = { maxNewTokens: 5, endId: 3 };
    expect(await generate(scorer, [9], { ...options, beamSize: 1, lengthPenalty: 1 })).toEqual([0]);
    expect(await generate(scorer, [9], { ...options, beamSize: 2, lengthPenalty: 1 })).toEqual([1, 2]);
    expect(await generate(scorer, [9], { ...options, beamSize: 2, lengthPenalty: 0 })).toEqual([0]);
  });

  it('stops at max new tokens and never emits banned ids', async () => {
    const ids = await generate(scorer, [9], {
      maxNewTokens: 1,
      endId: 3,
      beamSize: 1,
      lengthPenalty: 1,
      bannedIds: [0],
    });
    expect(ids).toEqual([1]);
  });
});

describe('span decoding', () => {
  // Context "red boat" → tokens [CLS] q [SEP] red boat [SEP].
  const encoding = {
    offsets: [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 3],
      [4, 8],
      [0, 0],
    ] as [number, number][],
    sequenceIds: [null, 0, null, 1, 1, null] as (0 | 1 | null)[],
  };
  it('picks the best valid span in the context, within the length limit', () => {
    const window = { encoding, start: [0, 9, 0, 2, 1, 0], end: [0, 9, 0, 0, 3, 0] };
    expect(decodeAnswer('red boat', [window], { maxAnswerTokens: 2, allowNoAnswer: false }).text).toBe('red boat');
    expect(decodeAnswer('red boat', [window], { maxAnswerTokens: 1, allowNoAnswer: false }).text).toBe('boat');
  });
  it('answers nothing (SQuAD v2) when the CLS score beats every span', () => {
    const window = { encoding, start: [5, 0, 0, 2, 1, 0], end: [5, 0, 0, 0, 3, 0] };
    expect(decodeAnswer('red boat', [window], { maxAnswerTokens: 2, allowNoAnswer: true }).text).toBe('');
    expect(decodeAnswer('red boat', [window], { maxAnswerTokens: 2, allowNoAnswer: false }).text).toBe('red boat');
  });
});

describe('task sampling', () => {
  const perTask = new Map([
    ['a', [1, 2, 3, 4]],
    ['b', [5, 6]],
  ]);
  it('round-robin alternates until a task runs out', () => {
    expect([...interleaveTasks(perTask, 'round-robin', 0)].map((t) => t.batch)).toEqual([1, 5, 2, 6, 3, 4]);
  });
  it('proportional sampling shows every batch once, in each task’s order', () => {
    const drawn = [...interleaveTasks(perTask, 'proportional', 3)];
    expect(drawn.filter((t) => t.task === 'a').map((t) => t.batch)).toEqual([1, 2, 3, 4]);
    expect(drawn.filter((t) => t.task === 'b').map((t) => t.batch)).toEqual([5, 6]);
  });
});

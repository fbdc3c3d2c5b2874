/**
 * A strategy that declares `aggregatesByWeightedMean` is aggregated by the coordinator from the uploads
 * on disk, without calling `aggregate`. The declaration must therefore agree with what `aggregate` does:
 * over several rounds of random updates, example counts and task lists, its result equals the global
 * weights plus the streamed example-weighted mean of the update files, exactly when it declares so.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStrategy, strategyConfigSchema } from '../../../coordinator/strategies/create-strategy.ts';
import type { ClientResult } from '../../../coordinator/strategies/strategy.ts';
import { streamedWeightedMean } from '../../../coordinator/rounds/streamed-weighted-mean.ts';
import { flat, setOf } from './fixtures.ts';

const coordinates = 8;
const participants = 4;
const rounds = 3;
const taskChoices = [undefined, ['classify'], ['summarize'], ['classify', 'summarize']];

function randomValues(count: number, scale: number): number[] {
  return Array.from({ length: count }, () => (Math.random() * 2 - 1) * scale);
}

function randomResults(): ClientResult[] {
  return Array.from({ length: participants }, (_, i) => {
    // The first participant always trains one task only, so per-task weighting shows.
    const tasks = i === 0 ? ['classify'] : taskChoices[Math.floor(Math.random() * taskChoices.length)];
    return {
      participantId: `p${i}`,
      numExamples: 1 + Math.floor(Math.random() * 100),
      update: setOf(randomValues(coordinates, 1)),
      ...(tasks ? { tasks } : {}),
    };
  });
}

/** The coordinator's streamed mean over the results written as raw float32 update files. */
async function streamedMean(results: readonly ClientResult[]): Promise<Float32Array> {
  const dir = mkdtempSync(join(tmpdir(), 'accord-streamed-mean-'));
  const files = results.map((result, i) => {
    const path = join(dir, `update-${i}.f32`);
    writeFileSync(path, Buffer.from(Float32Array.from(flat(result.update)).buffer));
    return { path, numExamples: result.numExamples };
  });
  return streamedWeightedMean(files, coordinates, 12);
}

function close(actual: readonly number[], expected: readonly number[]): boolean {
  return actual.every((value, i) => {
    const reference = expected[i] as number;
    return Math.abs(value - reference) <= 1e-6 + 1e-5 * Math.max(Math.abs(value), Math.abs(reference));
  });
}

const names = strategyConfigSchema.options.map((option) => option.shape.name.value);

describe('a strategy’s aggregatesByWeightedMean', () => {
  it.each(names)('%s declares it exactly when its aggregate is the streamed weighted mean', async (name) => {
    const strategy = createStrategy({ name });
    let global = setOf(randomValues(coordinates, 2));
    let everyRoundMatched = true;
    for (let round = 1; round <= rounds; round++) {
      const results = randomResults();
      const mean = await streamedMean(results);
      const expected = flat(global).map((value, i) => value + (mean[i] as number));
      global = strategy.aggregate(global, results, round);
      everyRoundMatched &&= close(flat(global), expected);
    }
    expect(strategy.aggregatesByWeightedMean).toBe(everyRoundMatched);
  });

  it('holds for FedAvg and FedProx, whose server rule is the weighted mean', () => {
    expect(names.filter((name) => createStrategy({ name }).aggregatesByWeightedMean)).toEqual(['fedavg', 'fedprox']);
  });
});

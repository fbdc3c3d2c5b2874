import { describe, expect, it } from 'vitest';
import { TrainingController } from '../../../../renderer/src/views/training/training.svelte.ts';

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('TrainingController', () => {
  it('collects loss and metric points and estimates the time left from the pace so far', () => {
    const time = clock();
    const training = new TrainingController(time.now);
    training.onRoundState({
      roundKey: 'fed-a/r1',
      federationId: 'fed-a',
      roundId: 'r1',
      state: 'training',
      reason: null,
    });
    expect(training.phase).toBe('training');
    expect(training.etaSeconds).toBeUndefined();
    time.advance(20_000);
    training.onProgress({ roundKey: 'fed-a/r1', step: 10, totalSteps: 50, loss: 0.9, metrics: { accuracy: 0.6 } });
    // 10 steps in 20 s = 2 s a step; 40 steps left → 80 s.
    expect(training.etaSeconds).toBeCloseTo(80, 9);
    expect(training.fraction).toBe(0.2);
    training.onProgress({ roundKey: 'fed-a/r1', step: 11, totalSteps: 50, loss: 0.8 });
    expect(training.points.map((p) => p.loss)).toEqual([0.9, 0.8]);
    expect(training.metricNames).toEqual(['accuracy']);
    expect(training.lastLoss).toBe(0.8);
    expect(training.roundLabel).toBe('r1 of fed-a');
  });

  it('starts afresh for a new round and announces the end of training', () => {
    const training = new TrainingController(clock().now);
    training.onProgress({ roundKey: 'fed-a/r1', step: 1, totalSteps: 2, loss: 1 });
    training.onProgress({ roundKey: 'fed-a/r2', step: 1, totalSteps: 3, loss: 2 });
    expect(training.points).toHaveLength(1);
    expect(training.announcement).toContain('started');
    training.onRoundState({
      roundKey: 'fed-a/r2',
      federationId: 'fed-a',
      roundId: 'r2',
      state: 'update_ready',
      reason: null,
    });
    expect(training.phase).toBe('finished');
    expect(training.announcement).toBe('Training of r2 of fed-a finished.');
  });

  it('says why training failed', () => {
    const training = new TrainingController(clock().now);
    training.onProgress({ roundKey: 'f/r', step: 1, totalSteps: 5 });
    training.onRoundState({
      roundKey: 'f/r',
      federationId: 'f',
      roundId: 'r',
      state: 'failed',
      reason: 'out of memory',
    });
    expect(training.announcement).toContain('out of memory');
    expect(training.etaSeconds).toBeUndefined();
  });

  it('ignores the state of a round other than the one shown', () => {
    const training = new TrainingController(clock().now);
    training.onProgress({ roundKey: 'f/r1', step: 1, totalSteps: 5 });
    training.onRoundState({ roundKey: 'f/r0', federationId: 'f', roundId: 'r0', state: 'failed', reason: 'x' });
    expect(training.phase).toBe('training');
  });
});

describe('TrainingController with the participant', () => {
  it("prefers the trainer's own ETA and reports why a cancel failed", async () => {
    const calls: string[] = [];
    const training = new TrainingController(clock().now, {
      'training.cancel': async ({ roundKey }) => {
        calls.push(roundKey);
        throw new Error(`no training runs for round ${roundKey}`);
      },
    });
    training.onProgress({ roundKey: 'f/r', step: 1, totalSteps: 5, etaSeconds: 42 });
    expect(training.etaSeconds).toBe(42);
    await training.cancel();
    expect(calls).toEqual(['f/r']);
    expect(training.cancelError).toBe('no training runs for round f/r');
  });
});

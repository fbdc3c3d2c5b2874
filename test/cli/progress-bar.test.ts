import { describe, expect, it } from 'vitest';
import { formatDuration, formatProgressBar } from '../../cli/progress-bar.ts';

describe('progress bar', () => {
  it('shows step, a bar filled in proportion, loss, rate, speed and ETA', () => {
    const line = formatProgressBar(
      {
        step: 5,
        totalSteps: 20,
        epoch: 0,
        loss: 0.69314,
        learningRate: 0.001,
        gradientNorm: 1,
        examplesPerSecond: 12.34,
        elapsedSeconds: 3,
        etaSeconds: 75,
      },
      8,
    );
    expect(line).toBe('epoch 1  step 5/20  ██░░░░░░  25%  loss 0.6931  lr 1.00e-3  12.3 ex/s  ETA 1m15s');
  });

  it('formats durations by hand-checked cases', () => {
    expect([formatDuration(0), formatDuration(59.6), formatDuration(3725), formatDuration(Number.NaN)]).toEqual([
      '0s',
      '1m00s',
      '1h02m',
      '--',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { EarlyStopping } from '../../../engine/train/early-stopping.ts';
import type { Float32Tensor } from '../../../engine/tensor/parameter-set.ts';

function parameters(value: number): Map<string, Float32Tensor> {
  return new Map([['w', { shape: [2], data: Float32Array.of(value, -value) }]]);
}

const heldOut = (loss: number) => ({ loss, tasks: { t: { loss } } });

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without a lower held-out loss and restores the best epoch', () => {
    const stopping = new EarlyStopping(2);
    const losses = [0.9, 0.5, 0.6, 0.4, 0.45, 0.41];
    const verdicts = losses.map((loss, i) => stopping.observe(heldOut(loss), parameters(i)));
    expect(verdicts).toEqual(['continue', 'continue', 'continue', 'continue', 'continue', 'stop']);
    const params = parameters(99);
    stopping.restoreBest(params);
    expect([...params.get('w')!.data]).toEqual([3, -3]);
    const report = stopping.report(true);
    expect(report).toMatchObject({ bestEpoch: 4, bestHeldOutLoss: 0.4, epochsRun: 6, stoppedEarly: true });
    expect(report.curve.map((point) => point.improved)).toEqual([true, true, false, true, false, false]);
  });

  it('keeps a copy: later changes to the live parameters do not touch the best epoch', () => {
    const stopping = new EarlyStopping(1);
    const live = parameters(1);
    stopping.observe(heldOut(0.3), live);
    live.get('w')!.data.fill(7);
    stopping.restoreBest(live);
    expect([...live.get('w')!.data]).toEqual([1, -1]);
  });

  it('shows each epoch the mean of its updates’ training losses', () => {
    const stopping = new EarlyStopping(3);
    [1, 3].forEach((loss) => stopping.recordUpdateLoss(loss));
    stopping.observe(heldOut(0.5), parameters(0));
    stopping.recordUpdateLoss(0.5);
    stopping.observe(heldOut(0.4), parameters(0));
    expect(stopping.curve.map((point) => point.trainLoss)).toEqual([2, 0.5]);
  });

  it('refuses a patience that is not a positive whole number', () => {
    expect(() => new EarlyStopping(0)).toThrow('patience must be a positive integer');
  });
});

import { describe, expect, it } from 'vitest';
import { createSchedule } from '../../../engine/optim/schedule.ts';

describe('learning-rate schedules', () => {
  it('constant stays at the peak', () => {
    const schedule = createSchedule({ kind: 'constant', peakRate: 0.01 });
    expect([0, 1, 1000].map(schedule)).toEqual([0.01, 0.01, 0.01]);
  });

  it('linear: warm-up 0.25, 0.5, 0.75, 1 of the peak, then straight down to 0 at totalSteps (by hand)', () => {
    const schedule = createSchedule({ kind: 'linear', peakRate: 1, warmupSteps: 4, totalSteps: 8 });
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(schedule)).toEqual([0.25, 0.5, 0.75, 1, 1, 0.75, 0.5, 0.25, 0, 0]);
  });

  it('cosine: half a cosine from the peak to finalRate; its midpoint is the mean of the two', () => {
    const schedule = createSchedule({ kind: 'cosine', peakRate: 1, warmupSteps: 2, totalSteps: 12, finalRate: 0.1 });
    expect(schedule(2)).toBeCloseTo(1, 12);
    expect(schedule(7)).toBeCloseTo(0.55, 12);
    expect(schedule(12)).toBeCloseTo(0.1, 12);
    for (let step = 3; step <= 12; step++) expect(schedule(step)).toBeLessThan(schedule(step - 1));
  });

  it('refuses a decay without a total beyond the warm-up', () => {
    expect(() => createSchedule({ kind: 'cosine', peakRate: 1, warmupSteps: 10, totalSteps: 10 })).toThrow(
      'a cosine schedule needs totalSteps (an integer) above warmupSteps 10, got 10',
    );
    expect(() => createSchedule({ kind: 'constant', peakRate: 0 })).toThrow('peakRate must be above 0');
  });
});

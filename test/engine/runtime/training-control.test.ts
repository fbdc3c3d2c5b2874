import { describe, expect, it } from 'vitest';
import { TrainingControl } from '../../../engine/runtime/training-control.ts';

const settled = async (promise: Promise<void>) => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('training control', () => {
  it('does not hold a running loop', async () => {
    expect(await settled(new TrainingControl().waitWhilePaused())).toBe(true);
  });

  it('holds a paused loop until resume', async () => {
    const control = new TrainingControl();
    control.pause();
    const waiting = control.waitWhilePaused();
    expect(await settled(waiting)).toBe(false);
    control.resume();
    expect(await settled(waiting)).toBe(true);
    expect(control.isPaused).toBe(false);
  });

  it('cancel releases a paused loop and is remembered', async () => {
    const control = new TrainingControl();
    control.pause();
    const waiting = control.waitWhilePaused();
    control.cancel();
    expect(await settled(waiting)).toBe(true);
    expect(control.isCancelled).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../../../coordinator/server/keyed-queue.ts';

describe('KeyedQueue', () => {
  it('runs tasks of one key one after another, across awaits and failures, and other keys alongside', async () => {
    const queue = new KeyedQueue();
    const events: string[] = [];
    const task =
      (name: string, fail = false) =>
      async () => {
        events.push(`${name} start`);
        await new Promise((resolve) => setImmediate(resolve));
        events.push(`${name} end`);
        if (fail) throw new Error(`${name} failed`);
        return name;
      };
    const results = await Promise.allSettled([
      queue.run('k', task('first', true)),
      queue.run('k', task('second')),
      queue.run('other', task('third')),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(events.indexOf('second start')).toBeGreaterThan(events.indexOf('first end'));
    expect(events.indexOf('third start')).toBeLessThan(events.indexOf('first end'));
  });
});

import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, withRetries } from '../../../../main/participant/coordinator-client/retry-policy.ts';

const policy = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 4 };

describe('exponential back-off with jitter', () => {
  it('draws delays uniformly below min(cap, base·2^attempt)', () => {
    expect(backoffDelayMs({ ...policy, baseDelayMs: 100, maxDelayMs: 1000 }, 3, () => 0.999999)).toBeCloseTo(800, 2);
    expect(backoffDelayMs({ ...policy, baseDelayMs: 100, maxDelayMs: 1000 }, 6, () => 0.5)).toBe(500);
    expect(backoffDelayMs(policy, 2, () => 0)).toBe(0);
  });

  it('retries UNAVAILABLE and DEADLINE_EXCEEDED up to the limit, and nothing else', async () => {
    let calls = 0;
    const flaky = async () => {
      calls += 1;
      if (calls < 3)
        throw Object.assign(new Error('down'), { code: calls === 1 ? status.UNAVAILABLE : status.DEADLINE_EXCEEDED });
      return 'ok';
    };
    expect(await withRetries(policy, flaky)).toBe('ok');
    expect(calls).toBe(3);

    calls = 0;
    const refused = async () => {
      calls += 1;
      throw Object.assign(new Error('no'), { code: status.PERMISSION_DENIED });
    };
    await expect(withRetries(policy, refused)).rejects.toThrow('no');
    expect(calls).toBe(1);

    calls = 0;
    const down = async () => {
      calls += 1;
      throw Object.assign(new Error('down'), { code: status.UNAVAILABLE });
    };
    await expect(withRetries(policy, down)).rejects.toThrow('down');
    expect(calls).toBe(4);
  });
});

import { describe, expect, it } from 'vitest';
import { AddressRateLimit } from '../../../coordinator/server/address-rate-limit.ts';

describe('AddressRateLimit', () => {
  it('allows a burst per address, then one attempt per refill interval', () => {
    const limit = new AddressRateLimit(2, 10);
    expect([limit.take('a', 0), limit.take('a', 0), limit.take('a', 0)]).toEqual([true, true, false]);
    expect(limit.take('b', 0)).toBe(true);
    expect(limit.take('a', 9_000)).toBe(false);
    expect(limit.take('a', 10_500)).toBe(true);
    expect(limit.take('a', 10_600)).toBe(false);
    // A long pause refills to the burst, never beyond it.
    expect([limit.take('a', 1e6), limit.take('a', 1e6), limit.take('a', 1e6)]).toEqual([true, true, false]);
  });
});

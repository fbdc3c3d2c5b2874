import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { combineShares, splitSecret } from '../../../engine/secagg/secret-sharing.ts';

describe('Shamir t-of-m sharing', () => {
  it('reconstructs from any t shares', async () => {
    const secret = randomBytes(32);
    const shares = await splitSecret(secret, 7, 4);
    expect(await combineShares(shares.slice(0, 4), 4, 'x')).toEqual(new Uint8Array(secret));
    expect(await combineShares([shares[6]!, shares[2]!, shares[4]!, shares[1]!], 4, 'x')).toEqual(
      new Uint8Array(secret),
    );
  });

  it('does not reconstruct from t − 1 shares (interpolation gives another value)', async () => {
    const secret = randomBytes(32);
    const shares = await splitSecret(secret, 5, 3);
    const { combine } = await import('shamir-secret-sharing');
    expect(await combine(shares.slice(0, 2))).not.toEqual(new Uint8Array(secret));
    await expect(combineShares(shares.slice(0, 2), 3, "site-4's key")).rejects.toThrow(
      /site-4's key: 2 shares, 3 needed/,
    );
  });

  it('refuses impossible parameters', async () => {
    await expect(splitSecret(randomBytes(32), 256, 130)).rejects.toThrow(/2 ≤ t ≤ m ≤ 255/);
    await expect(splitSecret(randomBytes(32), 3, 4)).rejects.toThrow(/threshold 4/);
  });
});

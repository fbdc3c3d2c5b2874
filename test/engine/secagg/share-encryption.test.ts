import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openShares, sealShares } from '../../../engine/secagg/share-encryption.ts';

const envelope = { roundId: 'r7', senderId: 'alice', receiverId: 'bob' };
const pair = { selfMaskShare: Uint8Array.of(1, 2, 3), maskKeyShare: Uint8Array.of(4, 5) };

describe('sealed shares (AES-256-GCM)', () => {
  it('opens what it sealed', () => {
    const key = randomBytes(32);
    expect(openShares(key, envelope, sealShares(key, envelope, pair))).toEqual(pair);
  });

  it('refuses a sealed pair replayed to another receiver, from another sender, or into another round', () => {
    const key = randomBytes(32);
    const sealed = sealShares(key, envelope, pair);
    expect(() => openShares(key, { ...envelope, receiverId: 'carol' }, sealed)).toThrow(/failed authentication/);
    expect(() => openShares(key, { ...envelope, senderId: 'mallory' }, sealed)).toThrow(/failed authentication/);
    expect(() => openShares(key, { ...envelope, roundId: 'r8' }, sealed)).toThrow(/failed authentication in round r8/);
  });

  it('refuses a flipped bit and a wrong key', () => {
    const key = randomBytes(32);
    const sealed = sealShares(key, envelope, pair);
    sealed[14] = sealed[14]! ^ 1;
    expect(() => openShares(key, envelope, sealed)).toThrow(/failed authentication/);
    expect(() => openShares(randomBytes(32), envelope, sealShares(key, envelope, pair))).toThrow(
      /failed authentication/,
    );
  });

  it('uses a fresh nonce each time', () => {
    const key = randomBytes(32);
    expect(sealShares(key, envelope, pair)).not.toEqual(sealShares(key, envelope, pair));
  });
});

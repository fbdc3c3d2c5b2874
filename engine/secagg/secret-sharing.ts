/**
 * Shamir t-of-m sharing over GF(2^8) with the audited `shamir-secret-sharing` package (Cure53 and Zellic
 * audits). Each share carries its own x coordinate in its last byte, so shares need no separate index.
 * The package limits m to 255, which bounds a neighbourhood (the participant and its peers) to 255.
 */
import { combine, split } from 'shamir-secret-sharing';
import { SecAggProtocolError } from './errors.ts';

export const maxShares = 255;

/** `count` shares of which any `threshold` reconstruct `secret`; fewer reveal nothing about it. */
export async function splitSecret(secret: Uint8Array, count: number, threshold: number): Promise<Uint8Array[]> {
  if (threshold < 2 || threshold > count || count > maxShares) {
    throw new SecAggProtocolError(
      `cannot split into ${count} shares with threshold ${threshold} (2 ≤ t ≤ m ≤ ${maxShares})`,
    );
  }
  // The package checks `constructor === Uint8Array`: a Node Buffer would be refused.
  return split(Uint8Array.from(secret), count, threshold);
}

/** The secret from at least `threshold` shares (the caller verifies the result where it can). */
export async function combineShares(
  shares: readonly Uint8Array[],
  threshold: number,
  what: string,
): Promise<Uint8Array> {
  if (shares.length < threshold) {
    throw new SecAggProtocolError(`${what}: ${shares.length} shares, ${threshold} needed`);
  }
  const length = shares[0]!.byteLength;
  if (shares.some((share) => share.byteLength !== length)) {
    throw new SecAggProtocolError(`${what}: shares of different lengths`);
  }
  return combine(shares.map((share) => Uint8Array.from(share)));
}

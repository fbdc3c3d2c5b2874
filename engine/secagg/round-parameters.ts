/**
 * The rules on threshold and neighbourhood that both sides check: the server before it starts a
 * round, each participant before it commits any secret to it.
 */
import { SecAggProtocolError } from './errors.ts';
import { maxShares } from './secret-sharing.ts';

/**
 * t must exceed half the closed neighbourhood (k peers plus the participant itself). Then even a server
 * that tells some neighbours "u dropped" and others "u survived" cannot gather t self-mask shares and t
 * mask-key shares of u, because each neighbour answers only one of the two questions about u.
 */
export function minimumThreshold(degree: number): number {
  return Math.floor((degree + 1) / 2) + 1;
}

export function assertThresholdFits(threshold: number, degree: number): void {
  const neighbourhood = degree + 1;
  if (!Number.isInteger(degree) || degree < 1 || neighbourhood > maxShares) {
    throw new SecAggProtocolError(`neighbour degree must be an integer in 1…${maxShares - 1}, got ${degree}`);
  }
  if (!Number.isInteger(threshold) || threshold < minimumThreshold(degree) || threshold > neighbourhood) {
    throw new SecAggProtocolError(
      `threshold ${threshold} must be an integer in ${minimumThreshold(degree)}…${neighbourhood} for degree ${degree} ` +
        '(more than half of each neighbourhood, participant included)',
    );
  }
}

/** 2^29 words = 2 GiB of masked input: its byte length still fits the codec's 32-bit length prefix. */
export function assertVectorLength(vectorLength: number): void {
  if (!Number.isInteger(vectorLength) || vectorLength < 1 || vectorLength > 2 ** 29) {
    throw new SecAggProtocolError(`vectorLength must be an integer in 1…2^29, got ${vectorLength}`);
  }
}

/** Ids are joined with NUL into key-derivation labels and associated data, so they may not contain it. */
export function assertParticipantId(id: string): void {
  if (id.length === 0 || id.includes('\0')) {
    throw new SecAggProtocolError(
      `participant id ${JSON.stringify(id)} must be non-empty and contain no NUL character`,
    );
  }
}

/** Ids in order, without repeats: the canonical form of every id list in the protocol. */
export function sortedUnique(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort();
}

/**
 * The last step of a round: reconstruct, from t shares each, the self-mask seed of every participant
 * in U3 and the mask key of every participant in D (dropped after sharing keys, with a neighbour in
 * U3), strip those masks from the sum of masked inputs, and dequantize. Pairwise masks between two
 * members of U3 cancel in the sum; those between a member of D and a member of U3 are recomputed
 * from D's key; none are computed for pairs that both dropped — such masks are in no input.
 */
import { SecAggAbortError, SecAggProtocolError } from './errors.ts';
import { agreeKey, commitToSeed, deriveKey, x25519PublicKeyOf } from './key-agreement.ts';
import { applyMask } from './mask-prg.ts';
import type { UnmaskResponse } from './messages.ts';
import { dequantizeSum, type QuantizationConfig, sumErrorBound } from './quantization.ts';
import { combineShares } from './secret-sharing.ts';

export interface SecAggResult {
  /** Σ of the updates of `contributors`, dequantized; within `errorBound` of the exact sum per coordinate. */
  readonly sum: Float64Array;
  /** The same sum in quantized levels, before dequantization. */
  readonly quantizedSum: Uint32Array;
  /** U3: the participants whose updates are in the sum. */
  readonly contributors: readonly string[];
  /** n·Δ/2 for n = contributors.length (see quantization.ts). */
  readonly errorBound: number;
  /** Participants whose mask keys were reconstructed (dropped after sharing keys). */
  readonly reconstructedMaskKeys: readonly string[];
}

export interface UnmaskInputs {
  readonly config: { readonly roundId: string; readonly threshold: number; readonly quantization: QuantizationConfig };
  readonly neighbourhood: (id: string) => string[];
  readonly maskKeys: ReadonlyMap<string, Uint8Array>;
  readonly commitments: ReadonlyMap<string, Uint8Array>;
  readonly maskedSum: Uint32Array;
  readonly survivors: readonly string[];
  readonly droppedWithMask: readonly string[];
  readonly answers: ReadonlyMap<string, UnmaskResponse>;
}

/** The shares of `ownerId`'s secret that U4 returned; aborts, naming the owner, with fewer than t. */
function sharesOf(inputs: UnmaskInputs, ownerId: string, field: 'selfMaskShares' | 'maskKeyShares'): Uint8Array[] {
  const shares: Uint8Array[] = [];
  for (const holder of inputs.neighbourhood(ownerId)) {
    const share = inputs.answers.get(holder)?.[field].find((entry) => entry.peerId === ownerId)?.share;
    if (share) shares.push(share);
  }
  const { threshold } = inputs.config;
  if (shares.length < threshold) {
    const what = field === 'selfMaskShares' ? 'self-mask seed' : 'mask key';
    throw new SecAggAbortError(
      'unmask',
      `only ${shares.length} shares of ${ownerId}'s ${what} arrived`,
      inputs.answers.size,
      threshold,
      ownerId,
    );
  }
  return shares.slice(0, threshold);
}

export async function reconstructSum(inputs: UnmaskInputs): Promise<SecAggResult> {
  const { roundId, quantization } = inputs.config;
  const sum = inputs.maskedSum.slice();
  const survivors = new Set(inputs.survivors);
  if (survivors.size === 0) {
    throw new SecAggAbortError('unmask', 'no participant sent a masked input', 0, inputs.config.threshold);
  }
  for (const id of inputs.survivors) {
    const seed = await combineShares(
      sharesOf(inputs, id, 'selfMaskShares'),
      inputs.config.threshold,
      `self-mask seed of ${id}`,
    );
    if (!Buffer.from(commitToSeed(seed, roundId, id)).equals(Buffer.from(inputs.commitments.get(id)!))) {
      throw new SecAggProtocolError(
        `the reconstructed self-mask seed of ${id} does not match its commitment: a share was corrupted`,
      );
    }
    applyMask(sum, deriveKey(seed, roundId, 'self-mask'), -1);
  }
  for (const droppedId of inputs.droppedWithMask) {
    const shares = sharesOf(inputs, droppedId, 'maskKeyShares');
    const maskKey = await combineShares(shares, inputs.config.threshold, `mask key of ${droppedId}`);
    if (!Buffer.from(x25519PublicKeyOf(maskKey)).equals(Buffer.from(inputs.maskKeys.get(droppedId)!))) {
      throw new SecAggProtocolError(
        `the reconstructed mask key of ${droppedId} does not match its advertised key: a share was corrupted`,
      );
    }
    for (const peerId of inputs.neighbourhood(droppedId)) {
      if (!survivors.has(peerId)) continue;
      // peerId added +PRG if peerId < droppedId, −PRG otherwise (participant.ts); remove exactly that.
      const seed = agreeKey(maskKey, inputs.maskKeys.get(peerId)!, roundId, 'pairwise-mask', droppedId, peerId);
      applyMask(sum, seed, peerId < droppedId ? -1 : 1);
    }
  }
  const count = survivors.size;
  return {
    sum: dequantizeSum(sum, count, quantization),
    quantizedSum: sum,
    contributors: inputs.survivors,
    errorBound: sumErrorBound(quantization, count),
    reconstructedMaskKeys: inputs.droppedWithMask,
  };
}

/**
 * The participant's check of an unmask request — the core safety rule of SecAgg. For a peer u the
 * server may learn the self-mask seed b_u (u survived: its b_u-mask must be removed) or the mask key
 * s_u (u dropped: its pairwise masks must be removed), never both: with both it could strip every mask
 * from u's masked input and read u's update. The rule holds across every answer in a round.
 */
import { SecAggAbortError, SecAggProtocolError, SecAggRefusalError } from './errors.ts';
import type { PeerShare, UnmaskRequest } from './messages.ts';
import type { SharePair } from './share-encryption.ts';

export interface UnmaskState {
  readonly participantId: string;
  readonly threshold: number;
  readonly heldShares: ReadonlyMap<string, SharePair>;
  readonly revealedSelfMask: ReadonlySet<string>;
  readonly revealedMaskKey: ReadonlySet<string>;
}

function refuseBothShares(request: UnmaskRequest, state: UnmaskState): void {
  const selfMask = new Set(request.selfMaskSharesOf);
  for (const peerId of request.maskKeySharesOf) {
    if (peerId === state.participantId) {
      throw new SecAggRefusalError(`refusing to reveal ${peerId}'s own mask key: it sent its masked input`, peerId);
    }
    if (selfMask.has(peerId) || state.revealedSelfMask.has(peerId)) {
      throw new SecAggRefusalError(
        `refusing to reveal both the self-mask share and the mask-key share of ${peerId}`,
        peerId,
      );
    }
  }
  for (const peerId of selfMask) {
    if (state.revealedMaskKey.has(peerId)) {
      throw new SecAggRefusalError(
        `refusing to reveal both the self-mask share and the mask-key share of ${peerId}`,
        peerId,
      );
    }
  }
}

/** The shares the request asks for, after every check; throws naming the peer that fails one. */
export function openUnmaskRequest(
  request: UnmaskRequest,
  state: UnmaskState,
): { selfMaskShares: PeerShare[]; maskKeyShares: PeerShare[] } {
  for (const [field, ids] of [
    ['selfMaskSharesOf', request.selfMaskSharesOf],
    ['maskKeySharesOf', request.maskKeySharesOf],
  ] as const) {
    if (new Set(ids).size !== ids.length)
      throw new SecAggProtocolError(`unmask request lists a peer twice in ${field}`);
  }
  refuseBothShares(request, state);
  const survivors = request.selfMaskSharesOf.length;
  if (survivors < state.threshold) {
    throw new SecAggAbortError(
      'unmask',
      `only ${survivors} of ${state.participantId}'s neighbourhood sent masked inputs`,
      survivors,
      state.threshold,
      state.participantId,
    );
  }
  const held = (peerId: string): SharePair => {
    const pair = state.heldShares.get(peerId);
    if (!pair)
      throw new SecAggProtocolError(
        `unmask request asks ${state.participantId} for shares of ${peerId}, which it does not hold`,
      );
    return pair;
  };
  return {
    selfMaskShares: request.selfMaskSharesOf.map((peerId) => ({ peerId, share: held(peerId).selfMaskShare })),
    maskKeyShares: request.maskKeySharesOf.map((peerId) => ({ peerId, share: held(peerId).maskKeyShare })),
  };
}

/**
 * The messages of one secure-aggregation round, as plain data (strings, numbers, Uint8Array) so any
 * transport can carry them; `message-codec.ts` turns each into bytes and back. Requests go from the
 * server to one participant (`participantId` is the addressee); responses come back from it.
 *
 *   advertise-keys  server → u: round parameters        u → server: two X25519 public keys
 *   share-keys      server → u: its neighbours' keys     u → server: sealed shares for each neighbour
 *   masked-input    server → u: shares sealed for u      u → server: the masked, quantized update
 *   unmask          server → u: whose shares it needs    u → server: those shares
 */

export interface AdvertiseKeysRequest {
  readonly kind: 'advertise-keys-request';
  readonly roundId: string;
  readonly participantId: string;
  /** t: shares needed to reconstruct any participant's secrets. */
  readonly threshold: number;
  /** k: the number of peers each participant has in the neighbour graph (n − 1 for classic SecAgg). */
  readonly degree: number;
  readonly vectorLength: number;
  readonly clipRange: number;
  readonly bitsPerValue: number;
}

export interface AdvertiseKeysResponse {
  readonly kind: 'advertise-keys';
  readonly roundId: string;
  readonly participantId: string;
  /** c_u^PK: agreement key for sealing shares. */
  readonly encryptionKey: Uint8Array;
  /** s_u^PK: agreement key for pairwise masks. */
  readonly maskKey: Uint8Array;
}

export interface PublicKeyEntry {
  readonly participantId: string;
  readonly encryptionKey: Uint8Array;
  readonly maskKey: Uint8Array;
}

export interface ShareKeysRequest {
  readonly kind: 'share-keys-request';
  readonly roundId: string;
  readonly participantId: string;
  /** The addressee's neighbours that advertised keys, the addressee included. */
  readonly neighbours: readonly PublicKeyEntry[];
}

export interface SealedShare {
  /** The other end: the receiver in a share-keys response, the sender in a masked-input request. */
  readonly peerId: string;
  readonly sealed: Uint8Array;
}

export interface ShareKeysResponse {
  readonly kind: 'share-keys';
  readonly roundId: string;
  readonly participantId: string;
  readonly sealedShares: readonly SealedShare[];
  /** SHA-256 commitment to the self-mask seed, so the server can verify the seed it reconstructs. */
  readonly selfMaskCommitment: Uint8Array;
}

export interface MaskedInputRequest {
  readonly kind: 'masked-input-request';
  readonly roundId: string;
  readonly participantId: string;
  /** The shares the addressee's neighbours sealed for it; their senders are the peers it masks with. */
  readonly sealedShares: readonly SealedShare[];
}

export interface MaskedInputResponse {
  readonly kind: 'masked-input';
  readonly roundId: string;
  readonly participantId: string;
  /** vectorLength little-endian 32-bit words: quantized update + masks, modulo 2^32. */
  readonly maskedInput: Uint8Array;
}

export interface UnmaskRequest {
  readonly kind: 'unmask-request';
  readonly roundId: string;
  readonly participantId: string;
  /** Neighbours that sent a masked input: the server needs their self-mask seed shares. */
  readonly selfMaskSharesOf: readonly string[];
  /** Neighbours that dropped after sharing keys and whose masks a survivor used: mask-key shares. */
  readonly maskKeySharesOf: readonly string[];
}

export interface PeerShare {
  readonly peerId: string;
  readonly share: Uint8Array;
}

export interface UnmaskResponse {
  readonly kind: 'unmask';
  readonly roundId: string;
  readonly participantId: string;
  readonly selfMaskShares: readonly PeerShare[];
  readonly maskKeyShares: readonly PeerShare[];
}

export type SecAggRequest = AdvertiseKeysRequest | ShareKeysRequest | MaskedInputRequest | UnmaskRequest;
export type SecAggResponse = AdvertiseKeysResponse | ShareKeysResponse | MaskedInputResponse | UnmaskResponse;
export type SecAggMessage = SecAggRequest | SecAggResponse;

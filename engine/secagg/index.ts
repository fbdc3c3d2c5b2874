/**
 * Secure aggregation (SecAgg+, Bell et al. 2020; classic SecAgg, Bonawitz et al. 2017): the server
 * learns only the sum of the updates of the participants that sent a masked input. Pure protocol math
 * and state machines — no transport; every message is plain data with a byte encoding.
 *
 * Public API
 * - `SecAggServer(config: SecAggServerConfig)` — one per round, on the coordinator:
 *     `advertiseKeysRequests(): AdvertiseKeysRequest[]`   opens the round (to every participant)
 *     `receive(response: SecAggResponse): void`           an answer of the current stage
 *     `shareKeysRequests(): ShareKeysRequest[]`           closes advertise-keys
 *     `maskedInputRequests(): MaskedInputRequest[]`       closes share-keys
 *     `unmaskRequests(): UnmaskRequest[]`                 closes masked-input
 *     `finish(): Promise<SecAggResult>`                   closes unmask; the dequantized sum
 *   Closing a stage with too few survivors throws SecAggAbortError (round over).
 * - `SecAggParticipant(participantId)` — one per participant per round, holding its secrets:
 *     `advertiseKeys(AdvertiseKeysRequest): AdvertiseKeysResponse`
 *     `shareKeys(ShareKeysRequest): Promise<ShareKeysResponse>`
 *     `maskInput(MaskedInputRequest, update: Float32Array): MaskedInputResponse`  (after approval)
 *     `unmask(UnmaskRequest): UnmaskResponse`   refuses (SecAggRefusalError) both shares of one peer
 * - Messages (`messages.ts`), plain data discriminated by `kind`; every one carries `roundId` and
 *   `participantId` (the addressee of a request, the sender of a response):
 *     AdvertiseKeysRequest  {threshold, degree, vectorLength, clipRange, bitsPerValue}
 *     AdvertiseKeysResponse {encryptionKey, maskKey}                    (32-byte X25519 public keys)
 *     ShareKeysRequest      {neighbours: PublicKeyEntry[]}              (the addressee included)
 *     ShareKeysResponse     {sealedShares: SealedShare[], selfMaskCommitment}
 *     MaskedInputRequest    {sealedShares: SealedShare[]}               (peerId = the sender)
 *     MaskedInputResponse   {maskedInput}                               (vectorLength LE uint32 words)
 *     UnmaskRequest         {selfMaskSharesOf: string[], maskKeySharesOf: string[]}
 *     UnmaskResponse        {selfMaskShares: PeerShare[], maskKeyShares: PeerShare[]}
 *   `encodeSecAggMessage(m): Uint8Array` / `decodeSecAggMessage(bytes): SecAggMessage` (versioned binary).
 * - `SecAggResult` {sum: Float64Array, quantizedSum: Uint32Array, contributors, errorBound,
 *   reconstructedMaskKeys}: the sum over `contributors` (U3), within `errorBound` per coordinate.
 * - Transport: `SecAggTransport.exchange(stage, requests) → responses`; `runSecAggRound(server, transport)`;
 *   `InProcessTransport` for tests and benchmarks.
 * - Quantization: `QuantizationConfig {clipRange, bitsPerValue}`, `quantizationFor(R, n)`, `quantize`,
 *   `dequantizeSum`, `quantizationStep`, `maxParticipants`, `sumErrorBound`, `clampToRange`.
 * - Errors: `SecAggAbortError` (below threshold), `SecAggRefusalError` (participant refuses),
 *   `SecAggProtocolError` (malformed or out-of-order message).
 */
export { SecAggAbortError, SecAggProtocolError, SecAggRefusalError, type SecAggStage } from './errors.ts';
export { InProcessTransport, type InProcessMember, type MemberTraffic } from './in-process-transport.ts';
export { decodeSecAggMessage, encodeSecAggMessage } from './message-codec.ts';
export type * from './messages.ts';
export { buildNeighbourGraph, type NeighbourGraph, type NeighbourGraphSpec } from './neighbour-graph.ts';
export { SecAggParticipant } from './participant.ts';
export {
  clampToRange,
  dequantizeSum,
  maxParticipants,
  quantizationFor,
  quantizationStep,
  quantize,
  sumErrorBound,
  type QuantizationConfig,
} from './quantization.ts';
export { minimumThreshold } from './round-parameters.ts';
export { runSecAggRound, type SecAggTransport } from './round-driver.ts';
export { SecAggServer, type SecAggServerConfig } from './server.ts';
export type { SecAggResult } from './server-unmask.ts';

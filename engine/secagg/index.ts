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
 * - Messages (`messages.ts`): the four requests and four responses above, discriminated by `kind`;
 *   `encodeSecAggMessage(m): Uint8Array` / `decodeSecAggMessage(bytes): SecAggMessage`.
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

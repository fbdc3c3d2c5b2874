/**
 * The server's side of a round: it sends each stage's requests, collects the answers that arrive before
 * the stage closes, routes sealed shares between neighbours, sums masked inputs as they come and, at
 * the end, removes the masks it is entitled to remove. It sees only public keys, sealed shares, masked
 * inputs and the shares needed to unmask the sum over the participants that sent a masked input.
 *
 * Survivor sets follow Bonawitz et al. 2017: U1 advertised keys, U2 shared keys, U3 sent masked inputs,
 * U4 answered the unmask request. N[u] is u's closed neighbourhood (u and its graph peers).
 */
import { SecAggAbortError, SecAggProtocolError, type SecAggStage } from './errors.ts';
import { wordsOf } from './mask-prg.ts';
import type {
  AdvertiseKeysRequest,
  MaskedInputRequest,
  PublicKeyEntry,
  SecAggResponse,
  ShareKeysRequest,
  ShareKeysResponse,
  UnmaskRequest,
  UnmaskResponse,
} from './messages.ts';
import {
  buildNeighbourGraph,
  componentsWithin,
  graphDegree,
  type NeighbourGraph,
  type NeighbourGraphSpec,
} from './neighbour-graph.ts';
import { maxParticipants, type QuantizationConfig, validateQuantization } from './quantization.ts';
import { assertParticipantId, assertThresholdFits, assertVectorLength, sortedUnique } from './round-parameters.ts';
import { reconstructSum, type SecAggResult } from './server-unmask.ts';

export interface SecAggServerConfig {
  readonly roundId: string;
  readonly participantIds: readonly string[];
  readonly threshold: number;
  readonly graph: NeighbourGraphSpec;
  readonly vectorLength: number;
  readonly quantization: QuantizationConfig;
  /** Uniform draw in 0…n−1 for the graph's random order; a CSPRNG unless a test fixes it. */
  readonly pick?: (n: number) => number;
}

const stageOrder: readonly SecAggStage[] = ['advertise-keys', 'share-keys', 'masked-input', 'unmask'];

export class SecAggServer {
  readonly config: SecAggServerConfig;
  readonly graph: NeighbourGraph;
  readonly degree: number;
  private stageIndex = -1;
  private readonly keys = new Map<string, PublicKeyEntry>();
  private readonly sealed = new Map<string, ShareKeysResponse>();
  private readonly maskedSum: Uint32Array;
  private readonly masked = new Set<string>();
  private readonly unmaskRequested = new Map<string, UnmaskRequest>();
  private readonly unmaskAnswers = new Map<string, UnmaskResponse>();

  constructor(config: SecAggServerConfig) {
    validateQuantization(config.quantization);
    assertVectorLength(config.vectorLength);
    config.participantIds.forEach(assertParticipantId);
    const n = config.participantIds.length;
    const limit = maxParticipants(config.quantization);
    if (n > limit) {
      throw new RangeError(
        `${n} participants exceed the ${limit} whose sum fits ${config.quantization.bitsPerValue}-bit values in 32 bits`,
      );
    }
    this.degree = graphDegree(config.graph, n);
    assertThresholdFits(config.threshold, this.degree);
    this.config = config;
    this.graph = buildNeighbourGraph(config.participantIds, config.graph, config.pick);
    this.maskedSum = new Uint32Array(config.vectorLength);
  }

  get stage(): SecAggStage | 'new' | 'done' {
    if (this.stageIndex < 0) return 'new';
    return stageOrder[this.stageIndex] ?? 'done';
  }

  /** u and its peers (closed neighbourhood), sorted. */
  neighbourhood(id: string): string[] {
    return sortedUnique([id, ...(this.graph.get(id) ?? [])]);
  }

  advertiseKeysRequests(): AdvertiseKeysRequest[] {
    this.enter('advertise-keys');
    const { roundId, threshold, vectorLength, quantization } = this.config;
    return this.config.participantIds.map((participantId) => ({
      kind: 'advertise-keys-request',
      roundId,
      participantId,
      threshold,
      degree: this.degree,
      vectorLength,
      ...quantization,
    }));
  }

  /** Closes advertise-keys (U1 = those that answered) and sends each its neighbours' keys. */
  shareKeysRequests(): ShareKeysRequest[] {
    this.enter('share-keys');
    const survivors = new Set(this.keys.keys());
    return sortedUnique(survivors).map((participantId) => {
      const neighbours = this.surviving('share-keys', participantId, survivors).map((id) => this.keys.get(id)!);
      return { kind: 'share-keys-request', roundId: this.config.roundId, participantId, neighbours };
    });
  }

  /** Closes share-keys (U2) and routes to each member of U2 the shares its neighbours in U2 sealed for it. */
  maskedInputRequests(): MaskedInputRequest[] {
    this.enter('masked-input');
    const survivors = new Set(this.sealed.keys());
    return sortedUnique(survivors).map((participantId) => {
      const senders = this.surviving('masked-input', participantId, survivors).filter((id) => id !== participantId);
      const sealedShares = senders.map((senderId) => ({
        peerId: senderId,
        sealed: this.sealed.get(senderId)!.sealedShares.find((entry) => entry.peerId === participantId)!.sealed,
      }));
      return { kind: 'masked-input-request', roundId: this.config.roundId, participantId, sealedShares };
    });
  }

  /**
   * Closes masked-input (U3). Self-mask shares are asked for U3 only; mask-key shares only for the set
   * D of members of U2 \ U3 with at least one neighbour in U3 — a dropped participant whose neighbours
   * all dropped too left no mask in the sum, so its key is neither needed nor asked for.
   */
  unmaskRequests(): UnmaskRequest[] {
    this.enter('unmask');
    const survivors = this.masked;
    for (const id of survivors) this.surviving('unmask', id, survivors);
    const needed = this.droppedWithMaskInSum();
    for (const id of needed) this.surviving('unmask', id, survivors);
    this.assertSurvivorsConnected();
    for (const participantId of sortedUnique(survivors)) {
      const around = this.neighbourhood(participantId);
      this.unmaskRequested.set(participantId, {
        kind: 'unmask-request',
        roundId: this.config.roundId,
        participantId,
        selfMaskSharesOf: around.filter((id) => survivors.has(id)),
        maskKeySharesOf: around.filter((id) => needed.has(id)),
      });
    }
    return [...this.unmaskRequested.values()];
  }

  /** Closes unmask (U4), reconstructs the secrets it asked for and returns the dequantized sum over U3. */
  async finish(): Promise<SecAggResult> {
    if (this.stage !== 'unmask') throw new SecAggProtocolError(`cannot finish a round in stage ${this.stage}`);
    this.stageIndex++;
    return reconstructSum({
      config: this.config,
      neighbourhood: (id) => this.neighbourhood(id),
      maskKeys: new Map([...this.keys].map(([id, entry]) => [id, entry.maskKey])),
      commitments: new Map([...this.sealed].map(([id, entry]) => [id, entry.selfMaskCommitment])),
      maskedSum: this.maskedSum,
      survivors: sortedUnique(this.masked),
      droppedWithMask: sortedUnique(this.droppedWithMaskInSum()),
      answers: this.unmaskAnswers,
    });
  }

  receive(response: SecAggResponse): void {
    const { participantId } = response;
    if (response.roundId !== this.config.roundId) {
      throw new SecAggProtocolError(
        `${response.kind} from ${participantId} is for round ${response.roundId}, not ${this.config.roundId}`,
      );
    }
    if (response.kind !== this.stage) {
      throw new SecAggProtocolError(`${response.kind} from ${participantId} arrived during ${this.stage}`);
    }
    if (!this.eligible(participantId)) {
      throw new SecAggProtocolError(
        `${participantId} may not answer ${response.kind} (not in the round, dropped, or already answered)`,
      );
    }
    if (response.kind === 'advertise-keys') this.keys.set(participantId, response);
    else if (response.kind === 'share-keys') this.acceptSealed(participantId, response);
    else if (response.kind === 'masked-input') this.acceptMasked(participantId, response.maskedInput);
    else this.acceptUnmask(response);
  }

  private eligible(id: string): boolean {
    switch (this.stage) {
      case 'advertise-keys':
        return this.graph.has(id) && !this.keys.has(id);
      case 'share-keys':
        return this.keys.has(id) && !this.sealed.has(id);
      case 'masked-input':
        return this.sealed.has(id) && !this.masked.has(id);
      default:
        return this.unmaskRequested.has(id) && !this.unmaskAnswers.has(id);
    }
  }

  private acceptSealed(senderId: string, response: ShareKeysResponse): void {
    const { sealedShares } = response;
    const expected = this.neighbourhood(senderId).filter((id) => id !== senderId && this.keys.has(id));
    const got = sortedUnique(sealedShares.map((entry) => entry.peerId));
    if (got.length !== sealedShares.length || got.join('\0') !== expected.join('\0')) {
      throw new SecAggProtocolError(
        `share-keys from ${senderId} must seal one share for each of [${expected.join(', ')}], got [${got.join(', ')}]`,
      );
    }
    if (response.selfMaskCommitment.byteLength !== 32) {
      throw new SecAggProtocolError(
        `share-keys from ${senderId} carries a ${response.selfMaskCommitment.byteLength}-byte commitment, expected 32`,
      );
    }
    this.sealed.set(senderId, response);
  }

  private acceptMasked(participantId: string, maskedInput: Uint8Array): void {
    if (maskedInput.byteLength !== this.config.vectorLength * 4) {
      throw new SecAggProtocolError(
        `masked input from ${participantId} has ${maskedInput.byteLength} bytes, expected ${this.config.vectorLength * 4}`,
      );
    }
    const words = wordsOf(maskedInput);
    const sum = this.maskedSum;
    for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! + words[i]!;
    this.masked.add(participantId);
  }

  private acceptUnmask(response: UnmaskResponse): void {
    const asked = this.unmaskRequested.get(response.participantId)!;
    const same = (a: readonly string[], b: readonly { peerId: string }[]): boolean =>
      a.join('\0') === b.map((entry) => entry.peerId).join('\0');
    if (
      !same(asked.selfMaskSharesOf, response.selfMaskShares) ||
      !same(asked.maskKeySharesOf, response.maskKeyShares)
    ) {
      throw new SecAggProtocolError(`unmask answer from ${response.participantId} does not match the shares asked for`);
    }
    this.unmaskAnswers.set(response.participantId, response);
  }

  /** D: members of U2 \ U3 that have a neighbour in U3 (whose pairwise mask with them is in the sum). */
  private droppedWithMaskInSum(): Set<string> {
    const dropped = [...this.sealed.keys()].filter((id) => !this.masked.has(id));
    return new Set(dropped.filter((id) => (this.graph.get(id) ?? []).some((peer) => this.masked.has(peer))));
  }

  /** u's closed neighbourhood within `survivors`; aborts the round if fewer than t remain. */
  private surviving(stage: SecAggStage, id: string, survivors: ReadonlySet<string>): string[] {
    const alive = this.neighbourhood(id).filter((peer) => survivors.has(peer));
    if (alive.length < this.config.threshold) {
      throw new SecAggAbortError(
        stage,
        `${id} has ${alive.length} surviving neighbours, itself included`,
        survivors.size,
        this.config.threshold,
        id,
      );
    }
    return alive;
  }

  /** Before any share is asked for: survivors split into groups would reveal each group's sum. */
  private assertSurvivorsConnected(): void {
    const components = componentsWithin(this.graph, this.masked);
    if (components.length > 1) {
      const sizes = components.map((component) => component.length).join(' + ');
      throw new SecAggAbortError(
        'unmask',
        `the survivors fall into ${components.length} unconnected groups (${sizes}) whose partial sums unmasking would reveal`,
        this.masked.size,
        this.config.threshold,
      );
    }
  }

  private enter(stage: SecAggStage): void {
    const index = stageOrder.indexOf(stage);
    if (index !== this.stageIndex + 1) throw new SecAggProtocolError(`cannot start ${stage} in stage ${this.stage}`);
    this.stageIndex = index;
  }
}

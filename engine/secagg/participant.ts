/**
 * One participant's side of a round (Bonawitz et al. 2017 §4; neighbourhoods per Bell et al. 2020).
 * It holds its secrets — two X25519 private keys and the self-mask seed — and the shares its
 * neighbours sealed for it, and it enforces the rules that protect its own and its peers' privacy:
 * it answers each stage once and in order, and never reveals both shares of one peer.
 * Any error leaves it failed: it answers nothing more in this round.
 */
import { randomBytes } from 'node:crypto';
import { SecAggAbortError, SecAggProtocolError } from './errors.ts';
import { agreeKey, commitToSeed, deriveKey, generateX25519KeyPair, type RawKeyPair } from './key-agreement.ts';
import { applyMask, bytesOf } from './mask-prg.ts';
import type {
  AdvertiseKeysRequest,
  AdvertiseKeysResponse,
  MaskedInputRequest,
  MaskedInputResponse,
  PublicKeyEntry,
  SecAggRequest,
  ShareKeysRequest,
  ShareKeysResponse,
  UnmaskRequest,
  UnmaskResponse,
} from './messages.ts';
import { openUnmaskRequest } from './participant-unmask.ts';
import { quantize, validateQuantization } from './quantization.ts';
import { assertParticipantId, assertThresholdFits, assertVectorLength } from './round-parameters.ts';
import { type SharePair, openShares, sealShares } from './share-encryption.ts';
import { splitSecret } from './secret-sharing.ts';

type ParticipantStage = 'new' | 'advertised' | 'sharing' | 'shared' | 'masked' | 'failed';

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

export class SecAggParticipant {
  readonly participantId: string;
  private stage: ParticipantStage = 'new';
  private round: AdvertiseKeysRequest | undefined;
  private encryptionKeys: RawKeyPair | undefined;
  private maskKeys: RawKeyPair | undefined;
  private selfMaskSeed: Uint8Array | undefined;
  private neighbours = new Map<string, PublicKeyEntry>();
  /** Shares held for each neighbour that shared (this participant's own included). */
  private readonly heldShares = new Map<string, SharePair>();
  private readonly revealedSelfMask = new Set<string>();
  private readonly revealedMaskKey = new Set<string>();

  constructor(participantId: string) {
    assertParticipantId(participantId);
    this.participantId = participantId;
  }

  get currentStage(): ParticipantStage {
    return this.stage;
  }

  advertiseKeys(request: AdvertiseKeysRequest): AdvertiseKeysResponse {
    return this.guard(request, 'new', () => {
      assertThresholdFits(request.threshold, request.degree);
      assertVectorLength(request.vectorLength);
      validateQuantization(request);
      this.round = request;
      this.encryptionKeys = generateX25519KeyPair();
      this.maskKeys = generateX25519KeyPair();
      this.stage = 'advertised';
      return {
        kind: 'advertise-keys',
        roundId: request.roundId,
        participantId: this.participantId,
        encryptionKey: this.encryptionKeys.publicKey,
        maskKey: this.maskKeys.publicKey,
      };
    });
  }

  async shareKeys(request: ShareKeysRequest): Promise<ShareKeysResponse> {
    const round = this.guard(request, 'advertised', () => this.acceptNeighbours(request));
    try {
      const ids = [...this.neighbours.keys()];
      this.selfMaskSeed = randomBytes(32);
      const seedShares = await splitSecret(this.selfMaskSeed, ids.length, round.threshold);
      const keyShares = await splitSecret(this.maskKeys!.privateKey, ids.length, round.threshold);
      const sealedShares = ids.flatMap((peerId, i) => {
        const pair = { selfMaskShare: seedShares[i]!, maskKeyShare: keyShares[i]! };
        if (peerId === this.participantId) {
          this.heldShares.set(peerId, pair);
          return [];
        }
        const key = this.agree('share-encryption', peerId);
        const envelope = { roundId: round.roundId, senderId: this.participantId, receiverId: peerId };
        return [{ peerId, sealed: sealShares(key, envelope, pair) }];
      });
      this.stage = 'shared';
      return {
        kind: 'share-keys',
        roundId: round.roundId,
        participantId: this.participantId,
        sealedShares,
        selfMaskCommitment: commitToSeed(this.selfMaskSeed, round.roundId, this.participantId),
      };
    } catch (error) {
      this.stage = 'failed';
      throw error;
    }
  }

  /** Masks the approved update: call only after the person or policy approved it. */
  maskInput(request: MaskedInputRequest, update: Float32Array): MaskedInputResponse {
    return this.guard(request, 'shared', () => {
      const round = this.round!;
      if (update.length !== round.vectorLength) {
        throw new SecAggProtocolError(`update has ${update.length} values, the round expects ${round.vectorLength}`);
      }
      const peers = this.openSealedShares(request);
      const masked = quantize(update, round);
      applyMask(masked, deriveKey(this.selfMaskSeed!, round.roundId, 'self-mask'), 1);
      for (const peerId of peers) {
        applyMask(masked, this.agree('pairwise-mask', peerId), this.participantId < peerId ? 1 : -1);
      }
      this.selfMaskSeed = undefined;
      this.stage = 'masked';
      return {
        kind: 'masked-input',
        roundId: round.roundId,
        participantId: this.participantId,
        maskedInput: bytesOf(masked),
      };
    });
  }

  /** May be asked again (a retried stage) but never for both shares of one peer across all answers. */
  unmask(request: UnmaskRequest): UnmaskResponse {
    return this.guard(request, 'masked', () => {
      const opened = openUnmaskRequest(request, {
        participantId: this.participantId,
        threshold: this.round!.threshold,
        heldShares: this.heldShares,
        revealedSelfMask: this.revealedSelfMask,
        revealedMaskKey: this.revealedMaskKey,
      });
      for (const id of request.selfMaskSharesOf) this.revealedSelfMask.add(id);
      for (const id of request.maskKeySharesOf) this.revealedMaskKey.add(id);
      return { kind: 'unmask', roundId: request.roundId, participantId: this.participantId, ...opened };
    });
  }

  private acceptNeighbours(request: ShareKeysRequest): AdvertiseKeysRequest {
    const round = this.round!;
    const ids = request.neighbours.map((entry) => entry.participantId);
    if (new Set(ids).size !== ids.length) throw new SecAggProtocolError('share-keys request lists a neighbour twice');
    const self = request.neighbours.find((entry) => entry.participantId === this.participantId);
    if (
      !self ||
      !sameBytes(self.encryptionKey, this.encryptionKeys!.publicKey) ||
      !sameBytes(self.maskKey, this.maskKeys!.publicKey)
    ) {
      throw new SecAggProtocolError(`share-keys request does not carry ${this.participantId}'s own advertised keys`);
    }
    if (ids.length > round.degree + 1) {
      throw new SecAggProtocolError(`share-keys request lists ${ids.length} neighbours, degree is ${round.degree}`);
    }
    if (ids.length < round.threshold) {
      throw new SecAggAbortError(
        'share-keys',
        `${this.participantId} has too few neighbours`,
        ids.length,
        round.threshold,
        this.participantId,
      );
    }
    this.neighbours = new Map(
      [...request.neighbours]
        .sort((a, b) => (a.participantId < b.participantId ? -1 : 1))
        .map((e) => [e.participantId, e]),
    );
    this.stage = 'sharing'; // while the shares are being split, no second share-keys request is taken
    return round;
  }

  private openSealedShares(request: MaskedInputRequest): string[] {
    const round = this.round!;
    for (const { peerId, sealed } of request.sealedShares) {
      if (peerId === this.participantId || !this.neighbours.has(peerId) || this.heldShares.has(peerId)) {
        throw new SecAggProtocolError(`masked-input request carries unexpected shares from ${peerId}`);
      }
      const envelope = { roundId: round.roundId, senderId: peerId, receiverId: this.participantId };
      this.heldShares.set(peerId, openShares(this.agree('share-encryption', peerId), envelope, sealed));
    }
    if (this.heldShares.size < round.threshold) {
      throw new SecAggAbortError(
        'masked-input',
        `${this.participantId} received shares from too few neighbours`,
        this.heldShares.size,
        round.threshold,
        this.participantId,
      );
    }
    return request.sealedShares.map((entry) => entry.peerId);
  }

  private agree(purpose: 'share-encryption' | 'pairwise-mask', peerId: string): Uint8Array {
    const peer = this.neighbours.get(peerId)!;
    const [mine, theirs] =
      purpose === 'share-encryption' ? [this.encryptionKeys!, peer.encryptionKey] : [this.maskKeys!, peer.maskKey];
    return agreeKey(mine.privateKey, theirs, this.round!.roundId, purpose, this.participantId, peerId);
  }

  /** Checks stage, round and addressee; any error fails the participant for the rest of the round. */
  private guard<T>(request: SecAggRequest, expected: ParticipantStage, step: () => T): T {
    if (this.stage !== expected) {
      throw new SecAggProtocolError(`${this.participantId} cannot answer ${request.kind} in stage ${this.stage}`);
    }
    if (request.participantId !== this.participantId || (this.round && request.roundId !== this.round.roundId)) {
      this.stage = 'failed';
      throw new SecAggProtocolError(
        `${request.kind} for ${request.participantId} in round ${request.roundId} reached ${this.participantId}`,
      );
    }
    try {
      return step();
    } catch (error) {
      this.stage = 'failed';
      throw error;
    }
  }
}

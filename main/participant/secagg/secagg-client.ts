/**
 * The participant's side of secure aggregation over accord.v1. A stage poller (the stage-only long
 * poll, beside the round poller) answers advertise-keys and share-keys as soon as they come — they
 * carry keys and sealed shares, no data — and keeps the masked-input request until the round runner,
 * after the person's approval, asks `mask` for the masked bytes it will upload. A request that would
 * reveal both shares of one peer is refused by SecAggParticipant; the refusal is written to the audit
 * log and the stage is left unanswered (to the coordinator this participant has dropped).
 *
 * The secrets live in memory only: a participant restarted mid-round has dropped out of that round.
 */
import { SecAggRefusalError } from '../../../engine/secagg/errors.ts';
import { decodeSecAggMessage, encodeSecAggMessage } from '../../../engine/secagg/message-codec.ts';
import type { MaskedInputRequest, SecAggRequest } from '../../../engine/secagg/messages.ts';
import { SecAggParticipant } from '../../../engine/secagg/participant.ts';
import { totalElements } from '../../../engine/tensor/parameter-set.ts';
import type { ParameterSet, TensorSpec } from '../../../engine/tensor/parameter-set.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { ParticipantLog } from '../logging/participant-log.ts';
import type { RoundTask } from '../coordinator-client/federation-link.ts';
import type { GrpcFederationLink } from '../coordinator-client/grpc-federation-link.ts';

export interface SecAggClientOptions {
  readonly link: Pick<GrpcFederationLink, 'participantId' | 'callSigned'>;
  readonly audit: Pick<AuditLog, 'append'>;
  readonly pollWaitSeconds?: number;
  /** Where a failed stage poll is written (it is retried, never dropped silently). */
  readonly log?: Pick<ParticipantLog, 'error'>;
  readonly federationId?: string;
}

export class SecAggClient {
  readonly #options: SecAggClientOptions;
  readonly #participants = new Map<string, SecAggParticipant>();
  readonly #maskRequests = new Map<string, MaskedInputRequest>();
  readonly #answered = new Set<string>();
  readonly #prepared = new Map<string, Uint8Array | undefined>();
  #wake: () => void = () => undefined;

  constructor(options: SecAggClientOptions) {
    this.#options = options;
  }

  /** Polls for stages until aborted; a failed poll is retried after a pause. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        // Stopping does not wait for a long poll in flight.
        await Promise.race([this.pollOnce(), untilAborted(signal)]);
      } catch (error) {
        if (signal.aborted) break;
        this.#options.log?.error('a secure-aggregation stage poll failed; retrying', error, {
          federationId: this.#options.federationId,
        });
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  /** One stage-only long poll; answers the stage it brings. */
  async pollOnce(): Promise<SecAggRequest | undefined> {
    const wait = this.#options.pollWaitSeconds ?? 30;
    const response = await this.#options.link.callSigned(
      'pollTask',
      { waitSeconds: wait, secureAggregationStages: true },
      wait * 1000,
    );
    if (response.task.case !== 'secureAggregation') return undefined;
    const request = decodeSecAggMessage(response.task.value.message) as SecAggRequest;
    await this.answer(request);
    return request;
  }

  /**
   * Answers one stage request once. The answer is kept until the coordinator acknowledged it, so a
   * request re-delivered after a failed call is answered with the same bytes (a stage cannot be redone).
   */
  async answer(request: SecAggRequest): Promise<void> {
    const key = `${request.roundId}/${request.kind}`;
    if (this.#answered.has(key)) return;
    if (!this.#prepared.has(key)) this.#prepared.set(key, await this.#respond(request));
    const message = this.#prepared.get(key);
    const { link } = this.#options;
    const roundId = request.roundId;
    if (message && request.kind === 'advertise-keys-request')
      await link.callSigned('advertiseKeys', { roundId, message });
    else if (message && request.kind === 'share-keys-request') await link.callSigned('shareKeys', { roundId, message });
    else if (message && request.kind === 'unmask-request') await link.callSigned('unmask', { roundId, message });
    this.#answered.add(key);
    this.#prepared.delete(key);
  }

  async #respond(request: SecAggRequest): Promise<Uint8Array | undefined> {
    switch (request.kind) {
      case 'advertise-keys-request': {
        const participant = new SecAggParticipant(this.#participantId());
        this.#participants.set(request.roundId, participant);
        return encodeSecAggMessage(participant.advertiseKeys(request));
      }
      case 'share-keys-request':
        return encodeSecAggMessage(await this.#participant(request.roundId).shareKeys(request));
      case 'masked-input-request':
        this.#maskRequests.set(request.roundId, request);
        this.#wake();
        return undefined;
      case 'unmask-request':
        return this.#unmask(request);
    }
  }

  #unmask(request: SecAggRequest & { kind: 'unmask-request' }): Uint8Array | undefined {
    try {
      return encodeSecAggMessage(this.#participant(request.roundId).unmask(request));
    } catch (error) {
      if (!(error instanceof SecAggRefusalError)) throw error;
      this.#options.audit.append('secagg.refused', {
        roundId: request.roundId,
        peerId: error.peerId ?? null,
        detail: error.message,
        selfMaskSharesOf: [...request.selfMaskSharesOf],
        maskKeySharesOf: [...request.maskKeySharesOf],
      });
      return undefined;
    }
  }

  #participantId(): string {
    const id = this.#options.link.participantId;
    if (!id) throw new Error('this participant is not enrolled yet');
    return id;
  }

  #participant(roundId: string): SecAggParticipant {
    const participant = this.#participants.get(roundId);
    if (!participant)
      throw new Error(`round "${roundId}": no secure-aggregation keys were advertised by this participant`);
    return participant;
  }

  /**
   * The round runner's UpdateMasker: after approval, turns the approved update into the masked input —
   * the update × numExamples, then numExamples, quantized and masked. Waits for the masked-input request
   * until the round's deadline.
   */
  readonly mask = async (task: RoundTask, approvedUpdate: ParameterSet, numExamples: number): Promise<Uint8Array> => {
    const request = await this.#maskRequest(task);
    const vector = submittedVector(approvedUpdate, task.modelSpec, numExamples);
    return this.#participant(task.roundId).maskInput(request, vector).maskedInput;
  };

  async #maskRequest(task: RoundTask): Promise<MaskedInputRequest> {
    const deadline = Date.parse(task.deadline);
    for (;;) {
      const request = this.#maskRequests.get(task.roundId);
      if (request) return request;
      const left = deadline - Date.now();
      if (!(left > 0))
        throw new Error(
          `round ${task.roundNumber}: no masked-input request came from the coordinator before ${task.deadline}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}

/** update × n in the model spec's order, then n: the P + 1 coordinates whose sum the coordinator learns. */
export function submittedVector(
  update: ParameterSet,
  modelSpec: readonly TensorSpec[],
  numExamples: number,
): Float32Array {
  const vector = new Float32Array(totalElements(modelSpec) + 1);
  let offset = 0;
  for (const spec of modelSpec) {
    const value = update.get(spec.name);
    if (value?.data.length !== totalElements([spec]))
      throw new Error(`the update has no tensor "${spec.name}" of shape [${spec.shape.join(', ')}]`);
    for (let i = 0; i < value.data.length; i++) vector[offset + i] = value.data[i]! * numExamples;
    offset += value.data.length;
  }
  vector[offset] = numExamples;
  return vector;
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

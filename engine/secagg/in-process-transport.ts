/**
 * Carries a round between one server and participants living in the same process — for tests and
 * benchmarks; the federation carries the same messages over gRPC. Every message goes through its byte
 * encoding both ways, so what works here works on any transport that moves the bytes. Dropouts are
 * injected per participant: from its stage on it answers nothing.
 */
import { performance } from 'node:perf_hooks';
import type { SecAggStage } from './errors.ts';
import { decodeSecAggMessage, encodeSecAggMessage } from './message-codec.ts';
import type { SecAggRequest, SecAggResponse } from './messages.ts';
import type { SecAggParticipant } from './participant.ts';
import type { SecAggTransport } from './round-driver.ts';

export interface InProcessMember {
  readonly participant: SecAggParticipant;
  /** The approved (clipped, noised) update this member contributes. */
  readonly update: Float32Array;
  /** Stops answering from this stage on (a dropout). */
  readonly dropAt?: SecAggStage;
}

const stages: readonly SecAggStage[] = ['advertise-keys', 'share-keys', 'masked-input', 'unmask'];

export interface MemberTraffic {
  bytesSent: number;
  bytesReceived: number;
  clientMs: number;
}

export class InProcessTransport implements SecAggTransport {
  private readonly members: ReadonlyMap<string, InProcessMember>;
  readonly traffic = new Map<string, MemberTraffic>();
  /** Errors thrown by participants (a refusal, an abort): such a participant counts as dropped. */
  readonly failures = new Map<string, Error>();
  /** Every request delivered, in order, decoded from its bytes. */
  readonly delivered: SecAggRequest[] = [];

  constructor(members: ReadonlyMap<string, InProcessMember>) {
    this.members = members;
  }

  async exchange(stage: SecAggStage, requests: readonly SecAggRequest[]): Promise<SecAggResponse[]> {
    const answers: SecAggResponse[] = [];
    for (const request of requests) {
      const member = this.members.get(request.participantId);
      if (!member || this.failures.has(request.participantId)) continue;
      if (member.dropAt && stages.indexOf(member.dropAt) <= stages.indexOf(stage)) continue;
      const traffic = this.trafficOf(request.participantId);
      const requestBytes = encodeSecAggMessage(request);
      traffic.bytesReceived += requestBytes.byteLength;
      const started = performance.now();
      try {
        const delivered = decodeSecAggMessage(requestBytes) as SecAggRequest;
        this.delivered.push(delivered);
        const answer = await answerRequest(member, delivered);
        const answerBytes = encodeSecAggMessage(answer);
        traffic.bytesSent += answerBytes.byteLength;
        answers.push(decodeSecAggMessage(answerBytes) as SecAggResponse);
      } catch (error) {
        this.failures.set(request.participantId, error as Error);
      } finally {
        traffic.clientMs += performance.now() - started;
      }
    }
    return answers;
  }

  private trafficOf(id: string): MemberTraffic {
    let traffic = this.traffic.get(id);
    if (!traffic) this.traffic.set(id, (traffic = { bytesSent: 0, bytesReceived: 0, clientMs: 0 }));
    return traffic;
  }
}

async function answerRequest(member: InProcessMember, request: SecAggRequest): Promise<SecAggResponse> {
  switch (request.kind) {
    case 'advertise-keys-request':
      return member.participant.advertiseKeys(request);
    case 'share-keys-request':
      return member.participant.shareKeys(request);
    case 'masked-input-request':
      return member.participant.maskInput(request, member.update);
    case 'unmask-request':
      return member.participant.unmask(request);
  }
}

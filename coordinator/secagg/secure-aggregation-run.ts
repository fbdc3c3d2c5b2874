/**
 * One round's secure aggregation on the coordinator: the SecAggServer's four stages, each open until
 * every addressee answered or its deadline passed (a participant that does not answer in time has
 * dropped). advertise-keys, share-keys and unmask last `stageSeconds`; masked-input stays open until
 * every member of U2 has committed its masked upload or the round machine closes it (the round's
 * deadline), since it waits for training and the person's approval.
 */
import { encodeSecAggMessage } from '../../engine/secagg/message-codec.ts';
import type { SecAggRequest, SecAggResponse } from '../../engine/secagg/messages.ts';
import type { SecAggStage } from '../../engine/secagg/errors.ts';
import type { SecAggResult } from '../../engine/secagg/server-unmask.ts';
import { SecAggServer, type SecAggServerConfig } from '../../engine/secagg/server.ts';

export interface StageTask {
  readonly roundId: string;
  readonly stage: SecAggStage;
  readonly threshold: number;
  readonly message: Uint8Array;
  readonly deadlineAt: number;
}

interface OpenStage {
  readonly stage: SecAggStage;
  readonly deadlineAt: number;
  readonly pending: Map<string, Uint8Array>;
  readonly close: () => void;
}

export class SecureAggregationRun {
  readonly server: SecAggServer;
  readonly result: Promise<SecAggResult>;
  readonly #stageMs: number;
  readonly #onChange: () => void;
  #open: OpenStage | undefined;
  #maskedInputClosed = false;

  constructor(config: SecAggServerConfig, stageSeconds: number, onChange: () => void) {
    this.server = new SecAggServer(config);
    this.#stageMs = stageSeconds * 1000;
    this.#onChange = onChange;
    this.result = this.#run();
    // The round machine awaits the result; an abort must not also surface as an unhandled rejection.
    this.result.catch(() => undefined);
  }

  get roundId(): string {
    return this.server.config.roundId;
  }

  get stage(): SecAggStage | undefined {
    return this.#open?.stage;
  }

  /** The request this participant has yet to answer, if the current stage has one for it. */
  pendingFor(participantId: string): StageTask | undefined {
    const open = this.#open;
    const message = open?.pending.get(participantId);
    if (!open || !message) return undefined;
    const { roundId, threshold } = this.server.config;
    return { roundId, stage: open.stage, threshold, message, deadlineAt: open.deadlineAt };
  }

  /** An answer of the current stage from its addressee; the stage closes once nobody is pending. */
  receive(participantId: string, response: SecAggResponse): void {
    const open = this.#open;
    if (!open?.pending.has(participantId))
      throw new Error(`no ${open?.stage ?? 'secure-aggregation'} request is waiting for ${participantId}'s answer`);
    if (response.participantId !== participantId)
      throw new Error(`the answer names ${response.participantId}, but ${participantId} sent it`);
    this.server.receive(response);
    open.pending.delete(participantId);
    if (open.pending.size === 0) open.close();
    this.#onChange();
  }

  /** A participant that will not answer (it declined): the stage stops waiting for it. */
  withdraw(participantId: string): void {
    const open = this.#open;
    if (!open?.pending.delete(participantId)) return;
    if (open.pending.size === 0) open.close();
  }

  /** Closes masked-input now (the round's deadline, or everyone answered) and lets unmask follow. */
  closeMaskedInput(): void {
    this.#maskedInputClosed = true;
    if (this.#open?.stage === 'masked-input') this.#open.close();
  }

  async #run(): Promise<SecAggResult> {
    const server = this.server;
    await this.#stage('advertise-keys', server.advertiseKeysRequests(), this.#stageMs);
    await this.#stage('share-keys', server.shareKeysRequests(), this.#stageMs);
    await this.#stage('masked-input', server.maskedInputRequests(), Number.POSITIVE_INFINITY);
    await this.#stage('unmask', server.unmaskRequests(), this.#stageMs);
    this.#open = undefined;
    return server.finish();
  }

  #stage(stage: SecAggStage, requests: readonly SecAggRequest[], ms: number): Promise<void> {
    return new Promise((resolve) => {
      const pending = new Map(requests.map((request) => [request.participantId, encodeSecAggMessage(request)]));
      const deadlineAt = Number.isFinite(ms) ? Date.now() + ms : Number.MAX_SAFE_INTEGER;
      const timer = Number.isFinite(ms) ? setTimeout(() => close(), ms) : undefined;
      const close = () => {
        clearTimeout(timer);
        if (this.#open?.stage === stage) this.#open = undefined;
        resolve();
      };
      this.#open = { stage, deadlineAt, pending, close };
      const alreadyClosed = stage === 'masked-input' && this.#maskedInputClosed;
      if (pending.size === 0 || alreadyClosed) close();
      this.#onChange();
    });
  }
}

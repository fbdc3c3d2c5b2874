/**
 * One SecAggClient per federation, its stage poller started by the round runner when it takes on the first
 * round of that federation that asks for secure aggregation (a federation without it is never stage-polled),
 * and the round runner's `mask` routed to the right one.
 */
import type { AuditLog } from '../audit/audit-log.ts';
import type { ParticipantLog } from '../logging/participant-log.ts';
import type { RoundTask } from '../coordinator-client/federation-link.ts';
import type { GrpcFederationLink } from '../coordinator-client/grpc-federation-link.ts';
import type { UpdateMasker } from '../rounds/local-trainer.ts';
import { SecAggClient } from './secagg-client.ts';

interface RunningClient {
  readonly client: SecAggClient;
  readonly controller: AbortController;
  readonly running: Promise<void>;
}

export class SecAggStages {
  readonly #audit: Pick<AuditLog, 'append'>;
  readonly #links = new Map<string, GrpcFederationLink>();
  readonly #clients = new Map<string, RunningClient>();
  readonly #pollWaitSeconds: number;
  readonly #log: Pick<ParticipantLog, 'error'> | undefined;

  constructor(audit: Pick<AuditLog, 'append'>, pollWaitSeconds = 20, log?: Pick<ParticipantLog, 'error'>) {
    this.#audit = audit;
    this.#pollWaitSeconds = pollWaitSeconds;
    this.#log = log;
  }

  /** The federation's current link; a new link (re-join) stops the old stage poller. */
  setLink(federationId: string, link: GrpcFederationLink): void {
    this.#links.set(federationId, link);
    void this.#stop(federationId);
  }

  /** Starts the federation's stage poller (once) if this round uses secure aggregation. */
  roundSeen(task: RoundTask): void {
    if (task.secureAggregation) this.#client(task.federationId);
  }

  readonly mask: UpdateMasker = (task, approvedUpdate, numExamples) =>
    this.#client(task.federationId).mask(task, approvedUpdate, numExamples);

  #client(federationId: string): SecAggClient {
    const existing = this.#clients.get(federationId);
    if (existing) return existing.client;
    const link = this.#links.get(federationId);
    if (!link) throw new Error(`not enrolled in federation ${federationId}`);
    const client = new SecAggClient({
      link,
      audit: this.#audit,
      pollWaitSeconds: this.#pollWaitSeconds,
      log: this.#log,
      federationId,
    });
    const controller = new AbortController();
    this.#clients.set(federationId, { client, controller, running: client.run(controller.signal) });
    return client;
  }

  async #stop(federationId: string): Promise<void> {
    const running = this.#clients.get(federationId);
    this.#clients.delete(federationId);
    running?.controller.abort();
    await running?.running;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#clients.keys()].map((id) => this.#stop(id)));
  }
}

/**
 * The participant at work: enrolment in federations (identity key from the keychain, audit entry), one
 * participation loop per federation, and the round runner wired to the real federation client and trainer.
 * `federations.list` and the `federation.state` event show each coordinator's connection and rounds.
 */
import type { KeyObject } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
import { hostname } from 'node:os';
import type { EnrolmentRequest, FederationView } from '../../../preload/contract.ts';
import { publicKeyFingerprint, recordEnrolment } from '../audit/enrolment-record.ts';
import type { RoundTask } from '../coordinator-client/federation-link.ts';
import type { GrpcFederationLink } from '../coordinator-client/grpc-federation-link.ts';
import type { RetryPolicy } from '../coordinator-client/retry-policy.ts';
import { loadOrCreateIdentityKey } from '../keychain/participant-identity.ts';
import { attachRoundRunner, type ParticipantNode } from '../participant-node.ts';
import type { LocalTrainer } from '../rounds/local-trainer.ts';
import type { RoundLink } from '../rounds/round-context.ts';
import type { RoundRunner } from '../rounds/round-runner.ts';
import { SecAggStages } from '../secagg/secagg-stages.ts';
import type { EnrolledFederation } from '../enrolment/federation-registry.ts';
import { saveClientKey } from '../enrolment/client-certificate.ts';
import { refuseUnlistedCoordinator } from '../policy/policy-refusal.ts';
import type { ClientCertificate } from '../enrolment/client-certificate.ts';
import type { AuditVerification } from '../audit/audit-verify.ts';
import { federationView } from './federation-view.ts';
import { enrolledFederationLink, federationLink } from './federation-links.ts';
import type { LinkSettings } from './federation-links.ts';
import { fetchEnrolledReceipts } from './receipt-fetch.ts';
import { ParticipationLoop } from './participation-loop.ts';

export interface CancellableTrainer extends LocalTrainer {
  cancel?(roundKey: string): boolean;
  close?(): Promise<void>;
}

export interface ParticipationOptions {
  readonly trainer: CancellableTrainer;
  /** Long-poll length (the coordinator caps it). */
  readonly pollWaitSeconds?: number;
  /** Retries of one gRPC call; the loop backs off beyond them. */
  readonly callRetry?: RetryPolicy;
  readonly loopBackoff?: RetryPolicy;
  readonly idleMs?: number;
  /**
   * false: enrol only, as `accord participant enrol` does beside a running node: no federation is polled and
   * no unfinished round resumed in this process. Defaults to true.
   */
  readonly polling?: boolean;
}

function clientCertificateOf(request: EnrolmentRequest): ClientCertificate | undefined {
  if (!request.clientCertificatePem || !request.clientKeyPem) return undefined;
  return { certificatePem: request.clientCertificatePem, privateKeyPem: request.clientKeyPem };
}

const defaultCallRetry: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2000 };

/** "grpcs://host:port/" → "host:port". */
export function coordinatorAddress(url: string): string {
  const address = url
    .trim()
    .replace(/^(grpcs?|https?):\/\//i, '')
    .replace(/\/+$/, '');
  if (!/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/.test(address))
    throw new Error(`coordinator address "${url}" must be host:port (for example coordinator.example.org:7443)`);
  return address;
}

export class Participation {
  readonly node: ParticipantNode;
  readonly runner: RoundRunner;
  readonly #options: ParticipationOptions;
  readonly #links = new Map<string, GrpcFederationLink>();
  readonly #loops = new Map<string, ParticipationLoop>();
  readonly #unsubscribe: () => void;
  readonly #secAgg: SecAggStages;
  #key: Promise<KeyObject> | undefined;

  private constructor(node: ParticipantNode, options: ParticipationOptions) {
    this.node = node;
    this.#options = options;
    this.#secAgg = new SecAggStages(node.audit, options.pollWaitSeconds ?? 20, node.log);
    const mask = this.#secAgg.mask;
    this.runner = attachRoundRunner(node, {
      link: this.#router(),
      trainer: options.trainer,
      mask,
      secAgg: this.#secAgg,
    });
    // For the UI only: a federation's view changes with each of its rounds' states.
    this.#unsubscribe = node.events.on('round.state', ({ federationId }) => this.#emit(federationId));
  }

  /** Reconnects to every enrolled federation and resumes unfinished rounds. */
  static async start(node: ParticipantNode, options: ParticipationOptions): Promise<Participation> {
    const participation = new Participation(node, options);
    if (options.polling === false) return participation;
    for (const federation of node.federations.list()) {
      // One federation that cannot connect (its client key gone from the keychain) leaves the others running.
      await participation.#join(federation).catch((error: unknown) => {
        node.log.error('federation not joined', error, { federationId: federation.id });
      });
    }
    void participation.runner.resumeEach();
    return participation;
  }

  #router(): RoundLink {
    const linkFor = (task: RoundTask) => {
      const link = this.#links.get(task.federationId);
      if (!link) throw new Error(`not enrolled in federation ${task.federationId}`);
      return link;
    };
    return {
      downloadModel: (task, onProgress) => linkFor(task).downloadModel(task, onProgress),
      uploadUpdate: (task, uploadId, payload, metadata) =>
        linkFor(task).uploadUpdate(task, uploadId, payload, metadata),
      decline: (task, reason, detail) => linkFor(task).decline(task, reason, detail),
      reportMetrics: (task, metrics) => linkFor(task).reportMetrics(task, metrics),
    };
  }

  #identityKey(): Promise<KeyObject> {
    this.#key ??= loadOrCreateIdentityKey(this.node.credentials).catch((error: unknown) => {
      this.#key = undefined;
      throw error;
    });
    return this.#key;
  }

  async #linkSettings(): Promise<LinkSettings> {
    return {
      privateKey: await this.#identityKey(),
      pollWaitSeconds: this.#options.pollWaitSeconds ?? 20,
      retry: this.#options.callRetry ?? defaultCallRetry,
    };
  }

  async #join(federation: EnrolledFederation, link?: GrpcFederationLink): Promise<void> {
    const active = link ?? (await enrolledFederationLink(this.node, federation, await this.#linkSettings()));
    await this.#loops.get(federation.id)?.stop();
    this.#links.get(federation.id)?.close();
    this.#links.set(federation.id, active);
    this.#secAgg.setLink(federation.id, active);
    const loop = new ParticipationLoop({
      federationId: federation.id,
      link: active,
      runner: this.runner,
      log: this.node.log,
      onConnection: () => this.#emit(federation.id),
      idleMs: this.#options.idleMs,
      backoff: this.#options.loopBackoff,
    });
    this.#loops.set(federation.id, loop);
    if (this.#options.polling !== false) loop.start();
  }

  /** Enrols with an invitation: the identity key stays in the keychain, the coordinator learns its public half. */
  async enrol(request: EnrolmentRequest): Promise<FederationView> {
    const address = coordinatorAddress(request.coordinatorUrl);
    refuseUnlistedCoordinator(this.node.policy, address);
    const client = clientCertificateOf(request);
    const target = { address, caPem: request.caCertificatePem, client };
    const link = federationLink(this.node, target, await this.#linkSettings());
    try {
      const hello = await link.hello();
      if (client) await saveClientKey(this.node.credentials, hello.federationId, client.privateKeyPem);
      const participantId = await link.enrol(request.invitation, request.displayName ?? hostname());
      const publicKeyPem = createPublicKey(await this.#identityKey())
        .export({ type: 'spki', format: 'pem' })
        .toString();
      const federation: EnrolledFederation = {
        id: hello.federationId,
        name: hello.federationName,
        coordinator: address,
        participantId,
        caCertificatePem: request.caCertificatePem,
        clientCertificatePem: client?.certificatePem ?? null,
        publicKeySha256: publicKeyFingerprint(publicKeyPem),
        enrolledAt: new Date().toISOString(),
      };
      this.node.database.db.transaction(() => {
        this.node.federations.save(federation);
        recordEnrolment(this.node.audit, {
          federationId: federation.id,
          coordinator: address,
          participantId,
          publicKeyPem,
        });
      })();
      await this.#join(federation, link);
      return this.view(federation.id);
    } catch (error) {
      if (![...this.#links.values()].includes(link)) link.close();
      throw error;
    }
  }

  view(federationId: string): FederationView {
    const federation = this.node.federations.get(federationId);
    if (!federation) throw new Error(`not enrolled in federation ${federationId}`);
    const connection = this.#loops.get(federationId)?.connection ?? { state: 'stopped' as const };
    return federationView(federation, connection, this.runner.rounds());
  }

  list(): FederationView[] {
    return this.node.federations.list().map((federation) => this.view(federation.id));
  }

  /** The audit log checked locally and against every enrolled coordinator's receipts that could be fetched. */
  async verifyAudit(): Promise<AuditVerification> {
    const receipts = await fetchEnrolledReceipts(this.node.federations.list(), (id) => this.#links.get(id));
    return this.node.verifyAudit(receipts);
  }

  cancelTraining(roundKey: string): void {
    if (!this.#options.trainer.cancel?.(roundKey)) throw new Error(`no training runs for round ${roundKey}`);
  }

  #emit(federationId: string): void {
    if (this.node.federations.get(federationId)) this.node.events.emit('federation.state', this.view(federationId));
  }

  /** Stops polling and training; rounds in flight settle (a stopped training fails its round, nothing is sent). */
  async close(): Promise<void> {
    this.#unsubscribe();
    // Training is stopped first: a loop may be waiting for the round it handed over.
    const stopping = [...this.#loops.values()].map((loop) => loop.stop());
    await this.#options.trainer.close?.();
    await Promise.all(stopping);
    await this.#secAgg.close();
    await Promise.allSettled([...this.runner.inFlight.values()]);
    for (const link of this.#links.values()) link.close();
  }
}

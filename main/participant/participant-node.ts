/**
 * The participant node's services over one database: the composition root that the Electron main process,
 * the headless server and the CLI all open. The round runner is attached when a federation link and a
 * trainer exist (the federation client and the engine host provide them).
 */
import { AuditLog } from './audit/audit-log.ts';
import { payloadRetentionEnabled } from './audit/payload-retention.ts';
import { verifyAuditEntries, type AuditVerification } from './audit/audit-verify.ts';
import { ConsentDesk } from './consent/consent-desk.ts';
import { DatasetRegistry } from './datasets/dataset-registry.ts';
import { FederationRegistry } from './enrolment/federation-registry.ts';
import { keychainServiceName, type CredentialStore } from './keychain/credential-store.ts';
import { KeytarCredentialStore } from './keychain/keytar-credential-store.ts';
import { EventBus } from './events/event-bus.ts';
import { PrivacyLedger, type EpsilonFor } from './privacy/privacy-ledger.ts';
import type { RoundRunnerDependencies } from './rounds/round-context.ts';
import { RoundRunner } from './rounds/round-runner.ts';
import { recordDecision } from './rounds/round-decision.ts';
import { RoundStore } from './rounds/round-store.ts';
import { openParticipantDatabase, type ParticipantDatabase } from './store/participant-database.ts';

export interface ParticipantNodeOptions {
  /** The data folder; defaults to ACCORD_HOME or the OS application-data folder. */
  readonly home?: string;
  /** Defaults to the engine's RDP accountant. */
  readonly epsilonFor?: EpsilonFor;
  /**
   * Where the identity key and coordinator credentials live; defaults to the OS keychain under the
   * service ACCORD_KEYCHAIN_SERVICE (or "Accord"), so several participants on one machine stay apart.
   */
  readonly credentials?: CredentialStore;
}

export interface ParticipantNode {
  readonly database: ParticipantDatabase;
  readonly audit: AuditLog;
  readonly datasets: DatasetRegistry;
  readonly ledger: PrivacyLedger;
  readonly consent: ConsentDesk;
  readonly events: EventBus;
  readonly rounds: RoundStore;
  readonly federations: FederationRegistry;
  readonly credentials: CredentialStore;
  verifyAudit(): AuditVerification;
  /** Run before the database closes (the round runner stops its timers). */
  readonly beforeClose: (() => void)[];
  close(): void;
}

export function openParticipantNode(options: ParticipantNodeOptions = {}): ParticipantNode {
  const database = openParticipantDatabase(options.home);
  const { db } = database;
  const audit = new AuditLog(db);
  const ledger = new PrivacyLedger(db, options.epsilonFor);
  const consent = new ConsentDesk(db, audit, ledger);
  const rounds = new RoundStore(db);
  // Any process that decides (UI, CLI) moves the round in the decision's own transaction.
  consent.inDecision.push((contribution) => recordDecision(rounds, contribution));
  const beforeClose: (() => void)[] = [];
  return {
    database,
    audit,
    datasets: new DatasetRegistry(db, audit),
    ledger,
    consent,
    events: new EventBus(),
    rounds,
    federations: new FederationRegistry(db),
    credentials:
      options.credentials ?? new KeytarCredentialStore(process.env.ACCORD_KEYCHAIN_SERVICE || keychainServiceName),
    verifyAudit: () => verifyAuditEntries(audit.entries(), audit.head()),
    beforeClose,
    close: () => {
      for (const stop of beforeClose.splice(0)) stop();
      database.close();
    },
  };
}

export type RoundRunnerParts = Pick<
  RoundRunnerDependencies,
  'link' | 'trainer' | 'mask' | 'retainPayloads' | 'now' | 'decisionPollMs'
>;

const nodesWithRunner = new WeakSet<ParticipantNode>();

/** One runner per node: two would both act on the same decisions. */
export function attachRoundRunner(node: ParticipantNode, parts: RoundRunnerParts): RoundRunner {
  if (nodesWithRunner.has(node)) throw new Error('this participant node already has a round runner');
  nodesWithRunner.add(node);
  const { audit, datasets, ledger, consent, events } = node;
  const retainPayloads = parts.retainPayloads ?? payloadRetentionEnabled(node.database.db);
  const runner = new RoundRunner({
    db: node.database.db,
    audit,
    datasets,
    ledger,
    consent,
    events,
    ...parts,
    retainPayloads,
  });
  node.beforeClose.push(() => runner.stop());
  return runner;
}

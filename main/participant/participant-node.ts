/**
 * The participant node's services over one database: the composition root that the Electron main process,
 * the headless server and the CLI all open. The round runner is attached when a federation link and a
 * trainer exist (the federation client and the engine host provide them).
 */
import { AuditAnchor, auditAnchorAccount } from './audit/audit-anchor.ts';
import { AuditLog } from './audit/audit-log.ts';
import { payloadRetentionEnabled } from './audit/payload-retention.ts';
import { verifyAuditEntries, type AuditVerification } from './audit/audit-verify.ts';
import type { FetchedReceipts } from './audit/receipt-witness.ts';
import { ConsentDesk } from './consent/consent-desk.ts';
import { DatasetRegistry } from './datasets/dataset-registry.ts';
import { FederationRegistry } from './enrolment/federation-registry.ts';
import { keychainServiceName, type CredentialStore } from './keychain/credential-store.ts';
import { KeytarCredentialStore } from './keychain/keytar-credential-store.ts';
import { EventBus } from './events/event-bus.ts';
import { PrivacyLedger, type EpsilonFor } from './privacy/privacy-ledger.ts';
import type { RoundRunnerDependencies } from './rounds/round-context.ts';
import { RoundRunner } from './rounds/round-runner.ts';
import { RoundDecisions } from './rounds/round-decision.ts';
import { ParticipantLog, participantLogFile } from './logging/participant-log.ts';
import { RoundStore } from './rounds/round-store.ts';
import { openParticipantDatabase, type ParticipantDatabase } from './store/participant-database.ts';
import { readManagedPolicy } from './policy/managed-policy-file.ts';
import { applyProxyEnvironment } from './coordinator-client/proxy-environment.ts';
import type { ManagedPolicy } from './policy/managed-policy-schema.ts';
import { applyManagedSettings } from './settings/workstation-settings.ts';

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
  /** Defaults to <data folder>/logs/participant.log. */
  readonly log?: ParticipantLog;
  /** Defaults to the machine's managed policy file (ACCORD_POLICY_FILE or the OS's place); null: none. */
  readonly policy?: ManagedPolicy | null;
}

export interface ParticipantNode {
  readonly database: ParticipantDatabase;
  readonly audit: AuditLog;
  readonly datasets: DatasetRegistry;
  readonly ledger: PrivacyLedger;
  readonly consent: ConsentDesk;
  readonly events: EventBus;
  readonly rounds: RoundStore;
  /** Where consent decisions land on rounds, and the one round runner they are handed to. */
  readonly decisions: RoundDecisions;
  readonly log: ParticipantLog;
  readonly federations: FederationRegistry;
  readonly credentials: CredentialStore;
  /** The machine's managed policy (undefined: IT has deployed none). */
  readonly policy: ManagedPolicy | undefined;
  /**
   * The chain, its recorded head, the OS keychain's anchor (waits for anchor writes in flight) and, when
   * given, the coordinators' receipts that witness it.
   */
  verifyAudit(receipts?: readonly FetchedReceipts[]): Promise<AuditVerification>;
  /** Run before the database closes (the round runner stops its timers). */
  readonly beforeClose: (() => void)[];
  close(): void;
}

export function openParticipantNode(options: ParticipantNodeOptions = {}): ParticipantNode {
  // Read first: an invalid policy file stops the node before anything is opened.
  const policy = options.policy === undefined ? readManagedPolicy() : (options.policy ?? undefined);
  applyProxyEnvironment(policy?.proxy);
  const database = openParticipantDatabase(options.home);
  const { db } = database;
  applyManagedSettings(db, policy);
  const log = options.log ?? new ParticipantLog(participantLogFile(database.home));
  const credentials =
    options.credentials ?? new KeytarCredentialStore(process.env.ACCORD_KEYCHAIN_SERVICE || keychainServiceName);
  const anchor = new AuditAnchor(credentials, auditAnchorAccount(database.home), (error) =>
    log.error('the audit anchor could not be written to the keychain', error),
  );
  // The anchor reads the head when its turn comes: committed by then, since transactions here are synchronous.
  const anchorCommittedHead = () => anchor.follow(() => (db.open ? audit.head() : undefined));
  const audit = new AuditLog(db, anchorCommittedHead);
  anchorCommittedHead();
  const ledger = new PrivacyLedger(db, options.epsilonFor, policy);
  const rounds = new RoundStore(db);
  // Any process that decides (UI, CLI) moves the round in the decision's own transaction.
  const decisions = new RoundDecisions(rounds);
  const consent = new ConsentDesk(db, audit, ledger, decisions, policy);
  const beforeClose: (() => void)[] = [];
  return {
    database,
    audit,
    datasets: new DatasetRegistry(db, audit),
    ledger,
    consent,
    events: new EventBus((event, error) => log.error('an event listener failed', error, { event })),
    rounds,
    decisions,
    log,
    federations: new FederationRegistry(db),
    credentials,
    policy,
    verifyAudit: async (receipts) => {
      await anchor.settled();
      return verifyAuditEntries(audit.entries(), audit.head(), await anchor.read(), receipts);
    },
    beforeClose,
    close: () => {
      for (const stop of beforeClose.splice(0)) stop();
      database.close();
    },
  };
}

export type RoundRunnerParts = Pick<
  RoundRunnerDependencies,
  'link' | 'trainer' | 'mask' | 'retainPayloads' | 'now' | 'secAgg'
>;

/** One runner per node: two would both act on the same decisions. */
export function attachRoundRunner(node: ParticipantNode, parts: RoundRunnerParts): RoundRunner {
  if (node.decisions.hasRunner) throw new Error('this participant node already has a round runner');
  const { audit, datasets, ledger, consent, events, log } = node;
  const retainPayloads = parts.retainPayloads ?? payloadRetentionEnabled(node.database.db);
  const runner = new RoundRunner({
    db: node.database.db,
    audit,
    datasets,
    ledger,
    consent,
    events,
    log,
    ...parts,
    retainPayloads,
  });
  node.decisions.attach(runner);
  node.beforeClose.push(() => runner.stop());
  return runner;
}

/**
 * Pending contributions and their decisions. Approval is ONE transaction: the contribution is marked
 * approved, the ε ledger is debited, the decision and the debit are audited, and the decision recorder
 * moves the round to approved — all commit together or none does. After the commit the recorder is told
 * once more, so the round runner of this process continues the round at once.
 */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { AuditLog } from '../audit/audit-log.ts';
import { BudgetExceededError, type PrivacyLedger } from '../privacy/privacy-ledger.ts';
import type { ManagedPolicy } from '../policy/managed-policy-schema.ts';
import { managedConsentPolicy, refuseLooserConsentPolicy } from '../policy/policy-refusal.ts';
import type { SqliteDatabase } from '../store/participant-database.ts';
import type { Contribution, ContributionSummary, Decider } from './contribution.ts';
import { budgetDecider, declined, expired, type Decision, type DecisionRecorder } from './decision.ts';
import {
  askEveryTime,
  policyObjections,
  validatePolicy,
  type ConsentPolicy,
  type MetricsSharing,
} from './consent-policy.ts';

interface ContributionRow extends Omit<Contribution, 'summary'> {
  summary: string;
}

const columns = `id, round_key AS roundKey, summary, status, decided_by AS decidedBy, decided_at AS decidedAt,
  comment, created_at AS createdAt`;

export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

export class ConsentDesk {
  readonly db: SqliteDatabase;
  readonly audit: AuditLog;
  readonly ledger: PrivacyLedger;
  readonly recorder: DecisionRecorder;
  /** A managed policy's consent limits bound every federation's policy. */
  readonly managed: ManagedPolicy | undefined;

  constructor(
    db: SqliteDatabase,
    audit: AuditLog,
    ledger: PrivacyLedger,
    recorder: DecisionRecorder,
    managed?: ManagedPolicy,
  ) {
    this.db = db;
    this.audit = audit;
    this.ledger = ledger;
    this.recorder = recorder;
    this.managed = managed;
  }

  policy(federationId: string): ConsentPolicy {
    const row = this.db
      .prepare('SELECT mode, limits, metrics FROM consent_policies WHERE federation_id = ?')
      .get(federationId) as { mode: 'ask' | 'auto'; limits: string; metrics: MetricsSharing } | undefined;
    if (!row) return askEveryTime;
    return { mode: row.mode, limits: JSON.parse(row.limits) as ConsentPolicy['limits'], metrics: row.metrics };
  }

  setPolicy(federationId: string, policy: ConsentPolicy): void {
    validatePolicy(policy);
    refuseLooserConsentPolicy(this.managed, policy);
    const metrics = policy.metrics ?? 'share';
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO consent_policies (federation_id, mode, limits, metrics, updated_at) VALUES (?, ?, ?, ?, ?)
          ON CONFLICT(federation_id) DO UPDATE SET mode = excluded.mode, limits = excluded.limits,
            metrics = excluded.metrics, updated_at = excluded.updated_at`,
        )
        .run(federationId, policy.mode, JSON.stringify(policy.limits), metrics, new Date().toISOString());
      this.audit.append('policy', {
        federationId,
        mode: policy.mode,
        limits: policy.limits,
        metrics,
        by: currentUser(),
      });
    })();
  }

  /** Opens (once per round) the contribution a person or the policy will decide on. */
  open(roundKey: string, summary: ContributionSummary): Contribution {
    const existing = this.byRound(roundKey);
    if (existing) return existing;
    const id = randomUUID();
    this.db
      .prepare(`INSERT INTO contributions (id, round_key, summary, status, created_at) VALUES (?, ?, ?, 'pending', ?)`)
      .run(id, roundKey, JSON.stringify(summary), new Date().toISOString());
    return this.require(id);
  }

  /** Reasons the federation's policy will not approve this contribution by itself (empty = it will). */
  objections(contribution: Contribution, now = new Date()): string[] {
    const { federationId, epsilonRound, l2Norm, datasetId } = contribution.summary;
    const subject = { epsilonRound, l2Norm, datasetId };
    const objections = policyObjections(this.policy(federationId), subject, now);
    const managed = managedConsentPolicy(this.managed);
    if (!managed || objections.length > 0) return objections;
    return policyObjections(managed, subject, now).map((why) => `${why} (managed policy ${this.managed?.file})`);
  }

  get(id: string): Contribution | undefined {
    const row = this.db.prepare(`SELECT ${columns} FROM contributions WHERE id = ?`).get(id) as
      ContributionRow | undefined;
    return row ? { ...row, summary: JSON.parse(row.summary) as ContributionSummary } : undefined;
  }

  byRound(roundKey: string): Contribution | undefined {
    const row = this.db.prepare('SELECT id FROM contributions WHERE round_key = ?').get(roundKey) as
      { id: string } | undefined;
    return row ? this.get(row.id) : undefined;
  }

  require(id: string): Contribution {
    const contribution = this.get(id);
    if (!contribution) throw new Error(`no contribution with id ${id}`);
    return contribution;
  }

  pending(now = new Date()): Contribution[] {
    this.expireOverdue(now);
    const rows = this.db.prepare("SELECT id FROM contributions WHERE status = 'pending' ORDER BY created_at").all() as {
      id: string;
    }[];
    return rows.map((row) => this.require(row.id));
  }

  /** Approves: debit + decision + the round's change in one transaction. A budget overrun declines instead. */
  approve(id: string, decider: Decider = { by: currentUser() }, now = new Date()): Contribution {
    const contribution = this.requirePending(id, now);
    const { datasetId, dp } = contribution.summary;
    try {
      this.db.transaction(() => {
        const debit = this.ledger.debit(datasetId, contribution.roundKey, id, dp);
        this.setStatus(id, 'approved', decider, now);
        this.audit.append('decision', {
          contributionId: id,
          roundKey: contribution.roundKey,
          decision: 'approved',
          by: decider.by,
          comment: decider.comment,
          approvedSha256: contribution.summary.sha256,
          bytes: contribution.summary.bytes,
          // Released outside the DP guarantee, so the approval records them and whether they are sent.
          evaluation: contribution.summary.evaluation ?? null,
          metricsShared: contribution.summary.metricsShared ?? false,
        });
        this.audit.append('ledger.debit', {
          datasetId,
          roundKey: contribution.roundKey,
          ledgerSeq: debit.seq,
          ...dp,
          delta: debit.delta,
          epsilonRound: debit.epsilonRound,
          epsilonBefore: debit.epsilonBefore,
          epsilonAfter: debit.epsilonAfter,
        });
        this.recorder.record(this.require(id), { kind: 'approved', by: decider.by });
      })();
    } catch (error) {
      if (!(error instanceof BudgetExceededError)) throw error;
      this.#decline(id, { by: budgetDecider, comment: error.message }, 'budget_exhausted', now);
      throw error;
    }
    return this.#committed(id, { kind: 'approved', by: decider.by });
  }

  decline(id: string, decider: Decider = { by: currentUser() }, now = new Date()): Contribution {
    return this.#decline(id, decider, 'consent_refused', now);
  }

  #decline(id: string, decider: Decider, reason: 'consent_refused' | 'budget_exhausted', now: Date): Contribution {
    const contribution = this.requirePending(id, now);
    const decision = declined(reason, decider.by, decider.comment);
    this.db.transaction(() => {
      this.setStatus(id, 'declined', decider, now);
      this.audit.append('decision', {
        contributionId: id,
        roundKey: contribution.roundKey,
        decision: 'declined',
        by: decider.by,
        comment: decider.comment,
      });
      this.recorder.record(this.require(id), decision);
    })();
    return this.#committed(id, decision);
  }

  /** Pending contributions whose round deadline has passed become 'expired' (audited). */
  expireOverdue(now = new Date()): Contribution[] {
    const rows = this.db.prepare("SELECT id FROM contributions WHERE status = 'pending'").all() as { id: string }[];
    const overdue = rows
      .map((row) => this.require(row.id))
      .filter((c) => Date.parse(c.summary.deadline) <= now.getTime());
    for (const contribution of overdue) {
      const decision = expired(contribution.summary.deadline);
      this.db.transaction(() => {
        this.setStatus(contribution.id, 'expired', { by: 'deadline' }, now);
        this.audit.append('decision', {
          contributionId: contribution.id,
          roundKey: contribution.roundKey,
          decision: 'expired',
          deadline: contribution.summary.deadline,
        });
        this.recorder.record(this.require(contribution.id), decision);
      })();
      this.#committed(contribution.id, decision);
    }
    return overdue.map((c) => this.require(c.id));
  }

  private requirePending(id: string, now: Date): Contribution {
    this.expireOverdue(now);
    const contribution = this.require(id);
    if (contribution.status !== 'pending') throw new Error(`contribution ${id} is ${contribution.status}, not pending`);
    return contribution;
  }

  private setStatus(id: string, status: Contribution['status'], decider: Decider, now: Date): void {
    this.db
      .prepare('UPDATE contributions SET status = ?, decided_by = ?, decided_at = ?, comment = ? WHERE id = ?')
      .run(status, decider.by, now.toISOString(), decider.comment ?? null, id);
  }

  #committed(id: string, decision: Decision): Contribution {
    const contribution = this.require(id);
    this.recorder.committed(contribution, decision);
    return contribution;
  }
}

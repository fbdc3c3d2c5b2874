/**
 * The ε ledger of each dataset. Every debit records the round's DP parameters; ε is always recomputed by
 * the engine's accountant over the dataset's WHOLE history (rounds of every federation compose), never by
 * adding per-round ε's. Entries are immutable: SQLite triggers abort any UPDATE or DELETE.
 */
import { epsilonFor as rdpEpsilonFor } from '../../../engine/privacy/accountant.ts';
import type { DpStepRecord } from '../../../engine/privacy/accountant.ts';
import type { ManagedPolicy } from '../policy/managed-policy-schema.ts';
import { effectiveBudget, refuseBudgetAbovePolicy } from '../policy/policy-refusal.ts';
import type { SqliteDatabase } from '../store/participant-database.ts';

export type { DpStepRecord };

/** ε of a whole history at δ: the engine's RDP accountant (engine/privacy/accountant.ts). */
export type EpsilonFor = (history: readonly DpStepRecord[], delta: number) => { epsilon: number };

export interface Budget {
  readonly datasetId: string;
  readonly epsilon: number;
  readonly delta: number;
}

export interface Projection {
  readonly datasetId: string;
  readonly budget: number;
  readonly delta: number;
  readonly epsilonBefore: number;
  readonly epsilonRound: number;
  readonly epsilonAfter: number;
  readonly withinBudget: boolean;
  /** Present when the round is refused: names the dataset, the projected ε and the budget. */
  readonly reason?: string;
}

export interface LedgerEntry extends DpStepRecord {
  readonly seq: number;
  readonly datasetId: string;
  readonly roundKey: string;
  readonly contributionId: string;
  readonly delta: number;
  readonly epsilonRound: number;
  readonly epsilonBefore: number;
  readonly epsilonAfter: number;
  readonly recordedAt: string;
}

const entryColumns = `seq, dataset_id AS datasetId, round_key AS roundKey, contribution_id AS contributionId,
  noise_multiplier AS noiseMultiplier, sample_rate AS sampleRate, steps, delta, epsilon_round AS epsilonRound,
  epsilon_before AS epsilonBefore, epsilon_after AS epsilonAfter, recorded_at AS recordedAt`;

export class BudgetExceededError extends Error {
  readonly projection: Projection;
  constructor(projection: Projection) {
    super(projection.reason);
    this.name = 'BudgetExceededError';
    this.projection = projection;
  }
}

export class PrivacyLedger {
  readonly db: SqliteDatabase;
  readonly epsilonFor: EpsilonFor;
  /** A managed policy's largest ε budget caps what may be set and what counts. */
  readonly policy: ManagedPolicy | undefined;

  constructor(db: SqliteDatabase, epsilonFor: EpsilonFor = rdpEpsilonFor, policy?: ManagedPolicy) {
    this.db = db;
    this.epsilonFor = epsilonFor;
    this.policy = policy;
  }

  setBudget(datasetId: string, epsilon: number, delta: number): Budget {
    if (!(epsilon > 0) || !Number.isFinite(epsilon))
      throw new Error(`ε budget must be a positive number, got ${epsilon}`);
    if (!(delta > 0 && delta < 1)) throw new Error(`δ must be in (0, 1), got ${delta}`);
    refuseBudgetAbovePolicy(this.policy, epsilon);
    this.db
      .prepare(
        `INSERT INTO budgets (dataset_id, epsilon, delta, updated_at) VALUES (?, ?, ?, ?)
        ON CONFLICT(dataset_id) DO UPDATE SET epsilon = excluded.epsilon, delta = excluded.delta, updated_at = excluded.updated_at`,
      )
      .run(datasetId, epsilon, delta, new Date().toISOString());
    return { datasetId, epsilon, delta };
  }

  /** The budget that counts: a larger one stored before the managed policy was deployed counts as its cap. */
  budget(datasetId: string): Budget | undefined {
    const stored = this.db
      .prepare('SELECT dataset_id AS datasetId, epsilon, delta FROM budgets WHERE dataset_id = ?')
      .get(datasetId) as Budget | undefined;
    return stored && { ...stored, epsilon: effectiveBudget(this.policy, stored.epsilon) };
  }

  entries(datasetId: string): LedgerEntry[] {
    return this.db
      .prepare(`SELECT ${entryColumns} FROM ledger WHERE dataset_id = ? ORDER BY seq`)
      .all(datasetId) as LedgerEntry[];
  }

  history(datasetId: string): DpStepRecord[] {
    return this.entries(datasetId).map(({ noiseMultiplier, sampleRate, steps }) => ({
      noiseMultiplier,
      sampleRate,
      steps,
    }));
  }

  /** ε spent so far at the budget's δ (0 with no history). */
  spent(datasetId: string): number {
    const budget = this.requireBudget(datasetId);
    const history = this.history(datasetId);
    return history.length === 0 ? 0 : this.epsilonFor(history, budget.delta).epsilon;
  }

  /** What this round would cost and leave, before anything is accepted or debited. */
  project(datasetId: string, step: DpStepRecord): Projection {
    const budget = this.requireBudget(datasetId);
    const history = this.history(datasetId);
    const epsilonBefore = history.length === 0 ? 0 : this.epsilonFor(history, budget.delta).epsilon;
    const epsilonRound = this.epsilonFor([step], budget.delta).epsilon;
    const epsilonAfter = this.epsilonFor([...history, step], budget.delta).epsilon;
    const withinBudget = epsilonAfter <= budget.epsilon;
    const reason = withinBudget
      ? undefined
      : `privacy budget of dataset ${datasetId} would be exceeded: ε after this round would be ${epsilonAfter.toFixed(4)} > budget ${budget.epsilon} (δ = ${budget.delta}; spent so far ${epsilonBefore.toFixed(4)})`;
    return {
      datasetId,
      budget: budget.epsilon,
      delta: budget.delta,
      epsilonBefore,
      epsilonRound,
      epsilonAfter,
      withinBudget,
      reason,
    };
  }

  /**
   * Records a round's spend. Call inside the approval's transaction: the projection is recomputed there,
   * so two approvals cannot both squeeze under the budget. Throws BudgetExceededError (nothing written).
   */
  debit(datasetId: string, roundKey: string, contributionId: string, step: DpStepRecord): LedgerEntry {
    const projection = this.project(datasetId, step);
    if (!projection.withinBudget) throw new BudgetExceededError(projection);
    const recordedAt = new Date().toISOString();
    const info = this.db
      .prepare(
        `INSERT INTO ledger (dataset_id, round_key, contribution_id, noise_multiplier, sample_rate, steps, delta,
        epsilon_round, epsilon_before, epsilon_after, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        datasetId,
        roundKey,
        contributionId,
        step.noiseMultiplier,
        step.sampleRate,
        step.steps,
        projection.delta,
        projection.epsilonRound,
        projection.epsilonBefore,
        projection.epsilonAfter,
        recordedAt,
      );
    return this.db.prepare(`SELECT ${entryColumns} FROM ledger WHERE seq = ?`).get(info.lastInsertRowid) as LedgerEntry;
  }

  private requireBudget(datasetId: string): Budget {
    const budget = this.budget(datasetId);
    if (!budget) throw new Error(`dataset ${datasetId} has no privacy budget: set one (accord participant budget set)`);
    return budget;
  }
}

/** What a person approves: the exact summary of the payload that will leave, and the decision taken. */
import type { HeldOutEvaluation } from '../../../engine/train/held-out-evaluation-job.ts';
import type { DpStepRecord } from '../privacy/privacy-ledger.ts';

export interface ContributionSummary {
  readonly federationId: string;
  readonly coordinator: string;
  readonly roundId: string;
  readonly roundNumber: number;
  readonly modelSha256: string;
  readonly datasetId: string;
  readonly datasetName: string;
  /** Size of the exact bytes to send. */
  readonly bytes: number;
  /** How the bytes are compressed: "none", "int8" or "topk <fraction>" (absent in summaries made before). */
  readonly compression?: string;
  /** The size the update would have uncompressed, in the round's encoding. */
  readonly denseBytes?: number;
  /** sha256 of the exact bytes to send. */
  readonly sha256: string;
  readonly l2Norm: number;
  readonly epsilonRound: number;
  readonly epsilonBefore: number;
  readonly epsilonAfter: number;
  readonly epsilonBudget: number;
  readonly delta: number;
  readonly dp: DpStepRecord;
  /** ISO-8601: a pending contribution expires with the round. */
  readonly deadline: string;
  /**
   * The received global model on the dataset's held-out part, computed without noise (outside the DP
   * guarantee); null when none was measured. Absent in contributions opened before evaluation existed.
   */
  readonly evaluation?: HeldOutEvaluation | null;
  /** Whether the evaluation is sent to the coordinator after the update (the policy's choice when opened). */
  readonly metricsShared?: boolean;
}

export type ContributionStatus = 'pending' | 'approved' | 'declined' | 'expired';

export interface Contribution {
  readonly id: string;
  readonly roundKey: string;
  readonly summary: ContributionSummary;
  readonly status: ContributionStatus;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly comment: string | null;
  readonly createdAt: string;
}

export interface Decider {
  /** The OS user who decided, or `policy:<federation>` for an automatic approval. */
  readonly by: string;
  readonly comment?: string;
}

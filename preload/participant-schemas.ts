/**
 * Schemas of the participant's data as it crosses the contract: datasets, budgets, consent, rounds, audit
 * and the events. Part of the contract (re-exported by contract.ts); split out only for size.
 */
import { z } from 'zod';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in lowercase hex');
const Timestamp = z.string();

export const DatasetFormat = z.enum(['csv', 'tsv', 'jsonl', 'parquet']);
export const DatasetRegistration = z
  .object({
    name: z.string().min(1).max(200),
    path: z.string().min(1),
    task: z.string().min(1),
    format: DatasetFormat,
    columns: z.record(z.string(), z.string().min(1)),
  })
  .strict();

export const Dataset = DatasetRegistration.extend({
  id: z.string(),
  sha256: Sha256,
  sizeBytes: z.number().int().nonnegative(),
  stats: z.object({
    rows: z.number().int(),
    columns: z.array(z.string()),
    labelCounts: z.record(z.string(), z.number()),
    meanTextLength: z.number(),
  }),
  /** 'changed': the file's bytes differ from those confirmed (or it is gone); re-confirm it before training. */
  status: z.enum(['ready', 'changed', 'removed']),
  registeredAt: Timestamp,
  confirmedAt: Timestamp,
});

export const DpStep = z.object({
  noiseMultiplier: z.number().positive(),
  sampleRate: z.number().gt(0).lte(1),
  steps: z.number().int().positive(),
});

export const BudgetSetting = z
  .object({ datasetId: z.string().min(1), epsilon: z.number().positive(), delta: z.number().gt(0).lt(1) })
  .strict();

export const LedgerEntry = DpStep.extend({
  seq: z.number().int(),
  datasetId: z.string(),
  roundKey: z.string(),
  contributionId: z.string(),
  delta: z.number(),
  epsilonRound: z.number(),
  epsilonBefore: z.number(),
  epsilonAfter: z.number(),
  recordedAt: Timestamp,
});

export const BudgetStatus = z.object({
  datasetId: z.string(),
  epsilon: z.number(),
  delta: z.number(),
  spent: z.number(),
  remaining: z.number(),
  entries: z.array(LedgerEntry),
});

export const ProjectionRequest = DpStep.extend({ datasetId: z.string().min(1) }).strict();
export const Projection = z.object({
  datasetId: z.string(),
  budget: z.number(),
  delta: z.number(),
  epsilonBefore: z.number(),
  epsilonRound: z.number(),
  epsilonAfter: z.number(),
  withinBudget: z.boolean(),
  reason: z.string().optional(),
});

export const ConsentPolicy = z.object({
  mode: z.enum(['ask', 'auto']),
  limits: z
    .object({
      maxEpsilonRound: z.number().positive().optional(),
      maxUpdateNorm: z.number().positive().optional(),
      allowedDatasets: z.array(z.string()).optional(),
      hours: z.object({ from: z.number().int().min(0).max(24), to: z.number().int().min(0).max(24) }).optional(),
    })
    .strict(),
  /** Whether each round's held-out evaluation is sent to the coordinator; absent = share. */
  metrics: z.enum(['share', 'withhold']).optional(),
});

/** The received global model on the held-out part of the dataset (computed without noise). */
export const HeldOutEvaluation = z.object({
  accuracy: z.number(),
  macroF1: z.number(),
  loss: z.number(),
  examples: z.number().int(),
});

export const ContributionSummary = z.object({
  federationId: z.string(),
  coordinator: z.string(),
  roundId: z.string(),
  roundNumber: z.number(),
  modelSha256: z.string(),
  datasetId: z.string(),
  datasetName: z.string(),
  bytes: z.number().int(),
  compression: z.string().optional(),
  denseBytes: z.number().int().optional(),
  sha256: Sha256,
  l2Norm: z.number(),
  epsilonRound: z.number(),
  epsilonBefore: z.number(),
  epsilonAfter: z.number(),
  epsilonBudget: z.number(),
  delta: z.number(),
  dp: DpStep,
  deadline: Timestamp,
  evaluation: HeldOutEvaluation.nullable().optional(),
  metricsShared: z.boolean().optional(),
});

export const Contribution = z.object({
  id: z.string(),
  roundKey: z.string(),
  summary: ContributionSummary,
  status: z.enum(['pending', 'approved', 'declined', 'expired']),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  comment: z.string().nullable(),
  createdAt: Timestamp,
});

export const RoundStateName = z.enum([
  'invited',
  'accepted',
  'downloaded',
  'training',
  'update_ready',
  'awaiting_approval',
  'approved',
  'masked',
  'uploading',
  'uploaded',
  'receipted',
  'declined',
  'expired',
  'failed',
]);

export const RoundSummary = z.object({
  roundKey: z.string(),
  federationId: z.string(),
  roundId: z.string(),
  roundNumber: z.number(),
  coordinator: z.string(),
  state: RoundStateName,
  reason: z.string().nullable(),
  datasetId: z.string().nullable(),
  approvedSha256: z.string().nullable(),
  sentSha256: z.string().nullable(),
  deadline: z.string(),
  updatedAt: Timestamp,
});

export const AuditEntry = z.object({
  seq: z.number().int(),
  at: Timestamp,
  kind: z.string(),
  data: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export const AuditEntriesRequest = z
  .object({ fromSeq: z.number().int().positive().optional(), limit: z.number().int().positive().max(1000).optional() })
  .strict();
export const AuditVerification = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  problems: z.array(
    z.object({
      seq: z.number().int(),
      problem: z.enum(['changed', 'removed', 'reordered', 'truncated']),
      message: z.string(),
    }),
  ),
  anchoredSeq: z.number().int().nullable(),
  coverage: z.string(),
  witnessedSeq: z.number().int().nullable(),
  witnessedRoundId: z.string().nullable(),
  witness: z.string(),
});

export const RoundStateEvent = z.object({
  roundKey: z.string(),
  federationId: z.string(),
  roundId: z.string(),
  state: RoundStateName,
  reason: z.string().nullable(),
});
export const TrainingProgressEvent = z.object({
  roundKey: z.string(),
  step: z.number().int(),
  totalSteps: z.number().int(),
  loss: z.number().optional(),
  /** Metrics the trainer reports along the way (accuracy, F1…), by name. */
  metrics: z.record(z.string(), z.number()).optional(),
  /** Seconds since training started and the estimate of what is left. */
  elapsedSeconds: z.number().nonnegative().optional(),
  etaSeconds: z.number().nonnegative().optional(),
});
export const ApprovalsWaitingEvent = z.object({ count: z.number().int(), contributionIds: z.array(z.string()) });

export type DatasetView = z.output<typeof Dataset>;
export type ContributionView = z.output<typeof Contribution>;
export type RoundSummary = z.output<typeof RoundSummary>;
export type BudgetStatus = z.output<typeof BudgetStatus>;
export type AuditEntryView = z.output<typeof AuditEntry>;
export type AuditVerificationView = z.output<typeof AuditVerification>;
export type ConsentPolicyView = z.output<typeof ConsentPolicy>;

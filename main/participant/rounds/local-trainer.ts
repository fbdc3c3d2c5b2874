/**
 * How the round runner trains: an injected LocalTrainer (the engine host provides the real one, running
 * the engine in a worker thread). It trains on one dataset with the task's DP parameters and reports
 * the DP steps it actually took, which is what the ledger debits. The update is encoded by the codec
 * the round's task names (engine/codec's registry), never by an encoder chosen elsewhere.
 */
import type { ExecutionDevice } from '../../../engine/runtime/execution-providers.ts';
import type { TrainingProgress } from '../../../engine/runtime/training-progress.ts';
import type { ParameterSet } from '../../../engine/tensor/parameter-set.ts';
import type { HeldOutEvaluation } from '../../../engine/train/held-out-evaluation-job.ts';
import type { Dataset } from '../datasets/dataset-registry.ts';
import type { DpParameters, RoundTask } from '../coordinator-client/federation-link.ts';
import type { DpStepRecord } from '../privacy/privacy-ledger.ts';

export interface TrainingRequest {
  readonly task: RoundTask;
  readonly dataset: Dataset;
  readonly globalModel: ParameterSet;
  readonly dp: DpParameters;
  readonly onProgress?: (progress: TrainingProgress) => void;
  readonly signal?: AbortSignal;
}

export interface TrainingResult {
  /** The clipped, noised update (model delta) to send. */
  readonly update: ParameterSet;
  readonly numExamples: number;
  readonly metrics: Readonly<Record<string, number>>;
  /** The DP-SGD steps actually taken (may be fewer than asked, e.g. when stopped early). */
  readonly dpSteps: DpStepRecord;
  /** Where the training ran (audited with the update), when the trainer knows. */
  readonly device?: ExecutionDevice;
  /** The received global model on the dataset's held-out part (null: no held-out rows; absent: not measured). */
  readonly evaluation?: HeldOutEvaluation | null;
}

export interface LocalTrainer {
  train(request: TrainingRequest): Promise<TrainingResult>;
}

/**
 * Secure aggregation: masks the approved update for this round; the masked bytes are what leaves. The
 * update is the float ParameterSet the approved bytes encode (losslessly), never bytes to decode. The
 * example count is submitted inside the masked vector, so the coordinator learns only its sum.
 */
export type UpdateMasker = (task: RoundTask, approvedUpdate: ParameterSet, numExamples: number) => Promise<Uint8Array>;

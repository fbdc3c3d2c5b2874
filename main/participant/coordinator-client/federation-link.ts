/**
 * What the participant's round runner needs from a federation, whatever carries it (gRPC in production).
 * The gRPC client implements this; the round runner depends only on this interface.
 */
import type { ParameterSet, TensorSpec } from '../../../engine/tensor/parameter-set.ts';
import type { UploadReceipt } from '../../../protocol/receipt.ts';
import type { UpdateCompression } from '../../../engine/codec/update-compression.ts';

export interface DpParameters {
  readonly clipNorm: number;
  readonly noiseMultiplier: number;
  readonly sampleRate: number;
  readonly localSteps: number;
}

export interface RoundTask {
  readonly federationId: string;
  readonly coordinator: string;
  readonly roundId: string;
  readonly roundNumber: number;
  /** ISO-8601; after it the coordinator no longer accepts this round's upload. */
  readonly deadline: string;
  readonly modelSha256: string;
  readonly modelSpec: readonly TensorSpec[];
  readonly dp: DpParameters;
  readonly taskName: string;
  readonly secureAggregation: boolean;
  /**
   * The update encoding the coordinator reads for this round (a name in engine/codec's registry, checked
   * when the round is accepted). Stored with the round, so the bytes made after a restart are the same.
   */
  readonly updateEncoding: string;
  /** Lossy compression the coordinator asks for (checked when the round is accepted); absent: dense. */
  readonly compression?: UpdateCompression;
  /** Training settings from the coordinator's config (learning rate, batch size, proximal mu…). */
  readonly training: Readonly<Record<string, number | string | boolean>>;
}

export type DeclineReason = 'consent_refused' | 'budget_exhausted' | 'dataset_unavailable' | 'expired' | 'failed';

export interface UploadMetadata {
  readonly numExamples: number;
  readonly metrics: Readonly<Record<string, number>>;
  /** The audit entry that recorded this upload's intent: the coordinator signs it into the receipt. */
  readonly auditHead?: { readonly seq: number; readonly hash: string };
}

export interface FederationLink {
  /** Long-polls for the next task; undefined when the poll times out with nothing to do. */
  pollTask(signal?: AbortSignal): Promise<RoundTask | undefined>;
  /** Downloads (resumably) and verifies the round's global model against task.modelSha256. */
  downloadModel(
    task: RoundTask,
    onProgress?: (receivedBytes: number, totalBytes: number) => void,
  ): Promise<ParameterSet>;
  /** Uploads exactly these bytes under this id; repeating a completed id returns the same receipt. */
  uploadUpdate(
    task: RoundTask,
    uploadId: string,
    payload: Uint8Array,
    metadata: UploadMetadata,
  ): Promise<UploadReceipt>;
  decline(task: RoundTask, reason: DeclineReason, detail: string): Promise<void>;
  /** Sends a round's evaluation metrics (name → value), after its update was committed. */
  reportMetrics(task: RoundTask, metrics: Record<string, number>): Promise<void>;
}

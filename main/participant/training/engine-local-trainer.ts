/**
 * The real LocalTrainer: runs a round's DP-SGD training (engine/train/dp-round-job.ts) in a worker thread
 * through the engine's host, so onnxruntime never blocks the thread serving the UI or gRPC. Progress goes
 * to the round runner (→ `training.progress`); `cancel(roundKey)` or the request's signal stops the job
 * after its current step, and the round then fails with that reason (nothing trained is sent).
 */
import { startTrainingJob } from '../../../engine/runtime/training-worker-host.ts';
import type { TrainingJobHandle } from '../../../engine/runtime/training-worker-host.ts';
import type { ExecutionProviderName } from '../../../engine/runtime/execution-providers.ts';
import type { DpRoundJobResult, DpRoundJobSpec } from '../../../engine/train/dp-round-job.ts';
import type { HeldOutEvaluation, HeldOutEvaluationJobSpec } from '../../../engine/train/held-out-evaluation-job.ts';
import type { DataFormat } from '../../../engine/data/readers/read-records.ts';
import { roundKeyOf } from '../rounds/round-state.ts';
import { readWorkstationSettings } from '../settings/workstation-settings.ts';
import type { SqliteDatabase } from '../store/participant-database.ts';
import type { LocalTrainer, TrainingRequest, TrainingResult } from '../rounds/local-trainer.ts';

const jobModule = new URL('../../../engine/train/dp-round-job.ts', import.meta.url);
const evaluationModule = new URL('../../../engine/train/held-out-evaluation-job.ts', import.meta.url);

export class TrainingCancelledError extends Error {
  constructor(roundKey: string, steps: number) {
    super(`training for round ${roundKey} was cancelled after ${steps} step(s); nothing was sent`);
    this.name = 'TrainingCancelledError';
  }
}

function jobSpec(request: TrainingRequest): DpRoundJobSpec {
  const { dataset, task, globalModel, dp } = request;
  const text = dataset.columns.text;
  const label = dataset.columns.label;
  if (!text || !label)
    throw new Error(
      `dataset "${dataset.name}" maps no ${text ? 'label' : 'text'} column; this task needs text and label`,
    );
  return {
    dataFile: dataset.path,
    format: dataset.format as DataFormat,
    columns: { text, label },
    training: task.training,
    globalModel,
    dp: { ...dp },
  };
}

export interface EngineLocalTrainerOptions {
  /** The workstation's compute device setting, read when each round's training starts. */
  readonly computeDevice?: () => ExecutionProviderName | 'auto';
}

export class EngineLocalTrainer implements LocalTrainer {
  readonly #jobs = new Map<string, TrainingJobHandle<unknown>>();
  /** Rounds cancelled while their received model was being evaluated: training must not start. */
  readonly #cancelled = new Set<string>();
  readonly #computeDevice: () => ExecutionProviderName | 'auto';

  constructor(options: EngineLocalTrainerOptions = {}) {
    this.#computeDevice = options.computeDevice ?? (() => 'auto');
  }

  /** Round keys whose training runs now. */
  get running(): string[] {
    return [...this.#jobs.keys()];
  }

  async train(request: TrainingRequest): Promise<TrainingResult> {
    const roundKey = roundKeyOf(request.task.federationId, request.task.roundId);
    const evaluation = await this.#evaluate(roundKey, request);
    if (this.#cancelled.delete(roundKey)) throw new TrainingCancelledError(roundKey, 0);
    const handle = startTrainingJob<DpRoundJobSpec, DpRoundJobResult>(jobModule, jobSpec(request), {
      onProgress: (progress) => request.onProgress?.(progress),
      executionProvider: this.#computeDevice(),
    });
    this.#jobs.set(roundKey, handle);
    const onAbort = () => handle.cancel();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await handle.result;
      if (result.cancelled) throw new TrainingCancelledError(roundKey, result.steps);
      return {
        update: result.update,
        numExamples: result.numExamples,
        // The training loss stays here: it is computed from the data without noise.
        metrics: { steps: result.steps },
        dpSteps: {
          noiseMultiplier: request.dp.noiseMultiplier,
          sampleRate: request.dp.sampleRate,
          steps: result.steps,
        },
        device: result.device,
        evaluation,
      };
    } finally {
      request.signal?.removeEventListener('abort', onAbort);
      this.#jobs.delete(roundKey);
      this.#cancelled.delete(roundKey);
    }
  }

  /** The global model as received, scored on the held-out part of the dataset (in a worker, like training). */
  async #evaluate(roundKey: string, request: TrainingRequest): Promise<HeldOutEvaluation | null> {
    const { dataFile, format, columns, training, globalModel } = jobSpec(request);
    const spec: HeldOutEvaluationJobSpec = { dataFile, format, columns, training, globalModel };
    const handle = startTrainingJob<HeldOutEvaluationJobSpec, HeldOutEvaluation | null>(evaluationModule, spec, {
      executionProvider: this.#computeDevice(),
    });
    this.#jobs.set(roundKey, handle);
    const onAbort = () => this.cancel(roundKey);
    request.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await handle.result;
    } finally {
      request.signal?.removeEventListener('abort', onAbort);
      this.#jobs.delete(roundKey);
    }
  }

  /** Stops a round's training after its current step (or before its first); false when none runs for it. */
  cancel(roundKey: string): boolean {
    const handle = this.#jobs.get(roundKey);
    if (!handle) return false;
    this.#cancelled.add(roundKey);
    handle.cancel();
    return true;
  }

  /** Stops every job at once (the node is closing): their rounds fail with that reason, nothing is sent. */
  async close(): Promise<void> {
    await Promise.all([...this.#jobs.values()].map((handle) => handle.terminate()));
    this.#jobs.clear();
  }
}

/** The node's trainer: each round trains on the device set under Settings → This workstation. */
export function engineLocalTrainerFor(db: SqliteDatabase): EngineLocalTrainer {
  return new EngineLocalTrainer({ computeDevice: () => readWorkstationSettings(db).computeDevice });
}

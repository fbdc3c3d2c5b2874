/**
 * The coordinator's evaluation on a test set it holds (`evaluation.testSet` in its configuration): each
 * aggregated global model is scored in a worker thread (onnxruntime blocks its thread, and this one serves
 * gRPC) and filed under the round that produced it, as site "coordinator". It runs beside the next round and
 * never holds it up; a failure is written to the round's log, and `idle()` lets a stopping coordinator wait.
 */
import { existsSync } from 'node:fs';
import { readSafetensorsFile } from '../../engine/codec/safetensors.ts';
import { startTrainingJob } from '../../engine/runtime/training-worker-host.ts';
import type { HeldOutEvaluation } from '../../engine/train/held-out-evaluation-job.ts';
import type { TestSetEvaluationJobSpec } from '../../engine/train/test-set-evaluation-job.ts';
import type { CoordinatorConfig } from '../config/coordinator-config.ts';
import type { RoundLog } from '../rounds/round-log.ts';
import type { CoordinatorStore } from '../store/coordinator-store.ts';
import { coordinatorSite, recordSiteMetrics } from '../store/evaluation-metrics.ts';
import type { CheckpointRow, RoundRow } from '../store/rows.ts';

const jobModule = new URL('../../engine/train/test-set-evaluation-job.ts', import.meta.url);

export type TestSet = NonNullable<NonNullable<CoordinatorConfig['evaluation']>['testSet']>;

/** Checked when the coordinator opens, not at the first aggregation an hour later. */
export function assertTestSetExists(testSet: TestSet): void {
  if (!existsSync(testSet.file)) throw new Error(`evaluation.testSet.file ${testSet.file} does not exist`);
}

export class TestSetEvaluator {
  readonly #config: CoordinatorConfig;
  readonly #testSet: TestSet;
  readonly #store: CoordinatorStore;
  readonly #log: RoundLog;
  readonly #running = new Set<Promise<void>>();

  constructor(config: CoordinatorConfig, testSet: TestSet, store: CoordinatorStore, log: RoundLog) {
    this.#config = config;
    this.#testSet = testSet;
    this.#store = store;
    this.#log = log;
  }

  /** Starts scoring the round's aggregated model; returns at once. */
  aggregated(round: RoundRow, checkpoint: CheckpointRow): void {
    const run = this.#evaluate(round, checkpoint).catch((error: unknown) => {
      this.#log.event(round.number, round.id, 'evaluation failed', {
        error: error instanceof Error ? error.message : String(error),
      });
    });
    this.#running.add(run);
    void run.finally(() => this.#running.delete(run));
  }

  /** Resolves once every evaluation started so far has been recorded (or has failed). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running]);
  }

  async #evaluate(round: RoundRow, checkpoint: CheckpointRow): Promise<void> {
    const model = await readSafetensorsFile(checkpoint.path, this.#config.model.spec);
    const spec: TestSetEvaluationJobSpec = {
      dataFile: this.#testSet.file,
      format: this.#testSet.format,
      columns: this.#testSet.columns,
      training: this.#config.training,
      model,
    };
    const handle = startTrainingJob<TestSetEvaluationJobSpec, HeldOutEvaluation>(jobModule, spec);
    const figures = await handle.result;
    const task = this.#config.task;
    const values = Object.entries(figures).map(([metric, value]) => ({ task, metric, value }));
    recordSiteMetrics(this.#store.db, round.id, coordinatorSite, values);
    this.#log.event(round.number, round.id, 'evaluated', { site: coordinatorSite, ...figures });
  }
}

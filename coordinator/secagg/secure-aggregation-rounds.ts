/**
 * The coordinator's secure-aggregation runs, one per round of a federation with `secureAggregation`
 * on. A run starts when participantsPerRound.max participants joined, or `joinSeconds` after the round
 * opened with at least participantsPerRound.min; its participants learn each stage from the stage-only
 * long poll and answer through the stage RPCs, the masked input as an ordinary (receipted) upload.
 *
 * What a participant submits is a vector of P + 1 coordinates: its update multiplied by its example
 * count, then the count itself. The coordinator thus learns Σ n_i Δ_i and Σ n_i — sums only — and
 * FedAvg's Σ n_i Δ_i / Σ n_i from them; the upload's own num_examples field is sent as 1.
 */
import { decodeSecAggMessage } from '../../engine/secagg/message-codec.ts';
import type { SecAggResponse } from '../../engine/secagg/messages.ts';
import type { SecAggStage } from '../../engine/secagg/errors.ts';
import { quantizationFor } from '../../engine/secagg/quantization.ts';
import { assertThresholdFits, minimumThreshold } from '../../engine/secagg/round-parameters.ts';
import type { NeighbourGraphSpec } from '../../engine/secagg/neighbour-graph.ts';
import { totalElements, unflatten } from '../../engine/tensor/parameter-set.ts';
import type { CoordinatorConfig } from '../config/coordinator-config.ts';
import type { CoordinatorStore } from '../store/coordinator-store.ts';
import type { RoundRow } from '../store/rows.ts';
import type { ClientResult } from '../strategies/strategy.ts';
import { SecureAggregationRun, type StageTask } from './secure-aggregation-run.ts';
import { ChangeSignal } from '../events/change-signal.ts';

/** Checked at start-up for a full round, so a bad threshold or degree is a config error, not a failed round. */
export function assertSecureAggregationOptions(config: CoordinatorConfig): void {
  const { graph, threshold } = config.secureAggregationOptions;
  const degree = graph === 'complete' ? config.participantsPerRound.max - 1 : graph.degree;
  try {
    assertThresholdFits(threshold ?? minimumThreshold(degree), degree);
  } catch (error) {
    throw new Error(`secureAggregationOptions: ${(error as Error).message}`, { cause: error });
  }
}

/** A lost long-poll answer is handed out again after this long. */
const redeliverMs = 5000;

export class SecureAggregationRounds {
  readonly #config: CoordinatorConfig;
  readonly #store: CoordinatorStore;
  readonly #runs = new Map<string, SecureAggregationRun>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #delivered = new Map<string, number>();
  readonly #changes = new ChangeSignal();
  readonly #failed = new Map<string, Error>();

  constructor(config: CoordinatorConfig, store: CoordinatorStore) {
    this.#config = config;
    this.#store = store;
    assertSecureAggregationOptions(config);
  }

  /** P + 1: the model's coordinates and the example count. */
  get vectorLength(): number {
    return totalElements(this.#config.model.spec) + 1;
  }

  run(roundId: string): SecureAggregationRun | undefined {
    return this.#runs.get(roundId);
  }

  /** Called on every join: starts the stages once the round is full, or arms the join timer. */
  joined(round: RoundRow): void {
    if (this.#runs.has(round.id) || this.#failed.has(round.id)) return;
    const assigned = this.#assigned(round.id);
    if (assigned.length >= this.#config.participantsPerRound.max) return this.#start(round.id, assigned);
    if (this.#timers.has(round.id)) return;
    const wait = round.openedAt + this.#config.secureAggregationOptions.joinSeconds * 1000 - Date.now();
    const timer = setTimeout(
      () => {
        const now = this.#assigned(round.id);
        if (!this.#runs.has(round.id) && now.length >= this.#config.participantsPerRound.min)
          this.#start(round.id, now);
      },
      Math.max(0, wait),
    );
    timer.unref();
    this.#timers.set(round.id, timer);
  }

  #assigned(roundId: string): string[] {
    return this.#store
      .assignments(roundId)
      .filter((assignment) => assignment.status === 'assigned')
      .map((assignment) => assignment.participantId);
  }

  #start(roundId: string, participantIds: readonly string[]): void {
    clearTimeout(this.#timers.get(roundId));
    this.#timers.delete(roundId);
    const options = this.#config.secureAggregationOptions;
    const graph: NeighbourGraphSpec =
      options.graph === 'complete' ? { kind: 'complete' } : { kind: 'k-regular', degree: options.graph.degree };
    const degree = graph.kind === 'complete' ? participantIds.length - 1 : graph.degree;
    const config = {
      roundId,
      participantIds,
      threshold: options.threshold ?? minimumThreshold(degree),
      graph,
      vectorLength: this.vectorLength,
      quantization: quantizationFor(options.clipRange, this.#config.participantsPerRound.max),
    };
    try {
      this.#runs.set(roundId, new SecureAggregationRun(config, options.stageSeconds, () => this.#changes.notify()));
    } catch (error) {
      // E.g. a threshold that does not fit this many participants: the round fails with the reason.
      this.#failed.set(roundId, error as Error);
    }
  }

  /** The first stage request waiting for this participant's answer (not re-sent within 5 s). */
  taskFor(participantId: string, now = Date.now()): StageTask | undefined {
    for (const run of this.#runs.values()) {
      const task = run.pendingFor(participantId);
      if (!task) continue;
      const key = `${participantId}/${task.roundId}/${task.stage}`;
      if (now - (this.#delivered.get(key) ?? 0) < redeliverMs) continue;
      this.#delivered.set(key, now);
      return task;
    }
    return undefined;
  }

  waitForChange(ms: number, signal?: AbortSignal): Promise<void> {
    return this.#changes.wait(ms, signal);
  }

  /** A stage answer arriving through its RPC, in engine/secagg's encoding. */
  receive(participantId: string, roundId: string, stage: SecAggStage, bytes: Uint8Array): void {
    const run = this.#runs.get(roundId);
    if (!run) throw new StageError('failed-precondition', `round "${roundId}" has no secure aggregation running`);
    if (run.stage !== stage)
      throw new StageError(
        'failed-precondition',
        `round "${roundId}" is in stage ${run.stage ?? 'none'}, not ${stage}`,
      );
    let response: SecAggResponse;
    try {
      response = decodeSecAggMessage(bytes) as SecAggResponse;
    } catch (error) {
      throw new StageError('invalid-argument', `the ${stage} answer does not decode: ${(error as Error).message}`);
    }
    // Each stage's answer kind is the stage's name.
    if (response.kind !== stage || response.roundId !== roundId)
      throw new StageError(
        'invalid-argument',
        `expected a ${stage} answer for round "${roundId}", got ${response.kind}`,
      );
    try {
      run.receive(participantId, response);
    } catch (error) {
      throw new StageError('invalid-argument', (error as Error).message);
    }
  }

  /** Before a masked upload begins: the participant must owe the round a masked input of P + 1 words. */
  checkMaskedUpload(roundId: string, participantId: string, totalBytes: number): void {
    const run = this.#runs.get(roundId);
    if (run?.stage !== 'masked-input' || !run.pendingFor(participantId))
      throw new StageError(
        'failed-precondition',
        `round "${roundId}" expects no masked input from this participant now`,
      );
    if (totalBytes !== this.vectorLength * 4)
      throw new StageError('invalid-argument', `a masked input has ${this.vectorLength * 4} bytes, got ${totalBytes}`);
  }

  /** The committed masked upload's bytes are this participant's masked-input answer. */
  receiveMaskedUpload(roundId: string, participantId: string, bytes: Uint8Array): void {
    const response = { kind: 'masked-input' as const, roundId, participantId, maskedInput: bytes };
    const run = this.#runs.get(roundId);
    if (!run) throw new StageError('failed-precondition', `round "${roundId}" has no secure aggregation running`);
    run.receive(participantId, response);
  }

  withdraw(roundId: string, participantId: string): void {
    this.#runs.get(roundId)?.withdraw(participantId);
  }

  /**
   * Closes the masked-input stage, runs unmask, and returns the round's one ClientResult: the mean
   * update Σ n_i Δ_i / Σ n_i weighted by Σ n_i. Undefined when the stages never started. Throws
   * SecAggAbortError when fewer than t survived.
   */
  async conclude(round: RoundRow): Promise<ClientResult | undefined> {
    clearTimeout(this.#timers.get(round.id));
    const failed = this.#failed.get(round.id);
    this.#failed.delete(round.id);
    if (failed) throw failed;
    const run = this.#runs.get(round.id);
    if (!run) return undefined;
    run.closeMaskedInput();
    try {
      const result = await run.result;
      const examples = Math.round(result.sum[result.sum.length - 1]!);
      if (!(examples >= 1)) throw new Error(`the securely summed example count ${examples} is not positive`);
      const mean = Float32Array.from(result.sum.subarray(0, result.sum.length - 1), (value) => value / examples);
      return {
        participantId: `secure-sum-of-${result.contributors.length}`,
        numExamples: examples,
        update: unflatten(this.#config.model.spec, mean),
      };
    } finally {
      this.#runs.delete(round.id);
    }
  }

  stop(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.#changes.notify();
  }
}

export class StageError extends Error {
  readonly code: 'failed-precondition' | 'invalid-argument';

  constructor(code: 'failed-precondition' | 'invalid-argument', message: string) {
    super(message);
    this.name = 'StageError';
    this.code = code;
  }
}

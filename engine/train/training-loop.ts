/**
 * The training loop: batches from a per-epoch iterator, one graph run per micro-batch (loss and
 * gradients out), optional accumulation and global-norm clipping, then the optimizer with the schedule's
 * rate. It reports progress after every update and yields to the event loop between steps, so a worker
 * thread can still receive pause and cancel messages. Given the same batches and a deterministic step it
 * is deterministic: no clocks or randomness touch the numbers.
 */
import { GradientAccumulator } from '../optim/accumulate.ts';
import { clipGlobalNorm, globalNorm } from '../optim/clip.ts';
import type { Optimizer } from '../optim/optimizer.ts';
import type { LearningRateSchedule } from '../optim/schedule.ts';
import type { TrainingProgress } from '../runtime/training-progress.ts';
import type { ParameterSet } from '../tensor/parameter-set.ts';
import type { TrainingControl } from '../runtime/training-control.ts';

export interface StepResult {
  loss: number;
  gradients: Map<string, Float32Array>;
}

export interface TrainingStep<Batch> {
  run(parameters: ParameterSet, batch: Batch): Promise<StepResult>;
}

export interface TrainingLoopOptions<Batch> {
  parameters: ParameterSet;
  step: TrainingStep<Batch>;
  optimizer: Optimizer;
  schedule: LearningRateSchedule;
  /** The batches of one epoch (0-based); shuffling, if any, is the iterator's, from a seed. */
  epochBatches: (epoch: number) => Iterable<Batch>;
  examplesIn: (batch: Batch) => number;
  epochs: number;
  /** Optimizer updates over the whole run: for the ETA and a stop once reached. */
  totalSteps: number;
  accumulationSteps?: number;
  maxGradientNorm?: number;
  control?: TrainingControl;
  onProgress?: (progress: TrainingProgress) => void;
  /** Called after each completed epoch; returning 'stop' ends the run there (early stopping). */
  onEpochEnd?: (epoch: number) => EpochVerdict | Promise<EpochVerdict>;
}

export type EpochVerdict = void | 'continue' | 'stop';

export interface TrainingOutcome {
  updates: number;
  examples: number;
  /** Mean loss of each update's examples, in order. */
  losses: number[];
  cancelled: boolean;
  /** Epochs run to their end. */
  epochs: number;
  /** True when onEpochEnd ended the run before its last epoch. */
  stoppedEarly: boolean;
  seconds: number;
  /** Time inside the step's graph runs; the rest of `seconds` is TypeScript work (batching, optimizer). */
  graphSeconds: number;
}

interface LoopState {
  updates: number;
  examples: number;
  losses: number[];
  graphSeconds: number;
  started: number;
  accumulator: GradientAccumulator;
  pendingLoss: number;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

/** One micro-batch per update (the usual case) skips the accumulator: no copies of the gradients. */
interface Ready {
  gradients: Map<string, Float32Array>;
  examples: number;
}

function applyUpdate<Batch>(options: TrainingLoopOptions<Batch>, state: LoopState, epoch: number, ready?: Ready): void {
  const examples = ready?.examples ?? state.accumulator.exampleCount;
  const gradients = ready?.gradients ?? state.accumulator.take();
  const norm = options.maxGradientNorm ? clipGlobalNorm(gradients, options.maxGradientNorm) : globalNorm(gradients);
  if (!Number.isFinite(norm))
    throw new Error(`gradient norm is ${norm} at step ${state.updates + 1}: the loss diverged`);
  const learningRate = options.schedule(state.updates);
  options.optimizer.step(options.parameters, gradients, learningRate);
  const loss = state.pendingLoss / examples;
  state.updates += 1;
  state.examples += examples;
  state.losses.push(loss);
  state.pendingLoss = 0;
  const elapsed = seconds(state.started);
  options.onProgress?.({
    step: state.updates,
    totalSteps: options.totalSteps,
    epoch,
    loss,
    learningRate,
    gradientNorm: norm,
    examplesPerSecond: state.examples / Math.max(elapsed, 1e-9),
    elapsedSeconds: elapsed,
    etaSeconds: (elapsed / state.updates) * Math.max(0, options.totalSteps - state.updates),
  });
}

async function runEpoch<Batch>(options: TrainingLoopOptions<Batch>, state: LoopState, epoch: number): Promise<boolean> {
  const perUpdate = options.accumulationSteps ?? 1;
  for (const batch of options.epochBatches(epoch)) {
    await yieldToEventLoop();
    await options.control?.waitWhilePaused();
    if (options.control?.isCancelled) return false;
    const graphStart = performance.now();
    const result = await options.step.run(options.parameters, batch);
    state.graphSeconds += seconds(graphStart);
    if (!Number.isFinite(result.loss)) throw new Error(`loss is ${result.loss} at step ${state.updates + 1}`);
    const examples = options.examplesIn(batch);
    state.pendingLoss += result.loss * examples;
    if (perUpdate === 1) applyUpdate(options, state, epoch, { gradients: result.gradients, examples });
    else {
      state.accumulator.add(result.gradients, examples);
      if (state.accumulator.microBatches === perUpdate) applyUpdate(options, state, epoch);
    }
    if (state.updates >= options.totalSteps) return true;
  }
  // A partial accumulation at the end of an epoch still makes an update rather than being dropped.
  if (state.accumulator.microBatches > 0) applyUpdate(options, state, epoch);
  return true;
}

export async function runTrainingLoop<Batch>(options: TrainingLoopOptions<Batch>): Promise<TrainingOutcome> {
  const perUpdate = options.accumulationSteps ?? 1;
  if (!(Number.isInteger(perUpdate) && perUpdate >= 1)) {
    throw new Error(`accumulationSteps must be a positive integer, got ${perUpdate}`);
  }
  const state: LoopState = {
    updates: 0,
    examples: 0,
    losses: [],
    graphSeconds: 0,
    started: performance.now(),
    accumulator: new GradientAccumulator(),
    pendingLoss: 0,
  };
  let cancelled = false;
  let epochs = 0;
  let stoppedEarly = false;
  for (let epoch = 0; epoch < options.epochs && state.updates < options.totalSteps; epoch++) {
    cancelled = !(await runEpoch(options, state, epoch));
    if (cancelled) break;
    epochs += 1;
    const verdict = await options.onEpochEnd?.(epoch);
    if (verdict === 'stop') {
      stoppedEarly = epoch + 1 < options.epochs && state.updates < options.totalSteps;
      break;
    }
  }
  const { updates, examples, losses, graphSeconds } = state;
  const elapsed = seconds(state.started);
  return { updates, examples, losses, cancelled, epochs, stoppedEarly, seconds: elapsed, graphSeconds };
}

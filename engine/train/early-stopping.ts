/**
 * Early stopping with best-epoch selection: after every epoch the run is evaluated on its held-out split, the
 * parameters of the epoch with the lowest held-out loss are kept, and training stops once `patience` epochs in a
 * row have not improved on it. The run then ends with the best epoch's parameters, so a model that memorises its
 * training data late in a run is not the one that is saved. Nothing here draws random numbers: the choice
 * depends only on the losses, so a seeded run stays reproducible bit for bit.
 */
import type { OptimizerState } from '../optim/optimizer.ts';
import type { Float32Tensor } from '../tensor/parameter-set.ts';
import type { EpochVerdict } from './training-loop.ts';

/** One point of the held-out curve (epochs count from 1). */
export interface HeldOutEpoch {
  epoch: number;
  /** Mean training loss of the epoch's updates. */
  trainLoss: number;
  /** The monitored loss: each task's held-out cross-entropy times its weight, summed. */
  heldOutLoss: number;
  /** Held-out metrics per task (accuracy, macro-F1, …). */
  tasks: Record<string, Record<string, number>>;
  /** This epoch is the best so far. */
  improved: boolean;
}

export interface EarlyStoppingReport {
  patience: number;
  bestEpoch: number;
  bestHeldOutLoss: number;
  epochsRun: number;
  stoppedEarly: boolean;
  /** Why the run ended where it did, in words. */
  reason: string;
  curve: HeldOutEpoch[];
}

function copyParameters(params: ReadonlyMap<string, Float32Tensor>): Map<string, Float32Tensor> {
  return new Map([...params].map(([name, value]) => [name, { shape: [...value.shape], data: value.data.slice() }]));
}

export class EarlyStopping {
  readonly curve: HeldOutEpoch[] = [];
  private best: Map<string, Float32Tensor> | undefined;
  private bestOptimizer: OptimizerState | undefined;
  private bestLoss = Infinity;
  private bestEpoch = 0;
  private epochLosses: number[] = [];

  readonly patience: number;

  constructor(patience: number) {
    this.patience = patience;
    if (!(Number.isInteger(patience) && patience >= 1))
      throw new Error(`patience must be a positive integer, got ${patience}`);
  }

  /** Every update's training loss, so each point of the curve shows its epoch's mean. */
  recordUpdateLoss(loss: number): void {
    this.epochLosses.push(loss);
  }

  /**
   * Records one epoch's held-out loss; keeps a copy of the parameters (and, when given, the optimizer's state)
   * when it improves. Says 'stop' once `patience` epochs have passed without improvement.
   */
  observe(
    heldOut: { loss: number; tasks: HeldOutEpoch['tasks'] },
    params: ReadonlyMap<string, Float32Tensor>,
    optimizerState?: () => OptimizerState,
  ): EpochVerdict {
    const epoch = this.curve.length + 1;
    const trainLoss = this.epochLosses.reduce((sum, loss) => sum + loss, 0) / Math.max(1, this.epochLosses.length);
    this.epochLosses = [];
    const improved = heldOut.loss < this.bestLoss;
    if (improved) {
      this.bestLoss = heldOut.loss;
      this.bestEpoch = epoch;
      this.best = copyParameters(params);
      this.bestOptimizer = optimizerState?.();
    }
    this.curve.push({ epoch, trainLoss, heldOutLoss: heldOut.loss, tasks: heldOut.tasks, improved });
    return epoch - this.bestEpoch >= this.patience ? 'stop' : 'continue';
  }

  /** Puts the best epoch's values back into `params`; returns the optimizer state saved with them. */
  restoreBest(params: Map<string, Float32Tensor>): OptimizerState | undefined {
    if (this.best) for (const [name, value] of this.best) params.set(name, value);
    return this.bestOptimizer;
  }

  report(stoppedEarly: boolean): EarlyStoppingReport {
    const epochsRun = this.curve.length;
    const reason = stoppedEarly
      ? `held-out loss did not improve for ${this.patience} epochs after epoch ${this.bestEpoch}; kept epoch ${this.bestEpoch}`
      : `ran every epoch (${epochsRun}); kept epoch ${this.bestEpoch}, the lowest held-out loss`;
    return {
      patience: this.patience,
      bestEpoch: this.bestEpoch,
      bestHeldOutLoss: this.bestLoss,
      epochsRun,
      stoppedEarly,
      reason,
      curve: this.curve,
    };
  }
}

/**
 * What a running training job reports after each step. The worker protocol, the CLI's progress bar and the
 * participant's round all carry this one shape; `loss` is NaN until a step has measured one.
 */
export interface TrainingProgress {
  readonly step: number;
  readonly totalSteps: number;
  readonly epoch: number;
  readonly loss: number;
  readonly learningRate: number;
  readonly gradientNorm: number;
  readonly examplesPerSecond: number;
  readonly elapsedSeconds: number;
  readonly etaSeconds: number;
  /** Metrics measured along the way (held-out accuracy, F1…), by name, where the job measures any. */
  readonly metrics?: Readonly<Record<string, number>>;
}

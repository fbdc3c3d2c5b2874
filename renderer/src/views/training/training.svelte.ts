/**
 * The Training view's state, fed by training.progress and round.state events: the loss and metric curves of
 * the round being trained, its progress and an ETA from the pace so far.
 */
import type { EventOf } from '../../../../preload/contract.ts';
import { unique } from '../../lib/unique.ts';

type Progress = EventOf<'training.progress'>;
type RoundState = EventOf<'round.state'>;

export interface TrainingPoint {
  step: number;
  loss: number | undefined;
  metrics: Record<string, number>;
}

export class TrainingController {
  readonly now: () => number;
  roundKey = $state<string | undefined>(undefined);
  roundLabel = $state('');
  points = $state<TrainingPoint[]>([]);
  step = $state(0);
  totalSteps = $state(0);
  startedAt = $state(0);
  updatedAt = $state(0);
  phase = $state<'idle' | 'training' | 'finished'>('idle');
  announcement = $state('');
  fraction = $derived(this.totalSteps > 0 ? this.step / this.totalSteps : 0);
  metricNames = $derived(unique(this.points.flatMap((point) => Object.keys(point.metrics))));
  lastLoss = $derived(this.points.findLast((point) => point.loss !== undefined)?.loss);

  constructor(now: () => number = () => Date.now()) {
    this.now = now;
  }

  /** Seconds left at the pace so far; undefined until two steps give a pace. */
  get etaSeconds(): number | undefined {
    if (this.phase !== 'training' || this.step < 1 || this.updatedAt <= this.startedAt) return undefined;
    const perStep = (this.updatedAt - this.startedAt) / 1000 / this.step;
    return perStep * (this.totalSteps - this.step);
  }

  onProgress(event: Progress): void {
    if (event.roundKey !== this.roundKey) this.#start(event.roundKey);
    this.step = event.step;
    this.totalSteps = event.totalSteps;
    this.updatedAt = this.now();
    this.points.push({ step: event.step, loss: event.loss, metrics: { ...event.metrics } });
    if (event.step >= event.totalSteps) {
      this.phase = 'finished';
      this.announcement = `Training of ${this.roundLabel} finished.`;
    }
  }

  onRoundState(event: RoundState): void {
    if (event.state === 'training' && event.roundKey !== this.roundKey) this.#start(event.roundKey);
    if (event.roundKey !== this.roundKey) return;
    if (event.state === 'failed') {
      this.phase = 'finished';
      this.announcement = `Training of ${this.roundLabel} failed: ${event.reason ?? 'no reason given'}.`;
    } else if (event.state !== 'training' && this.phase === 'training') {
      this.phase = 'finished';
      this.announcement = `Training of ${this.roundLabel} finished.`;
    }
  }

  #start(roundKey: string): void {
    this.roundKey = roundKey;
    const [federation, round] = roundKey.split('/');
    this.roundLabel = round ? `${round} of ${federation}` : roundKey;
    this.points = [];
    this.step = 0;
    this.totalSteps = 0;
    this.startedAt = this.now();
    this.updatedAt = this.startedAt;
    this.phase = 'training';
    this.announcement = `Training of ${this.roundLabel} started.`;
  }
}

/**
 * The Training view's state, fed by training.progress and round.state events: the loss and metric curves of
 * the round being trained, its progress and an ETA from the pace so far.
 */
import type { EventOf, ParticipantApi } from '../../../../preload/contract.ts';
import { errorMessage } from '../../lib/format.ts';
import { unique } from '../../lib/unique.ts';

type Progress = EventOf<'training.progress'>;
type RoundState = EventOf<'round.state'>;

export interface TrainingPoint {
  step: number;
  loss: number | undefined;
  metrics: Record<string, number>;
}

type CancelApi = Pick<ParticipantApi, 'training.cancel'>;

export class TrainingController {
  readonly now: () => number;
  readonly api: CancelApi | undefined;
  /** The trainer's own estimate, when it gives one (it knows its batch times better than we do). */
  reportedEta = $state<number | undefined>(undefined);
  cancelError = $state<string | undefined>(undefined);
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

  constructor(now: () => number = () => Date.now(), api?: CancelApi) {
    this.now = now;
    this.api = api;
  }

  /** Stops the local training of the round shown; nothing is sent for a cancelled round. */
  async cancel(): Promise<void> {
    if (!this.api || !this.roundKey || this.phase !== 'training') return;
    try {
      await this.api['training.cancel']({ roundKey: this.roundKey });
      this.cancelError = undefined;
      this.announcement = `Stopping the training of ${this.roundLabel}…`;
    } catch (error) {
      this.cancelError = errorMessage(error);
    }
  }

  /** Seconds left at the pace so far; undefined until two steps give a pace. */
  get etaSeconds(): number | undefined {
    if (this.phase !== 'training') return undefined;
    if (this.reportedEta !== undefined) return this.reportedEta;
    if (this.step < 1 || this.updatedAt <= this.startedAt) return undefined;
    const perStep = (this.updatedAt - this.startedAt) / 1000 / this.step;
    return perStep * (this.totalSteps - this.step);
  }

  onProgress(event: Progress): void {
    if (event.roundKey !== this.roundKey) this.#start(event.roundKey);
    this.step = event.step;
    this.totalSteps = event.totalSteps;
    this.updatedAt = this.now();
    this.reportedEta = event.etaSeconds;
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

/**
 * Every view's controller, created once for the app's life (so training curves keep growing while another
 * view is shown), and the wiring of the participant's events to them.
 */
import type { ParticipantApi } from '../../preload/contract.ts';
import type { Subscribe } from './api.ts';
import { AppInfoController } from './app-info.svelte.ts';
import type { ViewId } from './navigation.svelte.ts';
import { AuditController } from './views/audit/audit.svelte.ts';
import { DatasetsController } from './views/datasets/datasets.svelte.ts';
import { OverviewController } from './views/overview/overview.svelte.ts';
import { PrivacyController } from './views/privacy/privacy.svelte.ts';
import { RoundsController } from './views/rounds/rounds.svelte.ts';
import { SettingsController } from './views/settings/settings.svelte.ts';
import { EnrolmentController } from './views/settings/enrolment.svelte.ts';
import { TrainingController } from './views/training/training.svelte.ts';

export class AppControllers {
  readonly appInfo = new AppInfoController();
  readonly overview: OverviewController;
  readonly datasets: DatasetsController;
  readonly privacy: PrivacyController;
  readonly rounds: RoundsController;
  readonly training: TrainingController;
  readonly audit: AuditController;
  readonly settings: SettingsController;
  readonly enrolment: EnrolmentController;
  readonly api: ParticipantApi;
  /** Announced app-wide (a live region in the shell): a contribution waiting, a round finished. */
  announcement = $state('');
  waitingApprovals = $state(0);

  constructor(api: ParticipantApi) {
    this.api = api;
    this.training = new TrainingController(() => Date.now(), api);
    this.overview = new OverviewController(api);
    this.datasets = new DatasetsController(api);
    this.privacy = new PrivacyController(api);
    this.rounds = new RoundsController(api);
    this.audit = new AuditController(api);
    this.settings = new SettingsController(api);
    this.enrolment = new EnrolmentController(api);
  }

  /** Loads what a view shows, each time it is opened (the participant may have moved on meanwhile). */
  async show(view: ViewId): Promise<void> {
    const loaders: Record<ViewId, () => Promise<void>> = {
      overview: () => this.overview.load(),
      datasets: () => this.datasets.load(),
      privacy: () => this.privacy.load(),
      rounds: () => this.rounds.load(),
      training: async () => undefined,
      audit: () => this.audit.load(),
      settings: async () => void (await Promise.all([this.settings.load(), this.enrolment.load()])),
    };
    await Promise.all([loaders[view](), this.refreshWaiting()]);
  }

  setWaiting(count: number): void {
    this.waitingApprovals = count;
    const who = count === 1 ? 'A contribution awaits' : `${count} contributions await`;
    this.announcement = count === 0 ? '' : `${who} your approval.`;
  }

  /** A decision (here, in another window or by policy) changes what waits: ask rather than count events. */
  async refreshWaiting(): Promise<void> {
    const pending = await this.api['approvals.pending']({}).catch(() => undefined);
    if (pending) this.setWaiting(pending.length);
  }

  /** "Round 3 of Sentiment consortium" rather than the ids the events carry. */
  async nameTrainingRound(roundKey: string): Promise<void> {
    const [rounds, federations] = await Promise.all([
      this.api['rounds.list']({}),
      this.api['federations.list']({}),
    ]).catch(() => [[], []] as const);
    const round = rounds.find((candidate) => candidate.roundKey === roundKey);
    const federation = federations.find((candidate) => candidate.id === round?.federationId);
    if (round && this.training.roundKey === roundKey) {
      this.training.roundLabel = `round ${round.roundNumber} of ${federation?.name ?? round.federationId}`;
    }
  }

  /** Subscribes the controllers to the participant's events; returns the unsubscribe function. */
  connect(subscribe: Subscribe, current: () => ViewId): () => void {
    const stops = [
      subscribe('training.progress', (event) => {
        const isNew = event.roundKey !== this.training.roundKey;
        this.training.onProgress(event);
        if (isNew) void this.nameTrainingRound(event.roundKey);
      }),
      subscribe('round.state', (event) => {
        const isNew = event.roundKey !== this.training.roundKey;
        this.training.onRoundState(event);
        if (isNew && event.roundKey === this.training.roundKey) void this.nameTrainingRound(event.roundKey);
        void this.show(current());
      }),
      subscribe('federation.state', () => {
        if (current() === 'overview') void this.overview.load();
      }),
      subscribe('approvals.waiting', (event) => {
        this.waitingApprovals = event.count;
        this.announcement =
          event.count === 0
            ? ''
            : `${event.count === 1 ? 'A contribution awaits' : `${event.count} contributions await`} your approval.`;
        void this.show(current());
      }),
    ];
    return () => stops.forEach((stop) => stop());
  }
}

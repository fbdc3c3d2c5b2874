/**
 * The round state machine: open (waiting for participants) → collecting (enough joined, uploads arrive)
 * → aggregating → closed. Deadline-driven: at the deadline a round with at least the minimum number of
 * committed updates is aggregated, one with fewer closes as "too_few_updates" and is tried again from the
 * same global model. A round also closes early once everyone who joined has answered. All state lives in
 * the store, so a restarted coordinator resumes the current round, its deadline and its uploads.
 */
import { ensureInitialCheckpoint } from '../checkpoints/initial-checkpoint.ts';
import { ChangeSignal } from '../events/change-signal.ts';
import type { SecureAggregationRounds } from '../secagg/secure-aggregation-rounds.ts';
import type { RoundRow } from '../store/rows.ts';
import { closePlainRound } from './close-plain-round.ts';
import { closeSecureRound } from './close-secure-round.ts';
import { openRound } from './round-closing.ts';
import type { RoundServices } from './round-closing.ts';

export interface RoundMachineOptions extends RoundServices {
  /** Present when the federation aggregates securely: rounds then close through it. */
  readonly secure?: SecureAggregationRounds;
}

export class RoundMachine {
  readonly #options: RoundMachineOptions;
  readonly #changes = new ChangeSignal();
  #timer: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;
  #stopped = false;

  constructor(options: RoundMachineOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    const { store, strategy, config, checkpointsDir } = this.#options;
    const saved = store.setting('strategy_state');
    if (saved !== undefined) strategy.restoreState(JSON.parse(saved));
    await ensureInitialCheckpoint(store, config, checkpointsDir);
    const latest = store.latestRound();
    if (!latest) store.insertRound(openRound(store, config, 1));
    else if (latest.state === 'aggregating') await this.#close(latest);
    this.#arm();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#options.secure?.stop();
    this.#changes.notify();
  }

  /** Resolves when rounds close or change; a pending close finishes first. */
  async idle(): Promise<void> {
    await this.#closing;
  }

  current(): RoundRow | undefined {
    const latest = this.#options.store.latestRound();
    return latest && (latest.state === 'open' || latest.state === 'collecting') ? latest : undefined;
  }

  finished(): boolean {
    const latest = this.#options.store.latestRound();
    return latest?.state === 'closed' && this.#options.store.checkpoint(this.#options.config.rounds) !== undefined;
  }

  /** The round this participant should work on now, assigning it when there is room; else undefined. */
  assign(participantId: string, now = Date.now()): RoundRow | undefined {
    const { store, config, log } = this.#options;
    const round = this.current();
    if (!round || now >= round.deadlineAt) return undefined;
    const assignments = store.assignments(round.id);
    const mine = assignments.find((assignment) => assignment.participantId === participantId);
    if (mine) return mine.status === 'assigned' ? round : undefined;
    // Once the secure-aggregation stages started, a newcomer could not take part in them.
    if (this.#options.secure?.run(round.id)) return undefined;
    if (assignments.length >= config.participantsPerRound.max) return undefined;
    store.setAssignment(round.id, participantId, 'assigned');
    log.event(round.number, round.id, 'joined', { participantId });
    if (round.state === 'open' && assignments.length + 1 >= config.participantsPerRound.min) {
      store.setRoundState(round.id, 'collecting');
      log.event(round.number, round.id, 'collecting');
    }
    const joined = store.round(round.id)!;
    this.#options.secure?.joined(joined);
    return joined;
  }

  /** Called after a commit or a decline: closes the round early once everyone who joined has answered. */
  settle(roundId: string): void {
    const { store, config } = this.#options;
    const round = this.current();
    if (!round || round.id !== roundId) return;
    const assignments = store.assignments(round.id);
    const committed = assignments.filter((assignment) => assignment.status === 'committed').length;
    const waiting = assignments.some((assignment) => assignment.status === 'assigned');
    const full = assignments.length >= Math.min(config.participantsPerRound.max, store.participantCount());
    if (!waiting && full && committed >= config.participantsPerRound.min) this.#beginClose(round);
    this.#changes.notify();
  }

  /** Waits until something changes (a round opens or closes) or `ms` pass. */
  waitForChange(ms: number, signal?: AbortSignal): Promise<void> {
    return this.#changes.wait(ms, signal);
  }

  #arm(): void {
    clearTimeout(this.#timer);
    const round = this.current();
    if (!round || this.#stopped) return;
    this.#options.log.event(round.number, round.id, 'armed', { deadline: new Date(round.deadlineAt).toISOString() });
    this.#timer = setTimeout(() => this.#beginClose(round), Math.max(0, round.deadlineAt - Date.now()));
  }

  #beginClose(round: RoundRow): void {
    if (this.#closing || this.#stopped) return;
    clearTimeout(this.#timer);
    this.#closing = this.#close(round)
      .catch((error: unknown) => {
        this.#options.log.event(round.number, round.id, 'aggregation_failed', { error: (error as Error).message });
      })
      .finally(() => {
        this.#closing = undefined;
        this.#arm();
        this.#changes.notify();
      });
  }

  #close(round: RoundRow): Promise<void> {
    const { secure } = this.#options;
    return secure ? closeSecureRound(round, this.#options, secure) : closePlainRound(round, this.#options);
  }
}

/**
 * The Privacy view's state: each dataset's (ε, δ) budget and ledger, ε spent per round for the chart,
 * the projected spend of the next round (with the DP parameters of the last one), and setting a budget.
 */
import type { BudgetStatus, DatasetView, ParticipantApi } from '../../../../preload/contract.ts';
import { errorMessage, formatDelta, formatEpsilon } from '../../lib/format.ts';

type PrivacyApi = Pick<ParticipantApi, 'datasets.list' | 'budget.show' | 'budget.set' | 'budget.project'>;

export interface DatasetBudget {
  dataset: DatasetView;
  budget: BudgetStatus | undefined;
  next: { epsilonRound: number; epsilonAfter: number; withinBudget: boolean } | undefined;
}

export interface SpendSeries {
  labels: string[];
  perRound: number[];
  cumulative: number[];
}

/** One point per ledger entry (a round), in ledger order. */
export function spendSeries(budget: BudgetStatus | undefined): SpendSeries {
  const entries = [...(budget?.entries ?? [])].sort((a, b) => a.seq - b.seq);
  return {
    labels: entries.map((entry, index) => `Round ${index + 1}`),
    perRound: entries.map((entry) => entry.epsilonRound),
    cumulative: entries.map((entry) => entry.epsilonAfter),
  };
}

export class PrivacyController {
  readonly api: PrivacyApi;
  items = $state<DatasetBudget[]>([]);
  loaded = $state(false);
  error = $state<string | undefined>(undefined);
  status = $state('');
  selectedId = $state<string | undefined>(undefined);
  epsilonInput = $state('');
  deltaInput = $state('1e-5');
  selected = $derived(this.items.find((item) => item.dataset.id === this.selectedId) ?? this.items[0]);
  series = $derived(spendSeries(this.selected?.budget));

  constructor(api: PrivacyApi) {
    this.api = api;
  }

  async load(): Promise<void> {
    try {
      const datasets = await this.api['datasets.list']({});
      this.items = await Promise.all(datasets.map((dataset) => this.#budgetOf(dataset)));
      this.error = undefined;
    } catch (error) {
      this.error = errorMessage(error);
    }
    this.loaded = true;
  }

  select(id: string): void {
    this.selectedId = id;
    const budget = this.items.find((item) => item.dataset.id === id)?.budget;
    if (budget) {
      this.epsilonInput = String(budget.epsilon);
      this.deltaInput = String(budget.delta);
    }
  }

  /** Checks the inputs before asking: a budget is a positive ε and a δ strictly between 0 and 1. */
  validationError(): string | undefined {
    const epsilon = Number(this.epsilonInput);
    const delta = Number(this.deltaInput);
    if (this.epsilonInput.trim() === '' || !Number.isFinite(epsilon) || epsilon <= 0)
      return 'ε must be a number above 0.';
    if (!Number.isFinite(delta) || delta <= 0 || delta >= 1) return 'δ must be a number between 0 and 1, such as 1e-5.';
    return undefined;
  }

  async setBudget(): Promise<void> {
    const datasetId = this.selected?.dataset.id;
    this.error = datasetId ? this.validationError() : 'Register a dataset first.';
    if (this.error || !datasetId) return;
    try {
      const budget = await this.api['budget.set']({
        datasetId,
        epsilon: Number(this.epsilonInput),
        delta: Number(this.deltaInput),
      });
      this.status = `Budget of ${this.selected?.dataset.name} set to ${formatEpsilon(budget.epsilon)}, ${formatDelta(budget.delta)}.`;
      this.selectedId = datasetId;
      await this.load();
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  async #budgetOf(dataset: DatasetView): Promise<DatasetBudget> {
    let budget: BudgetStatus | undefined;
    try {
      budget = await this.api['budget.show']({ datasetId: dataset.id });
    } catch {
      return { dataset, budget: undefined, next: undefined };
    }
    const last = budget.entries.at(-1);
    if (!last) return { dataset, budget, next: undefined };
    const { noiseMultiplier, sampleRate, steps } = last;
    const next = await this.api['budget.project']({ datasetId: dataset.id, noiseMultiplier, sampleRate, steps });
    return { dataset, budget, next };
  }
}

/**
 * The Overview's state: the federations this workstation takes part in, the current and latest rounds, and
 * what needs a person's attention (a contribution awaiting approval, a budget running low, a changed dataset).
 */
import type { DatasetView, FederationView, ParticipantApi } from '../../../../preload/contract.ts';
import { errorMessage, formatEpsilon } from '../../lib/format.ts';

type OverviewApi = Pick<ParticipantApi, 'federations.list' | 'approvals.pending' | 'datasets.list' | 'budget.show'>;

export interface Alert {
  kind: 'approval' | 'budget' | 'dataset';
  message: string;
  view: 'rounds' | 'privacy' | 'datasets';
}

/** A budget with less than this share left is flagged: one more round may not fit. */
export const lowBudgetShare = 0.2;

export class OverviewController {
  readonly api: OverviewApi;
  federations = $state<FederationView[]>([]);
  alerts = $state<Alert[]>([]);
  datasets = $state<DatasetView[]>([]);
  loaded = $state(false);
  error = $state<string | undefined>(undefined);
  enrolled = $derived(this.federations.length > 0);

  constructor(api: OverviewApi) {
    this.api = api;
  }

  async load(): Promise<void> {
    try {
      const [federations, pending, datasets] = await Promise.all([
        this.api['federations.list']({}),
        this.api['approvals.pending']({}),
        this.api['datasets.list']({}),
      ]);
      this.federations = federations;
      this.datasets = datasets;
      const alerts: Alert[] = [];
      if (pending.length > 0) {
        const what = pending.length === 1 ? '1 contribution awaits' : `${pending.length} contributions await`;
        alerts.push({ kind: 'approval', message: `${what} your approval.`, view: 'rounds' });
      }
      for (const dataset of datasets) alerts.push(...(await this.#datasetAlerts(dataset)));
      this.alerts = alerts;
      this.error = undefined;
    } catch (error) {
      this.error = errorMessage(error);
    }
    this.loaded = true;
  }

  async #datasetAlerts(dataset: DatasetView): Promise<Alert[]> {
    const alerts: Alert[] = [];
    if (dataset.status === 'changed') {
      const message = `Dataset ${dataset.name} changed on disk: re-confirm it before it is trained on.`;
      alerts.push({ kind: 'dataset', message, view: 'datasets' });
    }
    const budget = await this.api['budget.show']({ datasetId: dataset.id }).catch(() => undefined);
    if (!budget) {
      alerts.push({ kind: 'budget', message: `Dataset ${dataset.name} has no privacy budget yet.`, view: 'privacy' });
    } else if (budget.remaining < budget.epsilon * lowBudgetShare) {
      const left = `${formatEpsilon(budget.remaining)} of ${formatEpsilon(budget.epsilon)} left`;
      alerts.push({ kind: 'budget', message: `Privacy budget of ${dataset.name} is low: ${left}.`, view: 'privacy' });
    }
    return alerts;
  }
}

/**
 * The Settings view's state: the workstation's settings (compute device, start at login, payload retention,
 * dataset folders)
 * and each federation's consent policy (ask a person, or approve automatically within written limits).
 */
import type {
  ConsentPolicyView,
  ManagedSettings,
  ParticipantApi,
  WorkstationSettings,
} from '../../../../preload/contract.ts';
import { errorMessage } from '../../lib/format.ts';

type SettingsApi = Pick<
  ParticipantApi,
  | 'settings.get'
  | 'settings.set'
  | 'settings.managed'
  | 'consent.policy.get'
  | 'consent.policy.set'
  | 'federations.list'
>;

export interface PolicyForm {
  mode: 'ask' | 'auto';
  maxEpsilonRound: string;
  maxUpdateNorm: string;
  /** Send each round's held-out evaluation to the coordinator (computed without noise). */
  shareMetrics: boolean;
}

export function policyToForm(policy: ConsentPolicyView): PolicyForm {
  return {
    mode: policy.mode,
    maxEpsilonRound: policy.limits.maxEpsilonRound?.toString() ?? '',
    maxUpdateNorm: policy.limits.maxUpdateNorm?.toString() ?? '',
    shareMetrics: policy.metrics !== 'withhold',
  };
}

/** Empty limit fields mean "no limit"; anything else must be a positive number. */
export function policyFromForm(form: PolicyForm): ConsentPolicyView | string {
  const limits: ConsentPolicyView['limits'] = {};
  for (const key of ['maxEpsilonRound', 'maxUpdateNorm'] as const) {
    const raw = form[key].trim();
    if (raw === '') continue;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) {
      return `${key === 'maxEpsilonRound' ? 'The ε limit per round' : 'The update norm limit'} must be a number above 0.`;
    }
    limits[key] = value;
  }
  return { mode: form.mode, limits, metrics: form.shareMetrics ? 'share' : 'withhold' };
}

/** The dataset folders field: one absolute path per line; blank lines are dropped. */
export function foldersFromText(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

export class SettingsController {
  readonly api: SettingsApi;
  settings = $state<WorkstationSettings | undefined>(undefined);
  federations = $state<{ id: string; name: string }[]>([]);
  federationId = $state('');
  policy = $state<PolicyForm>({ mode: 'ask', maxEpsilonRound: '', maxUpdateNorm: '', shareMetrics: true });
  error = $state<string | undefined>(undefined);
  status = $state('');
  /** What the institution's managed policy fixes; those fields are shown disabled, with a note. */
  managed = $state<ManagedSettings | undefined>(undefined);

  constructor(api: SettingsApi) {
    this.api = api;
  }

  /** Whether the managed policy fixes this setting (the field is disabled). */
  isLocked(setting: keyof WorkstationSettings): boolean {
    return this.managed?.locked.includes(setting) ?? false;
  }

  /** The note under a locked field, naming the policy file; undefined when the setting is the person's. */
  lockNote(setting: keyof WorkstationSettings): string | undefined {
    return this.isLocked(setting) ? `Set by your institution's policy (${this.managed?.policyFile}).` : undefined;
  }

  /** The managed caps on the limits below, in words; undefined when the policy sets none. */
  get managedLimitsNote(): string | undefined {
    const consent = this.managed?.consent;
    const caps = [
      consent?.maxEpsilonRound === undefined ? '' : `ε per round at most ${consent.maxEpsilonRound}`,
      consent?.maxUpdateNorm === undefined ? '' : `update norm at most ${consent.maxUpdateNorm}`,
    ].filter((cap) => cap !== '');
    return caps.length === 0
      ? undefined
      : `Your institution's policy (${this.managed?.policyFile}) sets ${caps.join(' and ')}.`;
  }

  /** False when the managed policy has every contribution wait for a person. */
  get automaticApprovalAllowed(): boolean {
    return this.managed?.consent?.automaticApproval ?? true;
  }

  async load(): Promise<void> {
    try {
      this.settings = await this.api['settings.get']({});
      this.managed = await this.api['settings.managed']({});
      const federations = await this.api['federations.list']({});
      this.federations = federations.map(({ id, name }) => ({ id, name }));
      if (!this.federationId && this.federations[0]) await this.selectFederation(this.federations[0].id);
      this.error = undefined;
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  async update(change: Partial<WorkstationSettings>): Promise<void> {
    try {
      this.settings = await this.api['settings.set'](change);
      this.status = 'Settings saved.';
      this.error = undefined;
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  async selectFederation(federationId: string): Promise<void> {
    this.federationId = federationId;
    if (!federationId.trim()) return;
    try {
      this.policy = policyToForm(await this.api['consent.policy.get']({ federationId: federationId.trim() }));
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  async savePolicy(): Promise<void> {
    const federationId = this.federationId.trim();
    const policy = policyFromForm(this.policy);
    if (!federationId) this.error = 'Name the federation the policy is for.';
    else if (typeof policy === 'string') this.error = policy;
    else {
      try {
        this.policy = policyToForm(await this.api['consent.policy.set']({ federationId, policy }));
        const name = this.federations.find((federation) => federation.id === federationId)?.name ?? federationId;
        this.status =
          policy.mode === 'ask'
            ? `Every contribution to ${name} waits for a person's approval.`
            : `Contributions to ${name} within the limits are approved by this policy.`;
        this.error = undefined;
      } catch (error) {
        this.error = errorMessage(error);
      }
    }
  }
}

/** The managed policy as the contract shows it to the renderer: what is locked and by which file. */
import type { ManagedSettings } from '../../../preload/contract.ts';
import type { ManagedPolicy } from './managed-policy-schema.ts';
import { lockedSettingNames } from './managed-settings.ts';

export function managedSettingsView(policy: ManagedPolicy | undefined): ManagedSettings {
  const consent = policy?.consent;
  return {
    policyFile: policy?.file ?? null,
    locked: lockedSettingNames(policy),
    consent: consent
      ? {
          automaticApproval: consent.automaticApproval,
          maxEpsilonRound: consent.maxEpsilonRound,
          maxUpdateNorm: consent.maxUpdateNorm,
        }
      : null,
    maxEpsilonBudget: policy?.maxEpsilonBudget ?? null,
    presetFederations: (policy?.federations ?? []).map(({ name, coordinator }) => ({ name, coordinator })),
    onlyPresetFederations: policy?.onlyPresetFederations ?? false,
    updateChannel: policy?.updates?.channel ?? null,
  };
}

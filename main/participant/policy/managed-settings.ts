/**
 * The workstation settings a managed policy fixes: which they are (the contract tells the renderer, which shows
 * them locked), their values, and the refusal of a change to one of them.
 */
import type { WorkstationSettings } from '../../../preload/contract.ts';
import type { ManagedPolicy } from './managed-policy-schema.ts';
import { ManagedPolicyError } from './policy-refusal.ts';

export type SettingName = keyof WorkstationSettings;

/** The values the policy fixes, by setting. */
export function managedSettingValues(policy: ManagedPolicy | undefined): Partial<WorkstationSettings> {
  if (!policy) return {};
  const fixed: Partial<WorkstationSettings> = { ...policy.workstation };
  if (policy.datasetFolders) fixed.datasetFolders = [...policy.datasetFolders];
  return Object.fromEntries(Object.entries(fixed).filter(([, value]) => value !== undefined));
}

export function lockedSettingNames(policy: ManagedPolicy | undefined): SettingName[] {
  return Object.keys(managedSettingValues(policy)) as SettingName[];
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Refuses an update that would change a setting the policy fixes (setting it to its fixed value is no change). */
export function refuseLockedSettingChange(
  policy: ManagedPolicy | undefined,
  update: Partial<WorkstationSettings>,
): void {
  if (!policy) return;
  const fixed = managedSettingValues(policy);
  const changed = (Object.keys(update) as SettingName[]).filter(
    (name) => name in fixed && update[name] !== undefined && !sameValue(update[name], fixed[name]),
  );
  if (changed.length > 0)
    throw new ManagedPolicyError(policy.file, `${changed.join(', ')} ${changed.length > 1 ? 'are' : 'is'} managed`);
}

import { afterEach, describe, expect, it } from 'vitest';
import {
  foldersFromText,
  policyFromForm,
  policyToForm,
  SettingsController,
} from '../../../../renderer/src/views/settings/settings.svelte.ts';
import { openParticipantNode, type ParticipantNode } from '../../../../main/participant/participant-node.ts';
import { parseManagedPolicy } from '../../../../main/participant/policy/managed-policy-file.ts';
import { tempDir } from '../../../support/participant-fixtures.ts';
import { dispatchedApi } from '../../../support/renderer-api.ts';

let node: ParticipantNode | undefined;
afterEach(() => node?.close());

describe('consent policy form', () => {
  it('turns empty limits into no limit and refuses a non-positive one', () => {
    const form = { mode: 'auto' as const, maxEpsilonRound: ' 0.5 ', maxUpdateNorm: '', shareMetrics: true };
    expect(policyFromForm(form)).toEqual({ mode: 'auto', limits: { maxEpsilonRound: 0.5 }, metrics: 'share' });
    expect(policyFromForm({ ...form, maxEpsilonRound: '0' })).toContain('ε limit');
    expect(policyFromForm({ ...form, mode: 'ask', maxEpsilonRound: '', maxUpdateNorm: 'x' })).toContain('norm limit');
    const policy = { mode: 'auto' as const, limits: { maxUpdateNorm: 2 }, metrics: 'withhold' as const };
    expect(policyFromForm(policyToForm(policy))).toEqual(policy);
  });
});

describe('SettingsController', () => {
  it('saves a federation policy that the participant then applies', async () => {
    node = openParticipantNode({ home: tempDir('accord-ui-settings-') });
    const settings = new SettingsController(dispatchedApi(node));
    await settings.load();
    await settings.selectFederation('fed-a');
    expect(settings.policy.mode).toBe('ask');
    settings.policy = { mode: 'auto', maxEpsilonRound: '1', maxUpdateNorm: '', shareMetrics: true };
    await settings.savePolicy();
    expect(settings.error).toBeUndefined();
    expect(node.consent.policy('fed-a')).toEqual({ mode: 'auto', limits: { maxEpsilonRound: 1 }, metrics: 'share' });
    expect(settings.status).toContain('approved by this policy');
  });

  it('asks for a federation before saving a policy', async () => {
    node = openParticipantNode({ home: tempDir('accord-ui-settings-') });
    const settings = new SettingsController(dispatchedApi(node));
    await settings.savePolicy();
    expect(settings.error).toBe('Name the federation the policy is for.');
  });

  it('changes the compute device and start at login', async () => {
    node = openParticipantNode({ home: tempDir('accord-ui-settings-') });
    const settings = new SettingsController(dispatchedApi(node));
    await settings.load();
    expect(settings.settings?.computeDevice).toBe('auto');
    await settings.update({ computeDevice: 'cpu', startAtLogin: true });
    expect(settings.settings).toMatchObject({ computeDevice: 'cpu', startAtLogin: true });
  });

  it('saves the dataset folders typed one per line, and shows a relative one as an error', async () => {
    node = openParticipantNode({ home: tempDir('accord-ui-settings-') });
    const settings = new SettingsController(dispatchedApi(node));
    await settings.load();
    await settings.update({ datasetFolders: foldersFromText('/srv/data\n\n  /mnt/share  \n') });
    expect(settings.settings?.datasetFolders).toEqual(['/srv/data', '/mnt/share']);
    await settings.update({ datasetFolders: foldersFromText('data') });
    expect(settings.error).toContain('absolute path');
    expect(settings.settings?.datasetFolders).toEqual(['/srv/data', '/mnt/share']);
  });
});

describe('SettingsController under a managed policy', () => {
  const policyFile = '/etc/accord/policy.json';
  const rules = { workstation: { startAtLogin: true }, consent: { automaticApproval: false, maxEpsilonRound: 0.5 } };

  it('shows the locked settings with the policy file, and a refused change as the error', async () => {
    node = openParticipantNode({
      home: tempDir('accord-ui-settings-'),
      policy: parseManagedPolicy(policyFile, JSON.stringify(rules)),
    });
    const settings = new SettingsController(dispatchedApi(node));
    await settings.load();
    expect(settings.isLocked('startAtLogin')).toBe(true);
    expect(settings.isLocked('computeDevice')).toBe(false);
    expect(settings.lockNote('startAtLogin')).toBe(`Set by your institution's policy (${policyFile}).`);
    expect(settings.lockNote('computeDevice')).toBeUndefined();
    expect(settings.automaticApprovalAllowed).toBe(false);
    expect(settings.managedLimitsNote).toContain('ε per round at most 0.5');
    await settings.update({ startAtLogin: false });
    expect(settings.error).toContain(`refused by the managed policy ${policyFile}`);
    expect(settings.settings?.startAtLogin).toBe(true);
    await settings.selectFederation('fed-a');
    settings.policy = { mode: 'auto', maxEpsilonRound: '0.1', maxUpdateNorm: '', shareMetrics: true };
    await settings.savePolicy();
    expect(settings.error).toContain('automatic approval is not allowed');
    expect(node.consent.policy('fed-a').mode).toBe('ask');
  });

  it('locks nothing without a policy', async () => {
    node = openParticipantNode({ home: tempDir('accord-ui-settings-'), policy: null });
    const settings = new SettingsController(dispatchedApi(node));
    await settings.load();
    expect(settings.managed?.locked).toEqual([]);
    expect(settings.automaticApprovalAllowed).toBe(true);
    expect(settings.managedLimitsNote).toBeUndefined();
  });
});

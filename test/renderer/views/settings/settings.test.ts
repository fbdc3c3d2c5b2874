import { afterEach, describe, expect, it } from 'vitest';
import {
  foldersFromText,
  policyFromForm,
  policyToForm,
  SettingsController,
} from '../../../../renderer/src/views/settings/settings.svelte.ts';
import { openParticipantNode, type ParticipantNode } from '../../../../main/participant/participant-node.ts';
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

/** Settings and dataset folders a managed policy fixes, through the ParticipantApi as the renderer calls it. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createParticipantApi } from '../../../../main/participant/api/participant-api.ts';
import { dispatch } from '../../../../main/participant/api/dispatch.ts';
import { openParticipantNode, type ParticipantNode } from '../../../../main/participant/participant-node.ts';
import { parseManagedPolicy } from '../../../../main/participant/policy/managed-policy-file.ts';
import { payloadRetentionEnabled } from '../../../../main/participant/audit/payload-retention.ts';
import { tempDir, writeSentimentCsv } from '../../../support/participant-fixtures.ts';

const policyFile = '/etc/accord/policy.json';
let node: ParticipantNode | undefined;
afterEach(() => node?.close());

/** A node whose policy lets datasets come only from <home>/approved and fixes two settings. */
function managedNode() {
  const home = tempDir();
  const approved = join(home, 'approved');
  mkdirSync(approved);
  const rules = {
    datasetFolders: [approved],
    workstation: { computeDevice: 'cpu', retainPayloads: true },
    maxEpsilonBudget: 6,
    consent: { automaticApproval: false },
    updates: { channel: 'off' },
    federations: [{ name: 'Oncology', coordinator: 'fl.example.org:7443', caFile: '/etc/accord/ca.pem' }],
  };
  node = openParticipantNode({ home, policy: parseManagedPolicy(policyFile, JSON.stringify(rules)) });
  return { home, approved, api: createParticipantApi(node), db: node.database.db };
}

const registration = (path: string) => ({
  name: 'reviews',
  path,
  task: 'sentiment',
  format: 'csv' as const,
  columns: { text: 'text', label: 'label' },
});

describe('settings fixed by a managed policy', () => {
  it('tells the renderer which settings are locked, and by which file', async () => {
    const { api, approved } = managedNode();
    expect(await api['settings.managed']({})).toEqual({
      policyFile,
      locked: ['computeDevice', 'retainPayloads', 'datasetFolders'],
      consent: { automaticApproval: false },
      maxEpsilonBudget: 6,
      presetFederations: [{ name: 'Oncology', coordinator: 'fl.example.org:7443' }],
      onlyPresetFederations: false,
      updateChannel: 'off',
    });
    expect(await api['settings.get']({})).toMatchObject({
      computeDevice: 'cpu',
      retainPayloads: true,
      datasetFolders: [approved],
    });
  });

  it('refuses a change to a locked setting with the policy file named, and changes nothing', async () => {
    const { api, db } = managedNode();
    const reply = await dispatch(api, 'settings.set', { retainPayloads: false, startAtLogin: true });
    expect(reply).toEqual({
      ok: false,
      error: { code: 'failed', message: `retainPayloads is managed: refused by the managed policy ${policyFile}` },
    });
    expect(payloadRetentionEnabled(db)).toBe(true);
    expect((await api['settings.get']({})).startAtLogin).toBe(false);
    expect((await api['settings.set']({ startAtLogin: true, computeDevice: 'cpu' })).startAtLogin).toBe(true);
  });

  it("takes datasets only from the policy's folders: the home folder and others are refused", async () => {
    const { api, home, approved } = managedNode();
    const outside = writeSentimentCsv(home, 'outside.csv');
    const refused = await dispatch(api, 'datasets.add', registration(outside));
    expect(refused).toMatchObject({ ok: false });
    expect(!refused.ok && refused.error.message).toBe(
      `${outside} is outside the folders Accord may read datasets from (${approved}): they are set by the managed policy ${policyFile}`,
    );
    const preview = await dispatch(api, 'datasets.preview', { path: outside, format: 'csv' });
    expect(preview).toMatchObject({ ok: false, error: { message: expect.stringContaining(policyFile) } });
    expect(await api['datasets.list']({})).toEqual([]);
    const added = await api['datasets.add'](registration(writeSentimentCsv(approved)));
    expect(added.path).toBe(join(approved, 'reviews.csv'));
  });

  it('answers with no policy and nothing locked when IT has deployed none', async () => {
    node = openParticipantNode({ home: tempDir(), policy: null });
    const api = createParticipantApi(node);
    expect(await api['settings.managed']({})).toMatchObject({ policyFile: null, locked: [], consent: null });
  });
});

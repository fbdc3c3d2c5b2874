/** The managed policy applied in a real participant node: budgets, consent policies, enrolment. */
import { describe, expect, it } from 'vitest';
import { openParticipantNode } from '../../../../main/participant/participant-node.ts';
import { parseManagedPolicy } from '../../../../main/participant/policy/managed-policy-file.ts';
import { BudgetExceededError } from '../../../../main/participant/privacy/privacy-ledger.ts';
import { ManagedPolicyError } from '../../../../main/participant/policy/policy-refusal.ts';
import { Participation } from '../../../../main/participant/participation/participation.ts';
import { fakeTask } from '../../../support/fake-coordinator.ts';
import { FakeTrainer } from '../../../support/fake-trainer.ts';
import { tempDir, wiredParticipant } from '../../../support/participant-fixtures.ts';

const policyFile = '/etc/accord/policy.json';
const managed = (rules: object) => parseManagedPolicy(policyFile, JSON.stringify(rules));

describe('a managed policy in the participant node', () => {
  it('refuses an ε budget above its largest, naming the file, and keeps the budget that was there', async () => {
    const { node, datasetId } = await wiredParticipant({ epsilon: 3, policy: managed({ maxEpsilonBudget: 4 }) });
    expect(() => node.ledger.setBudget(datasetId, 6, 1e-5)).toThrow(ManagedPolicyError);
    expect(() => node.ledger.setBudget(datasetId, 6, 1e-5)).toThrow(
      `an ε budget of 6 is above the largest allowed, 4: refused by the managed policy ${policyFile}`,
    );
    expect(node.ledger.budget(datasetId)?.epsilon).toBe(3);
    node.ledger.setBudget(datasetId, 4, 1e-5);
    expect(node.ledger.budget(datasetId)?.epsilon).toBe(4);
    node.close();
  });

  it('counts a larger budget stored before the policy as the policy allows, and refuses a round over it', async () => {
    const home = tempDir();
    const before = await wiredParticipant({ home, epsilon: 50, policy: null });
    const { datasetId } = before;
    before.node.close();
    const node = openParticipantNode({ home, policy: managed({ maxEpsilonBudget: 1e-3 }) });
    expect(node.ledger.budget(datasetId)?.epsilon).toBe(1e-3);
    const step = { noiseMultiplier: 1.1, sampleRate: 0.01, steps: 100 };
    expect(node.ledger.project(datasetId, step)).toMatchObject({ withinBudget: false, budget: 1e-3 });
    expect(() => node.ledger.debit(datasetId, 'fed-a/round-1', 'c1', step)).toThrow(BudgetExceededError);
    expect(node.ledger.entries(datasetId)).toEqual([]);
    node.close();
  });

  it('refuses automatic approval where the policy forbids it, and looser limits than its own', async () => {
    const { node } = await wiredParticipant({ policy: managed({ consent: { automaticApproval: false } }) });
    expect(() => node.consent.setPolicy('fed-a', { mode: 'auto', limits: { maxEpsilonRound: 1 } })).toThrow(
      `automatic approval is not allowed on this workstation: refused by the managed policy ${policyFile}`,
    );
    expect(node.consent.policy('fed-a').mode).toBe('ask');
    node.consent.setPolicy('fed-a', { mode: 'ask', limits: {} });
    node.close();
    const capped = await wiredParticipant({ policy: managed({ consent: { maxEpsilonRound: 0.5, maxUpdateNorm: 2 } }) });
    const refused = () => capped.node.consent.setPolicy('fed-a', { mode: 'auto', limits: { maxEpsilonRound: 0.9 } });
    expect(refused).toThrow(/maxEpsilonRound 0.9 is looser than the managed limit 0.5/);
    expect(refused).toThrow(/maxUpdateNorm \(no limit\) is looser than the managed limit 2/);
    capped.node.consent.setPolicy('fed-a', { mode: 'auto', limits: { maxEpsilonRound: 0.4, maxUpdateNorm: 2 } });
    expect(capped.node.consent.policy('fed-a').limits).toEqual({ maxEpsilonRound: 0.4, maxUpdateNorm: 2 });
    capped.node.close();
  });

  it('holds a federation policy stored before the file was deployed to the managed limits', async () => {
    const home = tempDir();
    const before = await wiredParticipant({ home, policy: null });
    before.node.consent.setPolicy('fed-a', { mode: 'auto', limits: {} });
    before.node.close();
    const strict = managed({ consent: { maxEpsilonRound: 1e-9 } });
    const { node, runner, coordinator } = await wiredParticipant({ home, policy: strict });
    const round = await runner.handle(fakeTask());
    expect(round.state).toBe('awaiting_approval');
    expect(coordinator.uploads()).toEqual([]);
    const [pending] = node.consent.pending();
    expect(node.consent.objections(pending!)).toEqual([
      expect.stringMatching(new RegExp(`exceeds the automatic limit 1e-9 \\(managed policy ${policyFile}\\)`)),
    ]);
    node.close();
  });

  it('refuses enrolment with a coordinator that no preset federation names, before any connection', async () => {
    const policy = managed({
      onlyPresetFederations: true,
      federations: [{ name: 'Oncology', coordinator: 'fl.example.org:7443', caFile: '/etc/accord/ca.pem' }],
    });
    const node = openParticipantNode({ home: tempDir(), policy });
    const participation = await Participation.start(node, { trainer: new FakeTrainer(), polling: false });
    const request = { coordinatorUrl: '127.0.0.1:1', invitation: 'x'.repeat(20), caCertificatePem: 'pem' };
    await expect(participation.enrol(request)).rejects.toThrow(
      `enrolment is allowed only with a preset federation (fl.example.org:7443), not 127.0.0.1:1: refused by the managed policy ${policyFile}`,
    );
    expect(node.federations.list()).toEqual([]);
    await participation.close();
    node.close();
  });
});

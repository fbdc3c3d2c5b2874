import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { ContributionSummary } from '../../../../main/participant/consent/contribution.ts';
import { ConsentDesk } from '../../../../main/participant/consent/consent-desk.ts';
import { policyObjections } from '../../../../main/participant/consent/consent-policy.ts';
import { BudgetExceededError } from '../../../../main/participant/privacy/privacy-ledger.ts';
import { openParticipantNode, type ParticipantNode } from '../../../../main/participant/participant-node.ts';
import type { Decision } from '../../../../main/participant/consent/decision.ts';
import { tempDir, writeSentimentCsv } from '../../../support/participant-fixtures.ts';

async function desk(budget = 8) {
  const home = tempDir();
  const node = openParticipantNode({ home });
  const dataset = await node.datasets.register({
    name: 'reviews',
    path: writeSentimentCsv(home),
    task: 'sentiment',
    format: 'csv',
    columns: { text: 'text' },
  });
  node.ledger.setBudget(dataset.id, budget, 1e-5);
  const dp = { noiseMultiplier: 1.1, sampleRate: 0.01, steps: 100 };
  const projection = node.ledger.project(dataset.id, dp);
  const summary = (overrides: Partial<ContributionSummary> = {}): ContributionSummary => ({
    federationId: 'fed-a',
    coordinator: 'c.example:7443',
    roundId: 'r1',
    roundNumber: 1,
    modelSha256: 'm'.repeat(64),
    datasetId: dataset.id,
    datasetName: 'reviews',
    bytes: 36,
    sha256: 'a'.repeat(64),
    l2Norm: 0.3,
    epsilonRound: projection.epsilonRound,
    epsilonBefore: 0,
    epsilonAfter: projection.epsilonAfter,
    epsilonBudget: budget,
    delta: 1e-5,
    dp,
    deadline: new Date(Date.now() + 60_000).toISOString(),
    ...overrides,
  });
  return { node, datasetId: dataset.id, summary, dp };
}

describe('consent policy', () => {
  const subject = { epsilonRound: 0.5, l2Norm: 2, datasetId: 'd1' };
  const noon = new Date(2026, 0, 5, 12);
  it('approves automatically only when every limit holds, and says which one does not', () => {
    const policy = {
      mode: 'auto' as const,
      limits: { maxEpsilonRound: 1, maxUpdateNorm: 5, allowedDatasets: ['d1'], hours: { from: 9, to: 17 } },
    };
    expect(policyObjections(policy, subject, noon)).toEqual([]);
    expect(policyObjections(policy, { ...subject, epsilonRound: 1.5 }, noon)).toEqual([
      expect.stringMatching(/ε this round 1.5000 exceeds the automatic limit 1/),
    ]);
    expect(policyObjections(policy, { ...subject, l2Norm: 9 }, noon)).toEqual([expect.stringMatching(/L2 norm/)]);
    expect(policyObjections(policy, { ...subject, datasetId: 'd2' }, noon)).toEqual([
      expect.stringMatching(/dataset d2/),
    ]);
    expect(policyObjections(policy, subject, new Date(2026, 0, 5, 20))).toEqual([
      expect.stringMatching(/from 9:00 to 17:00/),
    ]);
  });
  it('handles hours that wrap past midnight, and always asks in ask mode', () => {
    const night = { mode: 'auto' as const, limits: { hours: { from: 22, to: 6 } } };
    expect(policyObjections(night, subject, new Date(2026, 0, 5, 23))).toEqual([]);
    expect(policyObjections(night, subject, new Date(2026, 0, 5, 3))).toEqual([]);
    expect(policyObjections(night, subject, noon)).toHaveLength(1);
    expect(policyObjections({ mode: 'ask', limits: {} }, subject, noon)).toEqual([
      'the policy asks a person every time',
    ]);
  });
});

describe('ConsentDesk', () => {
  it('holds the exact payload summary and records who approved, when, with the comment', async () => {
    const { node, summary } = await desk();
    const exact = summary();
    const pending = node.consent.open('fed-a/r1', exact);
    expect(node.consent.pending().map((c) => c.summary)).toEqual([exact]);
    const approved = node.consent.approve(pending.id, { by: userInfo().username, comment: 'checked with the DPO' });
    expect(approved).toMatchObject({
      status: 'approved',
      decidedBy: userInfo().username,
      comment: 'checked with the DPO',
    });
    expect(Date.parse(approved.decidedAt ?? '')).toBeGreaterThan(Date.now() - 10_000);
    expect(node.consent.pending()).toEqual([]);
  });

  it('debits the ledger in the same transaction as the approval: a failing step leaves neither', async () => {
    const { node, summary, datasetId } = await desk();
    const pending = node.consent.open('fed-a/r1', summary());
    const failing = new ConsentDesk(node.database.db, node.audit, node.ledger, {
      record: () => {
        throw new Error('crash inside the approval');
      },
      committed: () => undefined,
    });
    expect(() => failing.approve(pending.id)).toThrow('crash inside the approval');
    expect(node.consent.require(pending.id).status).toBe('pending');
    expect(node.ledger.entries(datasetId)).toEqual([]);
    expect(node.audit.entries().filter((e) => e.kind === 'decision' || e.kind === 'ledger.debit')).toEqual([]);
    node.consent.approve(pending.id);
    expect(node.ledger.entries(datasetId)).toHaveLength(1);
    expect(node.audit.entries().filter((e) => e.kind === 'ledger.debit')).toHaveLength(1);
  });

  it('refuses an approval that would overrun the budget, declines with that reason and debits nothing', async () => {
    const { node, summary, datasetId } = await desk(0.5);
    const pending = node.consent.open('fed-a/r1', summary());
    expect(() => node.consent.approve(pending.id)).toThrow(BudgetExceededError);
    expect(node.consent.require(pending.id)).toMatchObject({ status: 'declined', decidedBy: 'budget' });
    expect(node.consent.require(pending.id).comment).toMatch(/would be exceeded/);
    expect(node.ledger.entries(datasetId)).toEqual([]);
  });

  it('hands every decision to its recorder as a typed outcome: in the transaction, then after the commit', async () => {
    const seen: { phase: string; inTransaction: boolean; decision: Decision }[] = [];
    const recording = (node: ParticipantNode) =>
      new ConsentDesk(node.database.db, node.audit, node.ledger, {
        record: (_c, decision) =>
          seen.push({ phase: 'record', inTransaction: node.database.db.inTransaction, decision }),
        committed: (_c, decision) =>
          seen.push({ phase: 'committed', inTransaction: node.database.db.inTransaction, decision }),
      });
    const roomy = await desk();
    const consent = recording(roomy.node);
    consent.approve(consent.open('fed-a/r1', roomy.summary()).id, { by: 'ada' });
    consent.decline(consent.open('fed-a/r2', roomy.summary()).id, { by: 'grace', comment: 'norm looks odd' });
    const deadline = new Date(Date.now() + 1000);
    consent.open('fed-a/r3', roomy.summary({ deadline: deadline.toISOString() }));
    consent.expireOverdue(deadline);
    const tight = await desk(0.5);
    const overrun = recording(tight.node);
    expect(() => overrun.approve(overrun.open('fed-a/r4', tight.summary()).id)).toThrow(BudgetExceededError);
    expect(seen.map(({ phase, inTransaction }) => [phase, inTransaction])).toEqual(
      Array(4)
        .fill([
          ['record', true],
          ['committed', false],
        ])
        .flat(),
    );
    expect(seen.filter((s) => s.phase === 'committed').map((s) => s.decision)).toEqual([
      { kind: 'approved', by: 'ada' },
      { kind: 'declined', reason: 'consent_refused', by: 'grace', detail: 'declined by grace: norm looks odd' },
      { kind: 'expired', detail: `not approved before the round deadline ${deadline.toISOString()}` },
      {
        kind: 'declined',
        reason: 'budget_exhausted',
        by: 'budget',
        detail: expect.stringMatching(/^declined by budget: .*would be exceeded/) as string,
      },
    ]);
  });

  it('records a decline with who and why, and never debits', async () => {
    const { node, summary, datasetId } = await desk();
    const pending = node.consent.open('fed-a/r1', summary());
    const declined = node.consent.decline(pending.id, { by: 'ada', comment: 'norm looks odd' });
    expect(declined).toMatchObject({ status: 'declined', decidedBy: 'ada', comment: 'norm looks odd' });
    expect(() => node.consent.approve(pending.id)).toThrow(/is declined, not pending/);
    expect(node.ledger.entries(datasetId)).toEqual([]);
  });

  it('expires a pending approval at the round deadline', async () => {
    const { node, summary } = await desk();
    const deadline = new Date(Date.now() + 1000);
    const pending = node.consent.open('fed-a/r1', summary({ deadline: deadline.toISOString() }));
    expect(node.consent.pending(new Date(deadline.getTime() - 1))).toHaveLength(1);
    expect(node.consent.pending(deadline)).toEqual([]);
    expect(node.consent.require(pending.id).status).toBe('expired');
    expect(() => node.consent.approve(pending.id, undefined, deadline)).toThrow(/expired/);
    expect(node.audit.entries().at(-1)?.data).toMatchObject({ decision: 'expired' });
  });
});

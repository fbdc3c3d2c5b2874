import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { epsilonFor } from '../../../../engine/privacy/accountant.ts';
import type { EventOf } from '../../../../preload/contract.ts';
import { FakeTrainer } from '../../../support/fake-trainer.ts';
import { fakeTask } from '../../../support/fake-coordinator.ts';
import { wiredParticipant, type WiredParticipant } from '../../../support/participant-fixtures.ts';
import { waitUntil, within } from '../../../support/wait-until.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const auto = { mode: 'auto' as const, limits: {} };

/**
 * Wraps the coordinator's upload so that, at the instant the bytes leave, a SEPARATE connection to the
 * database file must already see the approval record and the audit entry naming the hash of exactly these bytes.
 */
function guardUploads(participant: WiredParticipant): string[] {
  const violations: string[] = [];
  const original = participant.coordinator.uploadUpdate.bind(participant.coordinator);
  participant.coordinator.uploadUpdate = async (task, uploadId, payload, metadata) => {
    const observer = new Database(participant.node.database.file, { readonly: true });
    const approval = observer
      .prepare(
        'SELECT c.status, c.decided_by AS by, c.summary FROM contributions c JOIN rounds r ON r.contribution_id = c.id WHERE r.round_id = ?',
      )
      .get(task.roundId) as { status: string; by: string; summary: string } | undefined;
    const intents = (
      observer.prepare("SELECT data FROM audit WHERE kind = 'upload.intent'").all() as { data: string }[]
    ).map((row) => JSON.parse(row.data) as { uploadId: string; sentSha256: string; approvedSha256: string });
    observer.close();
    if (approval?.status !== 'approved' || !approval.by) violations.push(`no approval record for ${task.roundId}`);
    const intent = intents.find((entry) => entry.uploadId === uploadId);
    if (!intent || intent.sentSha256 !== sha256(payload))
      violations.push(`no audit entry with the hash of the sent bytes`);
    if (intent && approval && intent.approvedSha256 !== (JSON.parse(approval.summary) as { sha256: string }).sha256)
      violations.push("the audited approved hash is not the approved summary's hash");
    return original(task, uploadId, payload, metadata);
  };
  return violations;
}

function kinds(participant: WiredParticipant): string[] {
  return participant.node.audit.entries().map((entry) => entry.kind);
}

describe('RoundRunner', () => {
  it('runs a round approved by policy to a receipt, auditing every step in order', async () => {
    const participant = await wiredParticipant({ trainer: new FakeTrainer(0.05, 0.5) });
    const { node, runner, coordinator, datasetId } = participant;
    const violations = guardUploads(participant);
    node.consent.setPolicy('fed-a', auto);
    const states: string[] = [];
    node.events.on('round.state', (event) => states.push(event.state));
    const round = await runner.handle(fakeTask());
    expect(round.state).toBe('receipted');
    expect(violations).toEqual([]);
    expect(states).toEqual([
      'invited',
      'accepted',
      'downloaded',
      'training',
      'update_ready',
      'awaiting_approval',
      'approved',
      'uploading',
      'uploaded',
      'receipted',
    ]);
    const [upload] = coordinator.uploads();
    expect(coordinator.uploads()).toHaveLength(1);
    expect(upload?.sha256).toBe(round.approvedSha256);
    expect(round.receipt?.sha256).toBe(upload?.sha256);
    expect(kinds(participant)).toEqual([
      'dataset',
      'policy',
      'invitation',
      'acceptance',
      'download',
      'update',
      'decision',
      'ledger.debit',
      'upload.intent',
      'upload',
    ]);
    // The ledger debits the steps actually taken (half of the 100 asked), not the task's plan.
    expect(node.ledger.entries(datasetId).map((e) => e.steps)).toEqual([50]);
    expect((await node.verifyAudit()).ok).toBe(true);
    const decision = node.audit.entries().find((e) => e.kind === 'decision');
    expect(decision?.data).toMatchObject({ decision: 'approved', by: 'policy:fed-a' });
  });

  it('sends nothing until a person approves, and tells the UI an approval is waiting', async () => {
    const participant = await wiredParticipant();
    const { node, runner, coordinator, datasetId } = participant;
    const violations = guardUploads(participant);
    const waiting: EventOf<'approvals.waiting'>[] = [];
    node.events.on('approvals.waiting', (event) => waiting.push(event));
    const round = await runner.handle(fakeTask());
    expect(round.state).toBe('awaiting_approval');
    expect(coordinator.uploads()).toEqual([]);
    expect(node.ledger.entries(datasetId)).toEqual([]);
    expect(waiting).toEqual([{ count: 1, contributionIds: [round.contributionId] }]);
    const [pending] = node.consent.pending();
    expect(pending?.summary).toMatchObject({
      sha256: round.approvedSha256,
      coordinator: 'coordinator.example:7443',
      roundId: 'round-1',
    });
    node.consent.approve(pending?.id ?? '', { by: 'ada', comment: 'ok' });
    // The debit committed with the approval, before anything was sent.
    expect(node.ledger.entries(datasetId)).toHaveLength(1);
    const order = kinds(participant);
    expect(order.indexOf('ledger.debit')).toBeGreaterThan(order.indexOf('decision'));
    const done = await runner.advance(round.roundKey);
    expect(kinds(participant).indexOf('upload.intent')).toBeGreaterThan(order.indexOf('ledger.debit'));
    expect(done.state).toBe('receipted');
    expect(violations).toEqual([]);
    expect(coordinator.uploads()).toHaveLength(1);
  });

  it('a declined contribution never leaves, is never debited, and the coordinator is told why', async () => {
    const { node, runner, coordinator, datasetId } = await wiredParticipant();
    const round = await runner.handle(fakeTask());
    node.consent.decline(round.contributionId ?? '', { by: 'ada', comment: 'not this week' });
    await waitUntil(() => coordinator.declines().length > 0, 'the coordinator being told of the decline');
    expect(runner.round(round.roundKey)).toMatchObject({
      state: 'declined',
      reason: 'declined by ada: not this week',
      declineReason: 'consent_refused',
    });
    expect(coordinator.uploads()).toEqual([]);
    expect(coordinator.declines()).toEqual([expect.objectContaining({ reason: 'consent_refused' })]);
    expect(node.ledger.entries(datasetId)).toEqual([]);
  });

  it('refuses a round whose projected ε would overrun the budget, before training', async () => {
    const participant = await wiredParticipant({ epsilon: 0.2 });
    const round = await participant.runner.handle(fakeTask());
    expect(round.state).toBe('declined');
    expect(round.reason).toMatch(/would be exceeded: ε after this round would be [\d.]+ > budget 0.2/);
    expect(participant.trainer.calls).toBe(0);
    expect(participant.coordinator.declines()).toEqual([expect.objectContaining({ reason: 'budget_exhausted' })]);
    expect(participant.node.ledger.entries(participant.datasetId)).toEqual([]);
    // The kind of refusal is kept with the round, not only in its words: a restart still knows it.
    participant.node.close();
    const { openParticipantNode } = await import('../../../../main/participant/participant-node.ts');
    const reopened = openParticipantNode({ home: participant.home });
    expect(reopened.rounds.get(round.roundKey)?.declineReason).toBe('budget_exhausted');
    reopened.close();
  });

  it('refuses the second round when the first used up the budget (composition across rounds)', async () => {
    const { node, runner, coordinator, datasetId } = await wiredParticipant();
    node.consent.setPolicy('fed-a', auto);
    const task = fakeTask({ dp: { clipNorm: 1, noiseMultiplier: 1.0, sampleRate: 0.05, localSteps: 400 } });
    const step = { noiseMultiplier: 1, sampleRate: 0.05, steps: 400 };
    const oneRound = epsilonFor([step], 1e-5).epsilon;
    const twoRounds = epsilonFor([step, step], 1e-5).epsilon;
    node.ledger.setBudget(datasetId, (oneRound + twoRounds) / 2, 1e-5);
    expect((await runner.handle(task)).state).toBe('receipted');
    const second = await runner.handle({ ...task, roundId: 'round-2', federationId: 'fed-a' });
    expect(second.state).toBe('declined');
    expect(coordinator.uploads()).toHaveLength(1);
    expect(second.reason).toMatch(/would be exceeded/);
    expect(node.ledger.spent(datasetId)).toBeCloseTo(oneRound, 10);
  });

  it('does not train on a dataset that changed since it was confirmed', async () => {
    const participant = await wiredParticipant();
    const dataset = participant.node.datasets.require(participant.datasetId);
    appendFileSync(dataset.path, '"tampered",1\n');
    const round = await participant.runner.handle(fakeTask());
    expect(round).toMatchObject({ state: 'declined' });
    expect(round.reason).toMatch(/changed since it was confirmed/);
    expect(participant.trainer.calls).toBe(0);
    expect(participant.coordinator.declines()).toEqual([expect.objectContaining({ reason: 'dataset_unavailable' })]);
    expect(round.declineReason).toBe('dataset_unavailable');
  });

  it('expires a contribution nobody approved at the deadline, by itself, and tells the coordinator', async () => {
    // The round's clock and its deadline timer are both under the test's control: no race with a real deadline.
    let now = Date.now();
    const deadline = now + 3_600_000;
    const { node, runner, coordinator } = await wiredParticipant({ now: () => new Date(now) });
    const expired = new Promise((resolve) => node.events.on('round.state', (e) => e.state === 'expired' && resolve(e)));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const round = await runner.handle(fakeTask({ deadline: new Date(deadline).toISOString() }));
      expect(round.state).toBe('awaiting_approval');
      await vi.advanceTimersByTimeAsync(deadline - now - 1);
      expect(runner.round(round.roundKey)?.state).toBe('awaiting_approval');
      now = deadline + 1;
      await vi.advanceTimersByTimeAsync(2);
    } finally {
      vi.useRealTimers();
    }
    await within(expired, 'the round expiring when its deadline timer fired');
    await waitUntil(() => coordinator.declines().length > 0, 'the coordinator being told the round expired');
    const round = runner.rounds()[0];
    expect(round).toMatchObject({ state: 'expired', declineReason: 'expired' });
    expect(node.consent.require(round?.contributionId ?? '').status).toBe('expired');
    expect(coordinator.declines()).toEqual([expect.objectContaining({ reason: 'expired' })]);
    expect(coordinator.uploads()).toEqual([]);
  });
});

import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { epsilonFor } from '../../../../engine/privacy/accountant.ts';
import type { EventOf } from '../../../../preload/contract.ts';
import { FakeTrainer } from '../../../support/fake-trainer.ts';
import { fakeTask } from '../../../support/fake-coordinator.ts';
import { wiredParticipant, type WiredParticipant } from '../../../support/participant-fixtures.ts';

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
    expect(node.verifyAudit().ok).toBe(true);
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
    await new Promise((resolve) => setImmediate(resolve));
    expect(runner.round(round.roundKey)).toMatchObject({ state: 'declined', reason: 'declined by ada: not this week' });
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
  });

  it('expires a contribution nobody approved at the deadline, by itself, and tells the coordinator', async () => {
    const { node, runner, coordinator } = await wiredParticipant();
    const expired = new Promise((resolve) => node.events.on('round.state', (e) => e.state === 'expired' && resolve(e)));
    const round = await runner.handle(fakeTask({ deadline: new Date(Date.now() + 300).toISOString() }));
    expect(round.state).toBe('awaiting_approval');
    await expired;
    await new Promise((resolve) => setImmediate(resolve));
    expect(runner.round(round.roundKey)?.state).toBe('expired');
    expect(node.consent.require(round.contributionId ?? '').status).toBe('expired');
    expect(coordinator.declines()).toEqual([expect.objectContaining({ reason: 'expired' })]);
    expect(coordinator.uploads()).toEqual([]);
  });

  it('keeps a failed upload resumable: same id, same bytes, ε debited once', async () => {
    const { node, runner, coordinator, datasetId } = await wiredParticipant();
    node.consent.setPolicy('fed-a', auto);
    const original = coordinator.uploadUpdate.bind(coordinator);
    coordinator.uploadUpdate = async () => Promise.reject(new Error('connection reset'));
    await expect(runner.handle(fakeTask())).rejects.toThrow('connection reset');
    const stuck = runner.rounds()[0];
    expect(stuck).toMatchObject({ state: 'uploading', reason: 'connection reset' });
    coordinator.uploadUpdate = original;
    const [done] = await runner.resume();
    expect(done?.state).toBe('receipted');
    expect(coordinator.uploads()).toEqual([expect.objectContaining({ uploadId: stuck?.uploadId, attempts: 1 })]);
    expect(node.ledger.entries(datasetId)).toHaveLength(1);
    expect(kinds({ node } as WiredParticipant).filter((k) => k === 'upload.intent')).toHaveLength(1);
  });

  it('with secure aggregation, audits both the approved and the masked (sent) hash', async () => {
    const participant = await wiredParticipant();
    const { node, coordinator } = participant;
    node.consent.setPolicy('fed-a', auto);
    const { attachRoundRunner, openParticipantNode } = await import('../../../../main/participant/participant-node.ts');
    const { encodeDenseFloat32 } = await import('../../../support/fake-trainer.ts');
    node.close();
    const masking = attachRoundRunner(openParticipantNode({ home: participant.home }), {
      link: coordinator,
      trainer: participant.trainer,
      encode: encodeDenseFloat32,
      mask: async (_task, bytes) => bytes.map((b) => b ^ 0x5a),
    });
    const round = await masking.handle(fakeTask({ roundId: 'sa-1', secureAggregation: true }));
    expect(round.state).toBe('receipted');
    expect(round.sentSha256).not.toBe(round.approvedSha256);
    const upload = masking.context.audit.entries().find((e) => e.kind === 'upload');
    expect(upload?.data).toMatchObject({ approvedSha256: round.approvedSha256, sentSha256: round.sentSha256 });
    expect(coordinator.uploads()[0]?.sha256).toBe(round.sentSha256);
  });

  it('retains the exact sent payload for inspection when asked to, and only then', async () => {
    const { retainedPayload, setPayloadRetention } =
      await import('../../../../main/participant/audit/payload-retention.ts');
    const { attachRoundRunner, openParticipantNode } = await import('../../../../main/participant/participant-node.ts');
    const { encodeDenseFloat32 } = await import('../../../support/fake-trainer.ts');
    const participant = await wiredParticipant();
    const { node, coordinator, trainer } = participant;
    node.consent.setPolicy('fed-a', auto);
    const first = await participant.runner.handle(fakeTask({ roundId: 'kept-0' }));
    expect(retainedPayload(node.database.db, first.sentSha256 ?? '')).toBeUndefined();
    setPayloadRetention(node.database.db, true);
    node.close();
    // The setting applies from the next start of the node.
    const restarted = openParticipantNode({ home: participant.home });
    const retaining = attachRoundRunner(restarted, { link: coordinator, trainer, encode: encodeDenseFloat32 });
    expect(() => attachRoundRunner(restarted, { link: coordinator, trainer, encode: encodeDenseFloat32 })).toThrow(
      /already has a round runner/,
    );
    const round = await retaining.handle(fakeTask({ roundId: 'kept-1' }));
    const kept = retainedPayload(restarted.database.db, round.sentSha256 ?? '');
    expect(kept && sha256(kept)).toBe(coordinator.uploads().find((u) => u.roundId === 'kept-1')?.sha256);
  });

  it('fails a round whose training fails, with the reason, and tells the coordinator', async () => {
    const participant = await wiredParticipant();
    participant.trainer.train = async () => Promise.reject(new Error('out of memory in layer 3'));
    const round = await participant.runner.handle(fakeTask());
    expect(round).toMatchObject({ state: 'failed', reason: 'out of memory in layer 3' });
    expect(participant.coordinator.declines()).toEqual([expect.objectContaining({ reason: 'failed' })]);
    expect(participant.node.audit.entries().at(-1)?.data).toMatchObject({
      outcome: 'failed',
      detail: 'out of memory in layer 3',
    });
  });

  it('refuses to send stored bytes that no longer match the audited hash, and fails the round for good', async () => {
    const { node, runner, coordinator, datasetId } = await wiredParticipant();
    const round = await runner.handle(fakeTask());
    node.database.db.prepare('UPDATE round_payloads SET bytes = zeroblob(length(bytes))').run();
    node.consent.approve(round.contributionId ?? '', { by: 'ada' });
    const after = await runner.advance(round.roundKey);
    expect(after.state).toBe('failed');
    expect(after.reason).toMatch(/no longer matches the audited hash; refusing to send/);
    expect(coordinator.uploads()).toEqual([]);
    // The approval's debit stands: ε is never refunded.
    expect(node.ledger.entries(datasetId)).toHaveLength(1);
  });
});

/** The round runner when things go wrong: failures, crashes in-process, other writers, durability. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flatten } from '../../../../engine/tensor/parameter-set.ts';
import { fakeTask } from '../../../support/fake-coordinator.ts';
import { wiredParticipant, type WiredParticipant } from '../../../support/participant-fixtures.ts';
import { waitUntil, within } from '../../../support/wait-until.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const auto = { mode: 'auto' as const, limits: {} };

function kinds(participant: WiredParticipant): string[] {
  return participant.node.audit.entries().map((entry) => entry.kind);
}

describe('RoundRunner: failures, recovery and durability', () => {
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

  it('with secure aggregation, starts the stages itself and audits both the approved and the masked (sent) hash', async () => {
    const participant = await wiredParticipant();
    const { node, coordinator } = participant;
    node.consent.setPolicy('fed-a', auto);
    const { attachRoundRunner, openParticipantNode } = await import('../../../../main/participant/participant-node.ts');
    node.close();
    const stagesStartedFor: string[] = [];
    const masking = attachRoundRunner(openParticipantNode({ home: participant.home }), {
      link: coordinator,
      trainer: participant.trainer,
      mask: async (_task, update) => new Uint8Array(flatten(update).buffer).map((b) => b ^ 0x5a),
      secAgg: { roundSeen: (task) => stagesStartedFor.push(task.roundId) },
    });
    const round = await masking.handle(fakeTask({ roundId: 'sa-1', secureAggregation: true }));
    expect(round.state).toBe('receipted');
    await masking.handle(fakeTask({ roundId: 'plain-2', roundNumber: 2 }));
    // Started by the runner when it took the round on (no UI event involved), and only for that round.
    expect(stagesStartedFor).toEqual(['sa-1']);
    expect(round.sentSha256).not.toBe(round.approvedSha256);
    const upload = masking.context.audit.entries().find((e) => e.kind === 'upload');
    expect(upload?.data).toMatchObject({ approvedSha256: round.approvedSha256, sentSha256: round.sentSha256 });
    expect(coordinator.uploads()[0]?.sha256).toBe(round.sentSha256);
  });

  it('retains the exact sent payload for inspection when asked to, and only then', async () => {
    const { retainedPayload, setPayloadRetention } =
      await import('../../../../main/participant/audit/payload-retention.ts');
    const { attachRoundRunner, openParticipantNode } = await import('../../../../main/participant/participant-node.ts');
    const participant = await wiredParticipant();
    const { node, coordinator, trainer } = participant;
    node.consent.setPolicy('fed-a', auto);
    const first = await participant.runner.handle(fakeTask({ roundId: 'kept-0' }));
    expect(retainedPayload(node.database.db, first.sentSha256 ?? '')).toBeUndefined();
    setPayloadRetention(node.database.db, true);
    node.close();
    // The setting applies from the next start of the node.
    const restarted = openParticipantNode({ home: participant.home });
    const retaining = attachRoundRunner(restarted, { link: coordinator, trainer });
    expect(() => attachRoundRunner(restarted, { link: coordinator, trainer })).toThrow(/already has a round runner/);
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

  it('picks up a decision taken in another process (the CLI) on the same database', async () => {
    const { openParticipantNode } = await import('../../../../main/participant/participant-node.ts');
    const { node, runner, coordinator, home, datasetId } = await wiredParticipant();
    const receipted = new Promise((resolve) =>
      node.events.on('round.state', (e) => e.state === 'receipted' && resolve(e)),
    );
    const declined = new Promise((resolve) =>
      node.events.on('round.state', (e) => e.state === 'declined' && resolve(e)),
    );
    const first = await runner.handle(fakeTask({ roundId: 'elsewhere-1' }));
    const second = await runner.handle(fakeTask({ roundId: 'elsewhere-2', roundNumber: 2 }));
    const cli = openParticipantNode({ home });
    cli.consent.approve(first.contributionId ?? '', { by: 'ada' });
    // The other process's approval moved the round in the same transaction as its debit.
    expect(cli.rounds.get(first.roundKey)?.state).toBe('approved');
    expect(cli.ledger.entries(datasetId)).toHaveLength(1);
    cli.consent.decline(second.contributionId ?? '', { by: 'grace', comment: 'no' });
    cli.close();
    await within(receipted, 'the round approved by the other process reaching its receipt');
    await within(declined, 'the round declined by the other process closing here');
    await waitUntil(() => coordinator.declines().length > 0, 'the coordinator being told of the decline');
    expect(coordinator.uploads().map((u) => u.roundId)).toEqual(['elsewhere-1']);
    expect(coordinator.declines()).toEqual([
      expect.objectContaining({ round_id: 'elsewhere-2', reason: 'consent_refused' }),
    ]);
    runner.stop();
  });

  it('acts on a decision an older writer took without moving the round, and tells the coordinator once', async () => {
    const { openParticipantNode } = await import('../../../../main/participant/participant-node.ts');
    const { ConsentDesk } = await import('../../../../main/participant/consent/consent-desk.ts');
    const { node, runner, coordinator, home } = await wiredParticipant();
    const round = await runner.handle(fakeTask({ roundId: 'older-1' }));
    const other = openParticipantNode({ home });
    // A writer that records the decision but not its round, as Accord did before rounds moved with decisions.
    const older = new ConsentDesk(other.database.db, other.audit, other.ledger, {
      record: () => undefined,
      committed: () => undefined,
    });
    older.decline(round.contributionId ?? '', { by: 'grace', comment: 'no' });
    other.close();
    await waitUntil(() => coordinator.declines().length > 0, 'the coordinator being told of the decline');
    expect(runner.round(round.roundKey)).toMatchObject({
      state: 'declined',
      reason: 'declined by grace: no',
      declineReason: 'consent_refused',
    });
    expect(coordinator.declines()).toEqual([
      expect.objectContaining({ round_id: 'older-1', reason: 'consent_refused' }),
    ]);
    expect(node.ledger.entries(round.datasetId ?? '')).toEqual([]);
    runner.stop();
  });

  it('declines for the budget when another round spent it while this one waited for approval', async () => {
    const { node, runner, coordinator, datasetId } = await wiredParticipant();
    const first = await runner.handle(fakeTask({ roundId: 'wait-1' }));
    const second = await runner.handle(fakeTask({ roundId: 'wait-2', roundNumber: 2 }));
    // Room for exactly one of the two rounds.
    node.ledger.setBudget(
      datasetId,
      first.outcome ? node.ledger.project(datasetId, first.outcome.dpSteps).epsilonAfter * 1.01 : 1,
      1e-5,
    );
    node.consent.setPolicy('fed-a', { mode: 'auto', limits: {} });
    expect((await runner.advance(first.roundKey)).state).toBe('receipted');
    const refused = await runner.advance(second.roundKey);
    expect(refused.state).toBe('declined');
    expect(refused.reason).toMatch(/declined by budget: .*would be exceeded/);
    expect(refused.declineReason).toBe('budget_exhausted');
    await waitUntil(() => coordinator.declines().length > 0, 'the coordinator being told of the budget decline');
    expect(coordinator.declines()).toEqual([
      expect.objectContaining({ round_id: 'wait-2', reason: 'budget_exhausted' }),
    ]);
    expect(node.ledger.entries(datasetId)).toHaveLength(1);
  });

  it('logs a failing step of a round continued after approval, with its federation and round key', async () => {
    const { node, runner, coordinator } = await wiredParticipant();
    coordinator.uploadUpdate = async () => Promise.reject(new Error('connection reset'));
    const round = await runner.handle(fakeTask());
    node.consent.approve(round.contributionId ?? '', { by: 'ada' });
    const logged = await waitUntil(
      () =>
        readFileSync(node.log.file, 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .find((line) => line.level === 'error' && /continuing an approved round/.test(String(line.message))),
      'an error line for the failed upload in the participant log',
    );
    expect(logged).toMatchObject({ federationId: 'fed-a', roundKey: round.roundKey, error: 'connection reset' });
    expect(node.log.file).toBe(join(node.database.home, 'logs', 'participant.log'));
    // The failure was logged, not hidden, and the approved round stays resumable.
    expect(runner.round(round.roundKey)).toMatchObject({ state: 'uploading', reason: 'connection reset' });
  });

  it('commits the entry of what is about to leave with synchronous=FULL (fsync), and only that one', async () => {
    const { node, runner } = await wiredParticipant();
    node.consent.setPolicy('fed-a', auto);
    const modes = new Map<string, number>();
    const append = node.audit.append.bind(node.audit);
    node.audit.append = (kind, data) => {
      modes.set(kind, node.database.db.pragma('synchronous', { simple: true }) as number);
      return append(kind, data);
    };
    await runner.handle(fakeTask());
    // SQLite: 1 = NORMAL, 2 = FULL.
    expect(modes.get('upload.intent')).toBe(2);
    expect(modes.get('decision')).toBe(1);
    expect(node.database.db.pragma('synchronous', { simple: true })).toBe(1);
  });
});

/**
 * The coordinator's receipts as the audit log's witness, end to end: a real participant (SQLite file, OS
 * keychain, participation loop) uploads to a real coordinator on loopback, then `audit verify` (the API
 * method the UI calls) checks its log against the receipts the coordinator lists.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coordinator } from '../../../../coordinator/coordinator.ts';
import { createInvitation, federationPaths } from '../../../../coordinator/setup/federation-files.ts';
import { dispatch } from '../../../../main/participant/api/dispatch.ts';
import { createParticipantApi } from '../../../../main/participant/api/participant-api.ts';
import { auditAnchorAccount } from '../../../../main/participant/audit/audit-anchor.ts';
import { AuditLog, type AuditEntry } from '../../../../main/participant/audit/audit-log.ts';
import { witnessByReceipts } from '../../../../main/participant/audit/receipt-witness.ts';
import { openParticipantDatabase } from '../../../../main/participant/store/participant-database.ts';
import type { UploadReceipt } from '../../../../protocol/receipt.ts';
import type { AuditVerification } from '../../../../main/participant/audit/audit-verify.ts';
import { KeytarCredentialStore } from '../../../../main/participant/keychain/keytar-credential-store.ts';
import { openParticipantNode, type ParticipantNode } from '../../../../main/participant/participant-node.ts';
import { Participation } from '../../../../main/participant/participation/participation.ts';
import { fetchReceiptsOnce } from '../../../../main/participant/participation/receipt-fetch.ts';
import type { RoundRecord } from '../../../../main/participant/rounds/round-store.ts';
import { terminalStates } from '../../../../main/participant/rounds/round-state.ts';
import { startCoordinator, writeTestFederation } from '../../../coordinator/support/test-federation.ts';
import { FakeTrainer } from '../../../support/fake-trainer.ts';
import { registerSampleReviews, tempDir } from '../../../support/participant-fixtures.ts';
import { waitUntil } from '../../../support/wait-until.ts';

let coordinator: Coordinator;
let home: string;
let node: ParticipantNode;
let participation: Participation;
let round: RoundRecord;
let intent: AuditEntry;
let coordinatorRunning = true;
const cleanups: (() => Promise<unknown> | unknown)[] = [];

async function verifyThroughApi(): Promise<AuditVerification> {
  const answer = await dispatch(createParticipantApi(node, participation), 'audit.verify', {});
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.value as AuditVerification;
}

beforeAll(async () => {
  const config = await writeTestFederation({
    updateEncoding: 'float32-le',
    rounds: 1,
    participantsPerRound: { min: 1, max: 1 },
  });
  let address: string;
  ({ coordinator, address } = await startCoordinator(config));
  cleanups.push(() => coordinatorRunning && coordinator.stop());
  home = tempDir();
  const credentials = new KeytarCredentialStore(`Accord-test-${randomUUID()}`);
  cleanups.push(() => credentials.delete('identity.ed25519'));
  cleanups.push(() => credentials.delete(auditAnchorAccount(home)));
  node = openParticipantNode({ home, credentials });
  cleanups.push(() => node.close());
  const dataset = await registerSampleReviews(node, home);
  node.ledger.setBudget(dataset.id, 50, 1e-5);
  node.consent.setPolicy(coordinator.context.federationId, { mode: 'auto', limits: {} });
  participation = await Participation.start(node, { trainer: new FakeTrainer(0.25), pollWaitSeconds: 1 });
  cleanups.push(() => participation.close());
  await participation.enrol({
    coordinatorUrl: address,
    invitation: createInvitation(config, 7, 'clinic'),
    caCertificatePem: readFileSync(federationPaths(config.dataDir).caCertificate, 'utf8'),
    displayName: 'Clinic',
  });
  round = await waitUntil(
    () => participation.runner.rounds().find((candidate) => terminalStates.has(candidate.state)),
    'the first round to finish',
  );
  expect({ state: round.state, reason: round.reason }).toEqual({ state: 'receipted', reason: null });
  intent = node.audit.entries().find((entry) => entry.kind === 'upload.intent')!;
}, 30_000);

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('audit verify with the coordinator receipts as witness', () => {
  it('verifies an intact log and says up to which entry the receipt of the round witnesses it', async () => {
    const stored = coordinator.context.store.db
      .prepare('SELECT audit_seq AS seq, audit_hash AS hash FROM uploads WHERE upload_id = ?')
      .get(round.uploadId);
    expect(stored).toEqual({ seq: intent.seq, hash: intent.hash });
    const verification = await verifyThroughApi();
    expect(verification).toMatchObject({
      ok: true,
      problems: [],
      witnessedSeq: intent.seq,
      witnessedRoundId: round.task.roundId,
    });
    const last = node.audit.entries().at(-1)!.seq;
    expect(last).toBeGreaterThan(intent.seq);
    expect(verification.witness).toContain(`Entries 1–${intent.seq} are witnessed`);
    expect(verification.witness).toContain(`round ${round.task.roundId}`);
    expect(verification.witness).toContain(`Entries ${intent.seq + 1}–${last} are protected only by the local anchor`);
  });

  it('finds the receipted entry missing after the newest entries and the keychain anchor were deleted', async () => {
    const { db } = node.database;
    db.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
    db.prepare('DELETE FROM audit WHERE seq >= ?').run(intent.seq);
    db.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1').run(intent.seq - 1, intent.prevHash);
    expect(await node.credentials.delete(auditAnchorAccount(home))).toBe(true);
    // Without the witness the shortened log passes every local check.
    expect(await node.verifyAudit()).toMatchObject({ ok: true, problems: [] });

    const verification = await verifyThroughApi();
    expect(verification.ok).toBe(false);
    expect(verification.problems).toEqual([expect.objectContaining({ seq: intent.seq, problem: 'truncated' })]);
    expect(verification.problems[0]!.message).toContain(`receipt of round ${round.task.roundId}`);
    // The CLI's own short-lived links fetch the same witness.
    const fromCli = await node.verifyAudit(await fetchReceiptsOnce(node));
    expect(fromCli.problems).toEqual(verification.problems);
  });

  it('still verifies locally when the coordinator is unreachable, and says the receipts could not be fetched', async () => {
    coordinatorRunning = false;
    await coordinator.stop();
    const verification = await verifyThroughApi();
    expect(verification).toMatchObject({ ok: true, witnessedSeq: null, entries: intent.seq - 1 });
    const notFetched = `The receipts of federation ${coordinator.context.federationId} could not be fetched`;
    expect(verification.witness).toContain(notFetched);
    expect((await node.verifyAudit(await fetchReceiptsOnce(node))).witness).toContain(notFetched);
  });
});

describe('the receipt witness over a local log', () => {
  function logWith(count: number): AuditLog {
    const log = new AuditLog(openParticipantDatabase(tempDir()).db);
    for (let i = 1; i <= count; i++) log.append('upload.intent', { uploadId: `upload-${i}` });
    return log;
  }

  function receiptFor(entry: AuditEntry, roundId: string): UploadReceipt {
    const fields = {
      uploadId: `${entry.data.uploadId as string}`,
      roundId,
      participantId: 'p',
      sha256: 'ab'.repeat(32),
    };
    return { ...fields, bytes: 1, acceptedAt: entry.at, signature: '', auditSeq: entry.seq, auditHash: entry.hash };
  }

  it('finds a receipted entry rewritten with every later hash recomputed, and one removed mid-log', () => {
    const log = logWith(5);
    const [first, , third] = log.entries();
    const receipts = [receiptFor(first!, 'round-a'), receiptFor(third!, 'round-b')];
    const forged = log.entries().map((entry) => (entry.seq === 1 ? { ...entry, hash: 'cd'.repeat(32) } : entry));
    expect(witnessByReceipts(forged, [{ federationId: 'f', receipts }]).problems).toEqual([
      expect.objectContaining({ seq: 1, problem: 'changed' }),
    ]);
    const withoutThird = log.entries().filter((entry) => entry.seq !== 3);
    const witness = witnessByReceipts(withoutThird, [{ federationId: 'f', receipts }]);
    expect(witness.problems).toEqual([expect.objectContaining({ seq: 3, problem: 'removed' })]);
    expect(witness).toMatchObject({ witnessedSeq: 3, witnessedRoundId: 'round-b' });
  });

  it('ignores receipts without an audit head and says what it could not consult', () => {
    const log = logWith(2);
    const { auditSeq: _seq, auditHash: _hash, ...old } = receiptFor(log.entries()[1]!, 'round-old');
    const witness = witnessByReceipts(log.entries(), [{ federationId: 'f', receipts: [old] }]);
    expect(witness).toMatchObject({ problems: [], witnessedSeq: null });
    expect(witness.statement).toContain('No coordinator receipt witnesses this log yet');
    expect(witnessByReceipts(log.entries(), []).statement).toContain('enrolled in no federation');
    expect(witnessByReceipts(log.entries(), undefined).statement).toContain('were not consulted');
  });
});

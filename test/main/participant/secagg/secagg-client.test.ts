/**
 * Three full participant nodes (store, consent, ledger, audit, round runner) against a real coordinator
 * over gRPC with TLS, with secure aggregation on: each masks only after its approval, audits the hash of
 * the approved plaintext and of the masked bytes it sent, and the coordinator stores only masked bytes.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readSafetensorsFile } from '../../../../engine/codec/safetensors.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditEntries } from '../../../../main/participant/audit/audit-verify.ts';
import { attachRoundRunner, openParticipantNode } from '../../../../main/participant/participant-node.ts';
import type { RoundRecord } from '../../../../main/participant/rounds/round-store.ts';
import type { RoundRunner } from '../../../../main/participant/rounds/round-runner.ts';
import { SecAggClient } from '../../../../main/participant/secagg/secagg-client.ts';
import type { Coordinator } from '../../../../coordinator/coordinator.ts';
import {
  enrolledParticipant,
  startCoordinator,
  testWeights,
  writeTestFederation,
} from '../../../coordinator/support/test-federation.ts';
import { FakeTrainer } from '../../../support/fake-trainer.ts';
import { tempDir, writeSentimentCsv } from '../../../support/participant-fixtures.ts';
import { waitUntil } from '../../../support/wait-until.ts';
import type { FederationLink } from '../../../../main/participant/coordinator-client/federation-link.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function secureCoordinator(): Promise<{
  coordinator: Coordinator;
  config: Awaited<ReturnType<typeof writeTestFederation>>;
  address: string;
}> {
  const config = await writeTestFederation({
    secureAggregation: true,
    updateEncoding: 'float32-le',
    rounds: 1,
    roundDeadlineSeconds: 60,
    secureAggregationOptions: { threshold: 2, clipRange: 64, stageSeconds: 10 },
  });
  const { coordinator, address } = await startCoordinator(config);
  cleanups.push(() => coordinator.stop());
  return { coordinator, config, address };
}

/** Each site trains a different step on a different number of examples, so a weighting bug shows. */
const sites = [
  { name: 'clinic-a', delta: 0.05, rows: 6 },
  { name: 'clinic-b', delta: -0.02, rows: 11 },
  { name: 'clinic-c', delta: 0.11, rows: 17 },
];

async function participantNode(
  site: (typeof sites)[number],
  config: Awaited<ReturnType<typeof writeTestFederation>>,
  address: string,
) {
  const { name } = site;
  const home = tempDir();
  const node = openParticipantNode({ home });
  const link = await enrolledParticipant(config, address, name);
  const client = new SecAggClient({ link, audit: node.audit, pollWaitSeconds: 1 });
  const approvedBeforeMask: boolean[] = [];
  const mask: typeof client.mask = async (task, update, examples) => {
    const round = runner.rounds().find((candidate) => candidate.task.roundId === task.roundId);
    approvedBeforeMask.push(node.consent.require(round!.contributionId!).status === 'approved');
    return client.mask(task, update, examples);
  };
  const runner: RoundRunner = attachRoundRunner(node, {
    link,
    trainer: new FakeTrainer(site.delta),
    mask,
  });
  const dataset = await node.datasets.register({
    name: 'reviews',
    path: writeSentimentCsv(home, 'reviews.csv', site.rows),
    task: 'sentiment',
    format: 'csv',
    columns: { text: 'text', label: 'label' },
  });
  node.ledger.setBudget(dataset.id, 100, 1e-5);
  node.consent.setPolicy((await link.hello()).federationId, { mode: 'auto', limits: {} });
  const controller = new AbortController();
  const stages = client.run(controller.signal);
  cleanups.push(async () => {
    controller.abort();
    await stages;
    link.close();
  });
  return { node, link, runner, approvedBeforeMask, home };
}

async function runRound(participant: { link: FederationLink; runner: RoundRunner }): Promise<RoundRecord> {
  const task = await waitUntil(() => participant.link.pollTask(), 'the coordinator offering a round');
  return participant.runner.handle(task);
}

describe('SecAggClient with the round runner over gRPC', () => {
  it('masks after approval, audits approved and sent hashes, and the coordinator keeps only masked bytes', async () => {
    const { coordinator, config, address } = await secureCoordinator();
    const nodes = await Promise.all(sites.map((site) => participantNode(site, config, address)));
    const rounds = await Promise.all(nodes.map((participant) => runRound(participant)));
    for (const [i, participant] of nodes.entries()) {
      const round = rounds[i]!;
      expect({ state: round.state, reason: round.reason }).toEqual({ state: 'receipted', reason: null });
      expect(participant.approvedBeforeMask).toEqual([true]);
      const entries = participant.node.audit.entries();
      expect(verifyAuditEntries(entries, participant.node.audit.head()).ok).toBe(true);
      const intent = entries.find((entry) => entry.kind === 'upload.intent')!.data;
      const upload = entries.find((entry) => entry.kind === 'upload')!.data as { receipt: { sha256: string } };
      expect(intent.approvedSha256).toBe(round.approvedSha256);
      expect(intent.sentSha256).not.toBe(intent.approvedSha256);
      expect(upload.receipt.sha256).toBe(intent.sentSha256);
      // The approval record precedes the masked bytes' entry in the chain.
      const kinds = entries.map((entry) => entry.kind);
      expect(kinds.indexOf('decision')).toBeLessThan(kinds.indexOf('upload.intent'));
      const stored = coordinator.context.store.uploadFor(round.task.roundId, participant.link.participantId!)!;
      expect(stored.sha256).toBe(intent.sentSha256);
      expect(sha256(readFileSync(stored.path))).toBe(intent.sentSha256);
      expect(stored.numExamples).toBe(1);
    }
    await coordinator.context.rounds.idle();
    for (let i = 0; i < 100 && !coordinator.context.store.checkpoint(1); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(coordinator.context.store.round(rounds[0]!.task.roundId)?.outcome).toBe('aggregated');
    // The coordinator unmasks only Σ nᵢ·updateᵢ and Σ nᵢ; FedAvg moves the model by their quotient.
    expect(rounds.map((round) => round.outcome?.numExamples)).toEqual(sites.map((site) => site.rows));
    const totalExamples = sites.reduce((sum, site) => sum + site.rows, 0);
    const weightedSum = sites.reduce((sum, site) => sum + site.rows * site.delta, 0);
    const next = await readSafetensorsFile(coordinator.context.store.checkpoint(1)!.path, config.model.spec);
    for (const [name, value] of testWeights)
      value.data.forEach((w, i) => {
        const unmaskedSum = (next.get(name)!.data[i]! - w) * totalExamples;
        expect(Math.abs(unmaskedSum - weightedSum)).toBeLessThan(1e-4);
      });
  });
});

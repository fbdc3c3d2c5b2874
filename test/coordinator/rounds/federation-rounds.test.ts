import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Coordinator } from '../../../coordinator/coordinator.ts';
import { readSafetensorsFile } from '../../../engine/codec/safetensors.ts';
import { flatten } from '../../../engine/tensor/parameter-set.ts';
import { codecEncoder, rawFloat32Encoder, referenceWeights, runRounds } from '../support/deterministic-participant.ts';
import { enrolledParticipant, startCoordinator, testWeights, writeTestFederation } from '../support/test-federation.ts';

let running: Coordinator | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const sites = [
  { name: 'hospital-a', target: 1, examples: 10 },
  { name: 'bank-b', target: -2, examples: 30 },
  { name: 'agency-c', target: 4, examples: 60 },
];

describe('a federation of a coordinator and three participants', () => {
  it.each([
    ['accord-update-v1', codecEncoder],
    ['float32-le (streamed aggregation)', rawFloat32Encoder],
  ] as const)('runs three rounds of FedAvg matching a float64 reference, updates in %s', async (encoding, encoder) => {
    const config = await writeTestFederation({ rounds: 3, updateEncoding: encoding.split(' ')[0] });
    const { coordinator, address } = await startCoordinator(config);
    running = coordinator;
    const links = await Promise.all(sites.map((site) => enrolledParticipant(config, address, site.name)));
    const receipts = await Promise.all(
      links.map((link, i) => runRounds(link, sites[i]!.name, sites[i]!.target, sites[i]!.examples, 3, encoder)),
    );
    await coordinator.context.rounds.idle();

    expect(receipts.map((list) => list.length)).toEqual([3, 3, 3]);
    const final = coordinator.context.store.checkpoint(3)!;
    const weights = flatten(await readSafetensorsFile(final.path, config.model.spec));
    const expected = referenceWeights(testWeights, sites, 3);
    weights.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 5));

    const rounds = coordinator.context.store.rounds();
    expect(rounds.map((round) => [round.number, round.state, round.outcome])).toEqual([
      [1, 'closed', 'aggregated'],
      [2, 'closed', 'aggregated'],
      [3, 'closed', 'aggregated'],
    ]);
    expect(coordinator.context.rounds.finished()).toBe(true);
    const log = readFileSync(join(config.dataDir, 'logs', 'round-2.jsonl'), 'utf8');
    expect(log).toContain('"event":"closed"');
    links.forEach((link) => link.close());
  });

  it('closes a round at its deadline without a participant that never answers', async () => {
    const config = await writeTestFederation({
      rounds: 1,
      participantsPerRound: { min: 2, max: 3 },
      roundDeadlineSeconds: 2,
    });
    const { coordinator, address } = await startCoordinator(config);
    running = coordinator;
    const links = await Promise.all(sites.map((site) => enrolledParticipant(config, address, site.name)));
    // The third joins the round (its task is assigned) and then goes silent.
    const silentTask = await links[2]!.pollTask();
    expect(silentTask?.roundNumber).toBe(1);
    await Promise.all(
      links.slice(0, 2).map((link, i) => runRounds(link, sites[i]!.name, sites[i]!.target, sites[i]!.examples, 1)),
    );
    expect(coordinator.context.store.round(silentTask!.roundId)!.state).toBe('collecting');

    await vi.waitUntil(() => coordinator.context.rounds.finished(), {
      timeout: 30_000,
      interval: 100,
      message: 'the round did not close at its deadline without the silent participant',
    });
    const round = coordinator.context.store.round(silentTask!.roundId)!;
    expect(round.outcome).toBe('aggregated');
    expect(round.closedAt!).toBeGreaterThanOrEqual(round.deadlineAt);
    const weights = flatten(
      await readSafetensorsFile(coordinator.context.store.checkpoint(1)!.path, config.model.spec),
    );
    const expected = referenceWeights(testWeights, sites.slice(0, 2), 1);
    weights.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 5));
    links.forEach((link) => link.close());
  });
});

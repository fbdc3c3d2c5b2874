import { describe, expect, it } from 'vitest';
import { SecAggAbortError, type SecAggStage } from '../../../engine/secagg/errors.ts';
import type { UnmaskRequest, UnmaskResponse } from '../../../engine/secagg/messages.ts';
import type { NeighbourGraphSpec } from '../../../engine/secagg/neighbour-graph.ts';
import { quantizationStep } from '../../../engine/secagg/quantization.ts';
import { makeRound, maxAbsDifference, participantId, plaintextSum, type RoundSetup } from './round-fixture.ts';

const stages: SecAggStage[] = ['advertise-keys', 'share-keys', 'masked-input', 'unmask'];

/** Runs a round and checks the sum over exactly the participants that sent a masked input. */
async function expectExactSum(
  n: number,
  threshold: number,
  graph: NeighbourGraphSpec,
  dropsOrChooser: RoundSetup['drops'] | RoundSetup['dropsFor'],
  vectorLength = 64,
) {
  const round = makeRound({
    n,
    threshold,
    graph,
    vectorLength,
    ...(typeof dropsOrChooser === 'function' ? { dropsFor: dropsOrChooser } : { drops: dropsOrChooser }),
  });
  const drops = round.drops;
  const result = await round.run();
  // Contributors: everyone not dropped before the masked-input answer (an unmask-stage dropout still counts).
  const expected = round.ids.filter((_, i) => {
    const stage = drops.get(i);
    return stage === undefined || stage === 'unmask';
  });
  expect(result.contributors).toEqual(expected);
  expect(round.transport.failures.size).toBe(0);
  const reference = plaintextSum(round.members, expected, vectorLength);
  // n·Δ/2 with Δ = 2R/(2^b − 1), R = 1, b = 20 — computed here from the definition, not by the code under test.
  const bound = (expected.length * (2 / (2 ** 20 - 1))) / 2;
  expect(result.errorBound).toBeGreaterThanOrEqual(bound);
  expect(result.errorBound).toBeLessThan(bound * 1.0001);
  expect(maxAbsDifference(result.sum, reference)).toBeLessThanOrEqual(result.errorBound);
  return { round, result };
}

function dropsOf(indices: number[], stage: SecAggStage): Map<number, SecAggStage> {
  return new Map(indices.map((i) => [i, stage]));
}

describe('a secure-aggregation round recovers the plaintext sum within the quantization bound', () => {
  it('n = 3, classic SecAgg, no dropout', async () => {
    await expectExactSum(3, 2, { kind: 'complete' }, new Map());
  });

  for (const stage of stages) {
    it(`n = 3, t = 2: one dropout (n − t) at ${stage}`, async () => {
      await expectExactSum(3, 2, { kind: 'complete' }, dropsOf([1], stage));
    });

    it(`n = 10, classic SecAgg, t = 6: four dropouts (n − t) at ${stage}`, async () => {
      await expectExactSum(10, 6, { kind: 'complete' }, dropsOf([0, 3, 7, 9], stage));
    });
  }

  it('n = 10, classic SecAgg, t = 6: n − t dropouts spread over all four stages', async () => {
    const drops = new Map<number, SecAggStage>([
      [2, 'advertise-keys'],
      [4, 'share-keys'],
      [6, 'masked-input'],
      [8, 'unmask'],
    ]);
    await expectExactSum(10, 6, { kind: 'complete' }, drops);
  });

  it('n = 10, SecAgg+ with k = 4, t = 3: two dropouts (k + 1 − t) at masked-input and at unmask', async () => {
    await expectExactSum(
      10,
      3,
      { kind: 'k-regular', degree: 4 },
      new Map([
        [1, 'masked-input'],
        [5, 'unmask'],
      ]),
    );
  });

  it('n = 50, classic SecAgg, t = 26: n − t = 24 dropouts, six at each stage', async () => {
    const drops = new Map<number, SecAggStage>();
    for (let i = 0; i < 24; i++) drops.set(i * 2, stages[i % 4]!);
    await expectExactSum(50, 26, { kind: 'complete' }, drops, 16);
  });

  for (const stage of stages) {
    it(`n = 50, classic SecAgg, t = 26: all n − t = 24 dropouts at ${stage}`, async () => {
      const drops = dropsOf(
        Array.from({ length: 24 }, (_, i) => 2 * i + 1),
        stage,
      );
      await expectExactSum(50, 26, { kind: 'complete' }, drops, 16);
    });

    it(`n = 50, SecAgg+ with k = 10, t = 6: five dropouts (k + 1 − t) at ${stage}`, async () => {
      await expectExactSum(50, 6, { kind: 'k-regular', degree: 10 }, dropsOf([3, 11, 19, 27, 42], stage), 16);
    });
  }

  it('uses the quantization step of its configuration (a coarser step gives a proportionally looser bound)', async () => {
    const round = makeRound({ n: 3, threshold: 2, graph: { kind: 'complete' }, vectorLength: 32, bitsPerValue: 8 });
    const result = await round.run();
    expect(result.errorBound).toBeGreaterThanOrEqual((3 * quantizationStep({ clipRange: 1, bitsPerValue: 8 })) / 2);
    expect(maxAbsDifference(result.sum, plaintextSum(round.members, round.ids, 32))).toBeLessThanOrEqual(
      result.errorBound,
    );
  });
});

describe('a round below the threshold aborts cleanly', () => {
  for (const stage of stages) {
    it(`n = 10, t = 6: five dropouts at ${stage} abort with SecAggAbortError naming the stage`, async () => {
      const round = makeRound({
        n: 10,
        threshold: 6,
        graph: { kind: 'complete' },
        vectorLength: 8,
        drops: dropsOf([0, 1, 2, 3, 4], stage),
      });
      const failure = await round.run().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(SecAggAbortError);
      const abort = failure as SecAggAbortError;
      // Too few advertised keys is noticed when advertise-keys closes (at share-keys), and so on.
      expect(abort.stage).toBe(stages[Math.min(stages.indexOf(stage) + 1, 3)]);
      expect(abort.threshold).toBe(6);
      expect(abort.message).toMatch(/threshold 6/);
    });
  }

  it('aborts before asking for any share when the survivors fall into unconnected groups', async () => {
    // A ring (k = 2, t = 2): dropping two participants that are not adjacent cuts it into two arcs.
    const round = makeRound({
      n: 12,
      threshold: 2,
      graph: { kind: 'k-regular', degree: 2 },
      vectorLength: 8,
      dropsFor: (server, ids) => {
        // Walk three steps along the ring from ids[0]: the two arcs left have 2 and 8 participants.
        const right = server.graph.get(ids[0]!)![1]!;
        const farther = server.graph.get(right!)!.find((id) => id !== ids[0])!;
        const opposite = server.graph.get(farther)!.find((id) => id !== right)!;
        return new Map([
          [0, 'masked-input'],
          [ids.indexOf(opposite), 'masked-input'],
        ]);
      },
    });
    await expect(round.run()).rejects.toThrow(/2 unconnected groups \((2 \+ 8|8 \+ 2)\)/);
    expect(round.transport.delivered.some((request) => request.kind === 'unmask-request')).toBe(false);
  });

  it('on the same ring, one dropout leaves a path and the round completes', async () => {
    await expectExactSum(12, 2, { kind: 'k-regular', degree: 2 }, new Map([[4, 'masked-input']]), 8);
  });

  it('refuses to start a round whose participants could overflow 32 bits', () => {
    expect(() =>
      makeRound({
        n: 300,
        threshold: 200,
        graph: { kind: 'k-regular', degree: 10 },
        vectorLength: 4,
        bitsPerValue: 24,
      }),
    ).toThrow(/300 participants exceed the 256/);
  });

  it('refuses a threshold of half a neighbourhood or less', () => {
    expect(() => makeRound({ n: 10, threshold: 5, graph: { kind: 'complete' }, vectorLength: 4 })).toThrow(
      /threshold 5 must be an integer in 6…10/,
    );
  });
});

describe('the server asks only for the shares it needs', () => {
  function unmaskRequests(delivered: readonly { kind: string }[]): UnmaskRequest[] {
    return delivered.filter((request): request is UnmaskRequest => request.kind === 'unmask-request');
  }

  it('asks no mask-key share for participants that dropped before sharing keys', async () => {
    const { round } = await expectExactSum(10, 6, { kind: 'complete' }, dropsOf([2, 5], 'share-keys'));
    const requests = unmaskRequests(round.transport.delivered);
    expect(requests).toHaveLength(8);
    for (const request of requests) {
      expect(request.maskKeySharesOf).toEqual([]);
      expect(request.selfMaskSharesOf).not.toContain(participantId(2));
    }
  });

  it('with two neighbours dropped at masked-input, asks each survivor for their keys only, never their seeds', async () => {
    // Drop a participant and one of its graph neighbours, chosen once the server drew its graph.
    const { round, result } = await expectExactSum(
      12,
      4,
      { kind: 'k-regular', degree: 6 },
      (server, ids) => {
        const neighbour = server.graph.get(ids[0]!)![0]!;
        return new Map([
          [0, 'masked-input'],
          [ids.indexOf(neighbour), 'masked-input'],
        ]);
      },
      8,
    );
    const drops = round.drops;
    expect(drops.size).toBe(2);
    const dropped = new Set(round.ids.filter((_, i) => drops.has(i)));
    for (const request of unmaskRequests(round.transport.delivered)) {
      const peers = round.server.neighbourhood(request.participantId);
      expect(request.maskKeySharesOf).toEqual(peers.filter((id) => dropped.has(id)));
      expect(request.selfMaskSharesOf).toEqual(peers.filter((id) => !dropped.has(id)));
    }
    expect(result.reconstructedMaskKeys).toEqual([...dropped].sort());
  });

  it('asks for self-mask seeds only, when participants drop during unmask', async () => {
    const { round } = await expectExactSum(10, 6, { kind: 'complete' }, dropsOf([1, 4, 8], 'unmask'));
    for (const request of unmaskRequests(round.transport.delivered)) {
      expect(request.maskKeySharesOf).toEqual([]);
      expect(request.selfMaskSharesOf).toEqual(round.ids);
    }
  });
});

describe('the server verifies what it reconstructs', () => {
  /** Runs a round by hand, flipping one byte of the first share of `field` in the first unmask answer. */
  async function corruptOneShare(field: 'selfMaskShares' | 'maskKeyShares') {
    const round = makeRound({
      n: 5,
      threshold: 3,
      graph: { kind: 'complete' },
      vectorLength: 8,
      drops: dropsOf([4], 'masked-input'),
    });
    const { server, transport } = round;
    for (const [stage, requests] of [
      ['advertise-keys', () => server.advertiseKeysRequests()],
      ['share-keys', () => server.shareKeysRequests()],
      ['masked-input', () => server.maskedInputRequests()],
    ] as const) {
      for (const answer of await transport.exchange(stage, requests())) server.receive(answer);
    }
    const answers = await transport.exchange('unmask', server.unmaskRequests());
    const owner = (answers[0] as UnmaskResponse)[field][0]!.peerId;
    // Every holder's share of the owner's secret is corrupted, so that whichever shares the server combines,
    // what it reconstructs is not the owner's secret.
    for (const answer of answers as UnmaskResponse[]) {
      const share = answer[field].find((entry) => entry.peerId === owner)?.share;
      if (share) share[0] = share[0]! ^ 0x40;
    }
    for (const answer of answers) server.receive(answer);
    return { round, owner, finish: () => server.finish() };
  }

  it('refuses a self-mask seed that does not match its owner’s commitment', async () => {
    const { owner, finish } = await corruptOneShare('selfMaskShares');
    await expect(finish()).rejects.toThrow(new RegExp(`self-mask seed of ${owner} does not match its commitment`));
  });

  it('refuses a mask key that does not match its owner’s advertised public key', async () => {
    const { owner, finish } = await corruptOneShare('maskKeyShares');
    expect(owner).toBe(participantId(4));
    await expect(finish()).rejects.toThrow(/mask key of site-004 does not match its advertised key/);
  });
});
